// The SQL of an export page, shared by the SQLite and PostgreSQL engines.
//
// Both engines keep the same columns (see the schemas), so one builder writes the WHERE clause,
// the keyset condition and the ORDER BY; the engines differ only in how a parameter is written
// (`?N` or `$N`) and how a search is matched, which the caller's dialect says (sql/dialect.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "store/interaction_store.h"
#include "store/search_sql.h"
#include "store/sql/database.h"

namespace aih::store {

struct PageSql {
  std::string sql;
  sql::Args params;  // params[i] is the dialect's parameter i + 1
};

// SELECT json, user_id, id, created_ticks ... ORDER BY ... LIMIT, or (count_only) SELECT count(*),
// with `dialect`'s parameters and its way of matching a search (search_sql.h).
// `from_matches` (a search for a rare term): the tenant and user are compared so that no index of the
// interactions serves them (SQLite's unary +, PostgreSQL's `|| ''`), which leaves the planner one way
// to read the page: from the full-text matches, then ordered; without it the planner walks the
// user's (or tenant's) history in time order testing each row against the matches, which costs the
// whole history when the term is rare.
//
// A window of the history (SQLite, a frequent search: sqlite/search_windows.h): the rows from the
// query's start (`after`) up to and including `last`, whose rowids all lie in `rowid_ranges`.
struct HistoryWindow {
  odata::CursorPosition last;
  bool to_the_end = false;  // the window reaches the end of the history: `last` bounds nothing
  std::vector<std::pair<int64_t, int64_t>> rowid_ranges;  // inclusive
  // The index's terms of the search's prefixes, read in the window's snapshot (search_sql.h).
  const PrefixTerms* prefix_terms = nullptr;
};
// With `window`, the page reads only that window's rows, and the search's FTS5 matches only within
// its rowid ranges: its cost follows the window, not the number of matches.
PageSql BuildPageSql(const PageQuery& query, bool count_only, const sql::Dialect& dialect, bool from_matches = false,
                     const HistoryWindow* window = nullptr);

// The page of `query` read from only the next `rows` rows of its history (its tenant or user, from its
// start, in its order, whatever else it asks): a subquery with that LIMIT walks the time index and
// stops, and the page's other conditions (its search, its filter) test the rows it yields. Its cost
// follows `rows`, not the number of the search's matches nor the history (PostgreSQL: postgres/search_window.h).
PageSql BuildNewestRowsPageSql(const PageQuery& query, int rows, const sql::Dialect& dialect);

// The position (created_ticks, id, user_id) of the last of those `rows` rows: no row when the history
// from the query's start holds fewer (OFFSET in the time index, index entries only).
PageSql BuildNewestRowsEndSql(const PageQuery& query, int rows, const sql::Dialect& dialect);

// The positions of the next `rows` rows the page of `query` would test against its search, in its
// order: SELECT seq, user_id, id, created_ticks, with every condition of the query but the search
// (SQLite: seq is the rowid the FTS5 index knows a row by).
PageSql BuildWindowSql(const PageQuery& query, int rows, const sql::Dialect& dialect);

}  // namespace aih::store
