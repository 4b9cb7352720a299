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
//  2. Otherwise the matches found among those rows tell how dense the word is, and the rest of the
//     page is read in whichever of three ways is expected to cost least (NextStep), again and again
//     until the page is full, each sized from the density seen so far:
//     - Walk on: the next rows of the history, up to half as many again as the page needs at that
//       density, tested as in step 1 (about 2 µs a row, whatever the history's length).
//     - A window: a stretch of the history that should hold as many rows, as a span of time at the
//       spacing of step 1's rows, cut at a tick (no walk of the time index finds its end: an
//       index-only walk fetches the rows of the table's pages that VACUUM has not yet marked
//       all-visible, which the newest rows mostly are). Its matches are read as the GIN index's
//       bitmap of the word ANDed with the time index's bitmap of the stretch (BitmapAnd), so that only
//       the stretch's matches are fetched from the table. The planner is held to bitmaps by
//       switching plain index scans (and sequential scans) off for that statement only, and planning
//       it for its values each time. The GIN index still lists every match of the word in the table
//       to build its bitmap (about a µs each; no index of PostgreSQL 15 restricts it to a range), so
//       a window costs the word's matches in the whole table, cheaply, plus the stretch.
//     - The matches (step 3).
//     At a million rows, a word in fewer than about 0.4% of them is read from its matches, one in
//     0.4 to 1% by windows, a denser one by walking on; at ten million, the bounds are about 0.12
//     and 0.3%: the first page of a word in 1% of the items stops growing with the history.
//  3. When no match was seen yet, or for a sparse word (whose matches are few), the rest of the page
//     comes from the matches older than the rows read, the tenant and user hidden so that the GIN
//     index drives (a bitmap of the matches, filtered, the top rows sorted): its cost follows the
//     number of the word's matches, each fetched from the table.
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

// The sizes the steps use: the defaults in service; tests shrink them to cross many steps in a small
// history, or force one way of reading the rest.
struct SearchSteps {
  enum class Rest { kCheapest, kWalk, kWindows, kMatches };
  int newest_rows = kNewestRows;
  int64_t min_rows = 2 * kNewestRows;  // the fewest rows a walk or a window covers
  Rest rest = Rest::kCheapest;
};

// How the rest of a page is read next (step 2), and how many rows of the history that covers.
struct NextStep {
  SearchSteps::Rest way = SearchSteps::Rest::kMatches;
  int64_t rows = 0;
};

// Step 2's choice when `found` matches were seen among the `walked` rows of the history read so far
// and the page still needs `needed` rows, in a table of about `table_rows` rows: by the costs
// measured at 1,000,000 interactions (docs/benchmarks.md), per row walked, per time-index entry and
// per GIN entry in a bitmap, and per match fetched, filtered and sorted.
NextStep ChooseNextStep(int64_t found, int64_t walked, int64_t needed, double table_rows,
                        const SearchSteps& steps = {});

// Whether `query` is read by ReadSearchPage.
bool ReadsSearchByWindow(const PageQuery& query);

// Which steps a page took (for tests and the benchmark).
struct SearchPageTrace {
  int walks = 0;              // step 2's walks on
  int windows = 0;            // step 2's windows read
  bool from_matches = false;  // step 3 read
};

// The rows of the page of `query` until `emit` returns false.
Status ReadSearchPage(Database& db, const PageQuery& query, const std::function<bool(const PageRow&)>& emit,
                      const SearchSteps& steps = {}, SearchPageTrace* trace = nullptr);

// The statement of one window (step 2): the rows of `query` (its `after` the window's start) up to
// and including `window.last` (unless `window.to_the_end`), read through a BitmapAnd once
// kWindowPlanSettings are in force.
PageSql BuildWindowPageSql(const PageQuery& query, const HistoryWindow& window);

// What the window's statement is planned under (SET LOCAL), and what undoes it for the others.
extern const char* const kWindowPlanSettings;
extern const char* const kDefaultPlanSettings;

}  // namespace aih::store::postgres
