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
// `from_matches` (SQLite, a search for a rare term): the tenant and user are compared so that no index
// of the interactions serves them (SQLite's unary +), which leaves the planner one way to read the
// page: from the FTS5 matches, each row by its rowid, then ordered; without it SQLite walks the
// user's (or tenant's) history in time order testing each row against the matches, which costs the
// whole history when the term is rare.
PageSql BuildPageSql(const PageQuery& query, bool count_only,
                     const std::function<std::string(int)>& placeholder, FullTextEngine engine,
                     bool from_matches = false);

}  // namespace aih::store
