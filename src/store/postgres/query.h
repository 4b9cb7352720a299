// Query: one statement with its arguments as a list of values, and its rows through a callback.
//
// The per-concept stores' many small statements read best as SQL text beside a brace-list of
// arguments (bound as $1, $2, ... in binary); this is that form, over Connection::Query. Text with
// a NUL character is refused before it reaches the server (PostgreSQL cannot store one): kBadRequest.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/page_sql.h"
#include "store/postgres/connection.h"

namespace aih::store::postgres {

using Args = std::vector<SqlValue>;  // text or int64, bound in order

// One result row, as the row callbacks see it.
struct Row {
  const Rows& rows;
  int r;
  std::string_view Text(int col) const { return rows.Text(r, col); }
  std::string String(int col) const { return std::string(rows.Text(r, col)); }
  int64_t Int(int col) const { return rows.Int(r, col); }
  bool IsNull(int col) const { return rows.IsNull(r, col); }
  bool Bool(int col) const { return rows.Bool(r, col); }
};

// Runs `sql` with `args` and calls `row` for each result row; `affected` receives the number of rows
// an INSERT, UPDATE or DELETE changed.
Status Query(Connection& c, const std::string& sql, const Args& args,
             const std::function<void(const Row&)>& row = nullptr, int64_t* affected = nullptr);

// Whether `sql` (a SELECT 1 ...) returns a row.
Result<bool> Exists(Connection& c, const std::string& sql, const Args& args);

// Params of `args`, in order (text is borrowed from `args`).
Params ToParams(const Args& args);

// The n-th parameter as this engine spells it ($n), for the builders of page_sql.h.
std::string Placeholder(int n);

}  // namespace aih::store::postgres
