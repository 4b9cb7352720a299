// The SQL of an export page, shared by the SQLite and PostgreSQL engines.
//
// Both engines keep the same columns (see the schemas), so one builder writes the WHERE clause,
// the keyset condition and the ORDER BY; the engines differ only in how a parameter is written
// (`?N` or `$N`) and in text collation, which the caller supplies.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "store/interaction_store.h"
#include "store/search_sql.h"

namespace aih::store {

using SqlValue = std::variant<std::string, int64_t>;

struct PageSql {
  std::string sql;
  std::vector<SqlValue> params;  // params[i] is placeholder(i + 1)
};

// SELECT json, user_id, id, created_ticks ... ORDER BY ... LIMIT, or (count_only) SELECT count(*).
// `placeholder(n)` writes the n-th (1-based) parameter marker.
// `engine` says how a search is matched (search_sql.h).
PageSql BuildPageSql(const PageQuery& query, bool count_only,
                     const std::function<std::string(int)>& placeholder, FullTextEngine engine);

}  // namespace aih::store
