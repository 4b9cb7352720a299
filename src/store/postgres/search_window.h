// The page of a full-text search on PostgreSQL: the newest rows first, then the matches.
//
// PostgreSQL estimates a word outside its statistics' most common ones at a fixed share of the rows,
// so for a page (LIMIT 101) of a rare word it walks the tenant's (or user's) whole time index
// backwards testing each row: seconds at a million rows. Hiding the tenant and user from the B-tree
// indexes makes it read the GIN matches and sort them instead, cheap for a rare word but costly for a
// common one (all its matches), and no count tells them apart cheaply here. So a page is read in two
// steps, in one REPEATABLE READ snapshot (a write between them can neither hide a row nor show one
// twice): first the newest kNewestRows rows of the history from the page's start, walked in the
// time index and tested (page_sql.h BuildNewestRowsPageSql): a word found in more than one row in a
// few dozen fills the page there. Only when it does not, the rest of the page comes from the
// matches older than those rows, the tenant and user hidden so that the GIN index drives (a bitmap
// of the matches, filtered, the top rows sorted): its cost follows the number of the word's matches,
// which is small when the window did not fill the page with them. Used for a search whose matches
// the GIN index can find (a full-text part that every result matches) and no $filter, whose own
// indexes the plain query keeps.
// Threading: runs on a pooled connection of the database, as the caller's Page.
#pragma once

#include <functional>

#include "store/interaction_store.h"
#include "store/postgres/database.h"

namespace aih::store::postgres {

// How many of the newest rows the first step tests.
inline constexpr int kNewestRows = 2048;

// Whether `query` is read by ReadSearchPage.
bool ReadsSearchByWindow(const PageQuery& query);

// The rows of the page of `query` until `emit` returns false.
Status ReadSearchPage(Database& db, const PageQuery& query, const std::function<bool(const PageRow&)>& emit);

}  // namespace aih::store::postgres
