// Search: the parsed `$search` of the export, in the query language that Graph's and eDiscovery's
// users know (a subset of KQL, the Keyword Query Language).
//
// Grammar (operators in capitals, as KQL requires; a lower-case "and" is a word):
//   query       := or
//   or          := and ("OR" and)*
//   and         := unary (["AND"] unary)*             two terms side by side must both match
//   unary       := "NOT" unary | "-" primary | primary
//   primary     := "(" or ")" | restriction | term
//   restriction := property ":" value                  property: appClass, from, sessionId, interactionType
//   value, term := word | word"*" | "\"" phrase "\""    a trailing * makes a prefix
// A word is a run of characters other than space, '"', '(' and ')'; a ':' inside a word that does
// not start with a property name is part of the word (so "https://example.com" is one word), as are
// '-', '^' and other punctuation. Property names are matched case-insensitively, as KQL does.
//
// Refused, with kBadRequest naming the token and its 1-based character position: unbalanced quotes
// or parentheses; an operator without its operands ("NOT" alone, "a AND", "OR b"); KQL operators
// aihistory does not support (NEAR, ONEAR, XRANK, WORDS); a '*' that does not end a word, or ends one
// with nothing to search before it; a term without a letter or digit; a query that excludes without
// including (every alternative needs a term that is not negated, so no query can mean "everything
// but", a scan of the whole history); invalid UTF-8; more than kMaxTerms terms, more than kMaxLength
// bytes, or parentheses deeper than kMaxDepth (checked before recursing).
//
// Threading: a Search is immutable once parsed.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::odata {

enum class SearchProperty { kAny, kAppClass, kFrom, kSessionId, kInteractionType };
const char* SearchPropertyName(SearchProperty p);  // "appClass", ...; "" for kAny

struct SearchNode {
  enum class Kind { kWord, kPrefix, kPhrase, kAnd, kOr, kNot } kind = Kind::kWord;
  SearchProperty property = SearchProperty::kAny;     // kWord, kPrefix, kPhrase
  std::string text;                                   // the word (without '*'), or the phrase
  std::vector<std::unique_ptr<SearchNode>> children;  // kAnd, kOr: two or more; kNot: one
};

class Search {
 public:
  static constexpr size_t kMaxLength = 4096;  // bytes
  static constexpr int kMaxTerms = 100;
  static constexpr int kMaxDepth = 16;

  static Result<Search> Parse(std::string_view text);

  const SearchNode& root() const { return *root_; }
  // The tree in a canonical text (for tests and logs): (AND a (OR b "c d") (NOT e*) appClass:x).
  std::string ToString() const;

 private:
  std::unique_ptr<SearchNode> root_;
};

}  // namespace aih::odata
