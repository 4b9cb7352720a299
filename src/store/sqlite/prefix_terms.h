// The index's terms that start with each prefix of a search (`forecast*`), read from FTS5's vocabulary.
//
// FTS5 without a prefix index matches a prefix by merging the match lists of every term that starts
// with it, whole, before it returns a row, and it does so whatever rowid range it is asked for: a
// frequent prefix's first page cost in proportion to the history. The same prefix written as the OR
// of its terms is matched list by list, each seeked to the rowids asked for, so the rare-or-frequent
// count (sqlite_interactions.cc) stops at its bound and a window of the history (search_windows.h)
// reads only its part of each list. The terms are found by seeking in the vocabulary
// (interaction_search_vocab, an fts5vocab table over the index) to the first term at or after a bound,
// then moving the bound just past it: one seek per term, whatever the number of items that hold it.
// A prefix with more than `max_terms` terms (a prefix of one or two letters) is left out, and so is
// matched as a prefix. Terms read in one snapshot are exactly the index's there: a page read in the
// same snapshot finds exactly what the prefix finds.
// Threading: runs on the caller's session.
#pragma once

#include <cstddef>

#include "base/status.h"
#include "odata/search.h"
#include "store/search_sql.h"
#include "store/sql/database.h"

namespace aih::store::sqlite {

// More terms than this and a prefix is matched as a prefix: each term is one more FTS5 match list.
inline constexpr size_t kMaxPrefixTerms = 32;

// The terms of each of `search`'s full-text prefixes that has at most `max_terms` (search_sql.h); a
// prefix no term starts with maps to none.
Result<PrefixTerms> ReadPrefixTerms(sql::Session& s, const odata::Search& search,
                                    size_t max_terms = kMaxPrefixTerms);

}  // namespace aih::store::sqlite
