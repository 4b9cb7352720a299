// Query: one statement with its arguments as a list of values, and its rows through a callback, for
// the SQLite stores' many small statements (the counterpart of store/postgres/query.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/page_sql.h"
#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

using Args = std::vector<SqlValue>;  // text or int64, bound to ?1, ?2, ... in order

// Binds `args` to ?1, ?2, ... Text is bound without copying: `args` must outlive the steps.
void BindAll(Statement& stmt, const Args& args);

// Runs `sql` with `args` and calls `row` for each result row.
Status Query(Connection& c, const std::string& sql, const Args& args,
             const std::function<void(const Statement&)>& row = nullptr);

// Whether `sql` (a SELECT 1 ...) returns a row.
Result<bool> Exists(Connection& c, const std::string& sql, const Args& args);

// The first column of the last row of `sql` (a SELECT count(*) ...), 0 if none.
Result<int64_t> Count(Connection& c, const std::string& sql, const Args& args);

// The n-th parameter as this engine spells it (?n), for the builders of page_sql.h.
std::string Placeholder(int n);

// The rows of an export page, as BuildPageSql selects them, until `emit` returns false.
Status QueryPage(Connection& c, const PageSql& page, const std::function<bool(const PageRow&)>& emit);

}  // namespace aih::store::sqlite
