// SearchSql: the condition a `$search` (odata/search.h) puts on the interactions a page reads, for
// either engine's full-text index (search_document.h).
//
// Text terms become one full-text match per subtree without property restrictions: an FTS5 MATCH
// over the interaction_search table (SQLite) or a tsquery against interactions.search_terms
// (PostgreSQL), both built from the same search terms, so each engine finds the same items. A word
// that makes several terms ("e-mail", "東京都") is the phrase of them; a prefix's last term is a
// prefix; from: matches the sender's terms. appClass:, sessionId: and interactionType: compare their
// column (a prefix compares the column's beginning), so their indexes serve them.
// A third spelling tests the stored document itself, row by row (SQLite, whose search_terms column is
// the document's text): a word is ' word ' in ' ' || document || ' ', a phrase its terms side by side
// (' w1 w2 '), a prefix ' p' (a term that starts with p), joined by AND, OR and NOT. The document is
// exactly what FTS5 indexed (terms separated by single spaces, no other separator: search_document.h),
// so it finds exactly what the FTS5 match finds, at the cost of reading each row it is tested on.
// Threading: pure functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "odata/search.h"

namespace aih::store {

// kStoredDocument: the SQLite document spelling above, for rows already chosen by other means.
enum class FullTextEngine { kFts5, kPostgres, kStoredDocument };

// Ranges of rowids, as the placeholders of their first and last (inclusive).
using RowidRanges = std::vector<std::pair<std::string, std::string>>;

// FTS5: the index's terms that start with a prefix (the last term of a `word*`), by prefix, when they
// are few (sqlite/prefix_terms.h). Such a prefix is matched as the OR of its terms: each is one match
// list that FTS5 seeks in by rowid, where the prefix itself makes FTS5 merge every such list whole,
// whatever range is asked for. A prefix absent from the map (too many terms) is matched as a prefix.
using PrefixTerms = std::map<std::string, std::vector<std::string>>;

// A boolean SQL expression on the interactions table. `bind(value)` adds a text parameter and
// returns its placeholder. With `fts5_ranges` (FTS5 only, not empty), each full-text match reads
// only the matches whose rowid lies in one of the ranges: the caller guarantees that every row the
// expression is tested on does, so the result is the same and FTS5 reads only those parts of its
// match lists. With ranges, a full-text part holding a prefix that `fts5_prefixes` does not expand
// is tested on the stored document instead: FTS5 would merge that prefix's whole match lists for any
// range, the document costs only the rows tested.
std::string SearchCondition(const odata::Search& search, FullTextEngine engine,
                            const std::function<std::string(std::string)>& bind,
                            const RowidRanges& fts5_ranges = {}, const PrefixTerms* fts5_prefixes = nullptr);

// Whether the search has a full-text part (a word, a phrase, a prefix, from:), not only column
// restrictions.
bool HasFullText(const odata::Search& search);

// The FTS5 query that every item the search finds matches, if it has one: the whole search when it is
// a full-text match alone, else the first full-text term of a top-level AND (`forecast appClass:X`).
// What the SQLite engine counts to tell a rare search from a frequent one.
std::optional<std::string> Fts5DrivingQuery(const odata::Search& search, const PrefixTerms* prefixes = nullptr);

// The full-text subtree that every item the search finds matches (what Fts5DrivingQuery spells), or null.
const odata::SearchNode* Fts5DrivingNode(const odata::Search& search);

// Whether `node` (full-text) holds a prefix that `prefixes` does not expand (it starts too many terms).
bool HasUnexpandedPrefix(const odata::SearchNode& node, const PrefixTerms& prefixes);

// The prefix a `word*` leaf stands for in the index: its last term (with from:, the sender's form).
std::string IndexPrefix(const odata::SearchNode& prefix_leaf);

// The prefixes (each a `word*`'s last term, as the index holds it) of the search's full-text part.
std::vector<std::string> FullTextPrefixes(const odata::Search& search);

// The full-text query alone (an FTS5 MATCH expression or a tsquery literal) of a search without
// property restrictions but from: (for tests and the benchmark's raw queries).
std::string FullTextQuery(const odata::SearchNode& node, FullTextEngine engine,
                          const PrefixTerms* fts5_prefixes = nullptr);

}  // namespace aih::store
