// The page of a full-text search on PostgreSQL: the newest rows first, then windows of the history
// or the matches.
//
// PostgreSQL estimates a word outside its statistics' most common ones at a fixed share of the rows,
// so for a page (LIMIT 101) of a rare word it walks the tenant's (or user's) whole time index
// backwards testing each row: seconds at a million rows. Hiding the tenant and user from the B-tree
// indexes makes it read the GIN matches and sort them instead, cheap for a rare word but costly for a
// common one (every match is fetched from the table), and no count tells them apart cheaply here. So
// a page is read in steps, all in one REPEATABLE READ snapshot (a write between them can neither hide
// a row nor show one twice):
//  1. The newest kNewestRows rows of the history from the page's start, walked in the time index and
//     each tested (page_sql.h BuildNewestRowsPageSql): a word found in more than one row in a few
//     dozen fills the page there.
//  2. Otherwise the matches found among those rows tell how dense the word is. If it is dense enough
//     that the rest of the page lies within a short stretch of the history, the page goes on window by
//     window: a stretch of the history that should hold half as many rows again as the density says
//     the page still needs, as a span of time at the spacing of the rows of step 1, cut at a tick (so
//     that no walk of the time index finds its end: an index-only walk fetches the rows of the
//     table's pages that VACUUM has not yet marked all-visible, which the newest rows mostly are).
//     Its matches are read as the GIN index's bitmap of the word ANDed with the time index's bitmap of
//     the stretch (BitmapAnd), so that only the stretch's matches are fetched from the table, not all
//     the word's matches in the history. A window that does not fill the page is followed by the
//     next, sized from the density seen so far. The planner is held to that plan by switching plain
//     index scans (and sequential scans) off for the window's statement only, and planning it for
//     its values each time. The GIN index still lists every match of the word to build its bitmap
//     (about a microsecond each), which no index of PostgreSQL 15 restricts to a range.
//  3. Otherwise (no match yet, or a word so sparse that its windows would walk more index entries
//     than fetching its matches costs: judged from the density seen and the table's size), the rest
//     of the page comes from the matches older than the rows walked, the tenant and user hidden so
//     that the GIN index drives (a bitmap of the matches, filtered, the top rows sorted): its cost
//     follows the number of the word's matches, which is small for such a word.
// Used for a search whose matches the GIN index can find (a full-text part that every result
// matches) and no $filter, whose own indexes the plain query keeps.
// Threading: runs on a pooled connection of the database, as the caller's Page.
#pragma once

#include <cstdint>
#include <functional>

#include "store/interaction_store.h"
#include "store/page_sql.h"
#include "store/postgres/database.h"

namespace aih::store::postgres {

// How many of the newest rows the first step tests.
inline constexpr int kNewestRows = 2048;

// The sizes the steps use: the defaults in service; tests shrink them to cross windows in a small
// history, or force one way (index_entries_per_match 0: never a window; huge: always one).
struct SearchSteps {
  int newest_rows = kNewestRows;
  int64_t min_window_rows = 2 * kNewestRows;
  // How many entries of the time index a window may walk (twice: its end, then its bitmap) for each
  // match of the word that reading the matches instead would fetch from the table, filter and sort
  // (measured at 1,000,000 interactions: docs/benchmarks.md).
  double index_entries_per_match = 16;
};

// Whether `query` is read by ReadSearchPage.
bool ReadsSearchByWindow(const PageQuery& query);

// Which steps a page took (for tests and the benchmark).
struct SearchPageTrace {
  int windows = 0;            // step 2's windows read
  bool from_matches = false;  // step 3 read
};

// The rows of the page of `query` until `emit` returns false.
Status ReadSearchPage(Database& db, const PageQuery& query, const std::function<bool(const PageRow&)>& emit,
                      const SearchSteps& steps = {}, SearchPageTrace* trace = nullptr);

// Step 2's choice: the rows of the next window when `found` matches were seen among the `walked`
// rows of the history tested so far and the page still needs `needed` rows, in a table of about
// `table_rows` rows; 0 when the rest is read from the matches instead (step 3).
int64_t NextWindowRows(int64_t found, int64_t walked, int64_t needed, double table_rows, const SearchSteps& steps = {});

// The statement of one window (step 2): the rows of `query` (its `after` the window's start) up to
// and including `window.last` (unless `window.to_the_end`), read through a BitmapAnd once
// kWindowPlanSettings are in force.
PageSql BuildWindowPageSql(const PageQuery& query, const HistoryWindow& window);

// What the window's statement is planned under (SET LOCAL), and what undoes it for the others.
extern const char* const kWindowPlanSettings;
extern const char* const kDefaultPlanSettings;

}  // namespace aih::store::postgres
