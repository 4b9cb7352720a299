// Whether a search is rare: its full-text part finds fewer than kRareMatches items in the whole store.
// A rare search is read from its matches (page_sql.h from_matches): at most that many row lookups
// and a sort. A more frequent one is read by walking the history in time order, window by window
// (search_windows.h), which stops once the page is full.
//
// Counted from the index, up to kRareMatches and no further, so that telling costs at most that
// many matches whatever the store holds. A prefix is counted as the OR of its terms (prefix_terms.h).
// One that starts more than kMaxPrefixTerms terms would make FTS5 merge all their match lists whole
// before the first row: its items are counted instead from the vocabulary's instances (one row per
// occurrence, ordered by term), the distinct items among them, which the read stops at the bound.
// Around such a prefix, an AND is bounded by its smallest part and an OR by the sum of its parts:
// still an upper bound, so a search called rare is rare.
// Threading: runs on the caller's session.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "odata/search.h"
#include "store/search_sql.h"
#include "store/sql/database.h"

namespace aih::store::sqlite {

inline constexpr int64_t kRareMatches = 2000;

Result<bool> IsRareSearch(sql::Session& s, const odata::Search& search);
// The same with the terms of its prefixes already read in this snapshot (ReadPrefixTerms).
Result<bool> IsRareSearch(sql::Session& s, const odata::Search& search, const PrefixTerms& prefixes);

}  // namespace aih::store::sqlite
