// The page of a frequent search, read window by window of the history (SQLite).
//
// A term found in many items is best read by walking the history in the page's order and keeping
// the items it finds, which stops once the page is full. Testing each item against the FTS5 match
// list as a whole (`seq IN (SELECT rowid ... MATCH ...)`) makes SQLite read that list whole first,
// so the first page of a common word cost in proportion to how often it occurs. Instead the walk
// takes the next window of the history's positions (an index-only read), then reads the page from
// that window with each FTS5 match restricted to the rowid ranges the window's rows lie in, which
// FTS5 seeks to: the window's part of each match list, not the whole list. A window that does not
// fill the page is followed by the next one, four times larger, until the page is full or the
// history ends. All windows of a page are read in one read transaction (one snapshot), so a write
// between two of them can neither add a row the ranges miss nor remove one: the page is exactly what
// the single query would return. Its cost follows the page and the term's density, not the history.
// A prefix (`forecast*`) is matched as the OR of the index's terms that start with it, read in the
// same snapshot (prefix_terms.h), where the caller also told the search frequent with them. One with too many terms (`f*`), whose match lists FTS5 would merge
// whole for any range, is tested on the window's rows' stored documents (search_sql.h): the first
// page of a prefix found in many items costs about what the page holds. That reads each row of the
// window, so after kMaxDocumentRows positions without a full page (a prefix found in few items) the
// rest of the page is read in one statement against the prefix's whole match list, merged once
// (where each window merged it again before).
// Threading: runs on the caller's connection.
#pragma once

#include <functional>

#include "store/interaction_store.h"
#include "store/search_sql.h"
#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

// A prefix of too many terms is tested on the windows' stored documents for at most this many
// positions of the history: a document costs a row read, where an entry of a match list costs far
// less, so a prefix found in few items is then read as a prefix, its match lists merged once.
inline constexpr int kMaxDocumentRows = 1 << 16;

// A read transaction on `c` from Begin to the end of its scope (a snapshot), however that ends: a
// read transaction changes nothing to undo.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& c) : c_(c) {}
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  Status Begin();

 private:
  Connection& c_;
  bool open_ = false;
};

// The rows of the page of `query` (a search with a full-text part) until `emit` returns false, read
// in the caller's ReadSnapshot on `c`, in which `prefix_terms` were read (ReadPrefixTerms).
Status ReadSearchPageByWindows(Connection& c, const PageQuery& query, const PrefixTerms& prefix_terms,
                               const std::function<bool(const PageRow&)>& emit,
                               int max_document_rows = kMaxDocumentRows);

// The rowid ranges (inclusive) that hold `rowids` (sorted here), at most `max_ranges`: a gap wider than
// `max_gap` starts a new range, and when that makes too many, the narrowest gaps are bridged. The
// ranges are disjoint; their number is rounded up to a power of two with empty ranges ({1, 0}) so that
// few SQL texts occur.
std::vector<std::pair<int64_t, int64_t>> RowidRangesOf(std::vector<int64_t> rowids, int64_t max_gap,
                                                       size_t max_ranges);

}  // namespace aih::store::sqlite
