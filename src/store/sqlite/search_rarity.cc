#include "store/sqlite/search_rarity.h"

#include <algorithm>
#include <string>

#include "store/search_sql.h"
#include "store/sqlite/prefix_terms.h"

namespace aih::store::sqlite {
namespace {

using odata::SearchNode;

// The items that hold a term starting with `prefix`, counted up to `bound`. Byte 0xF5 occurs in no
// UTF-8 text, so `prefix` followed by it is past every term that starts with `prefix`.
Result<int64_t> ItemsWithPrefixUpTo(sql::Session& s, const std::string& prefix, int64_t bound) {
  return s.Count("SELECT count(*) FROM (SELECT DISTINCT doc FROM interaction_search_vocab"
                 " WHERE term >= $1 AND term < $2 LIMIT " + std::to_string(bound) + ")",
                 {prefix, prefix + "\xF5"});
}

// At least the number of items `node` (full-text) finds, up to `bound`; exactly that without an
// unexpanded prefix in it.
Result<int64_t> MatchesUpTo(sql::Session& s, const SearchNode& node, const PrefixTerms& prefixes, int64_t bound) {
  if (!HasUnexpandedPrefix(node, prefixes)) {
    return s.Count("SELECT count(*) FROM (SELECT 1 FROM interaction_search WHERE interaction_search MATCH $1 LIMIT " +
                       std::to_string(bound) + ")",
                   {FullTextQuery(node, FullTextEngine::kFts5, &prefixes)});
  }
  switch (node.kind) {
    case SearchNode::Kind::kAnd: {
      int64_t least = bound;  // the excluded parts (NOT) bound nothing
      for (const auto& child : node.children) {
        if (child->kind == SearchNode::Kind::kNot) continue;
        AIH_ASSIGN_OR_RETURN(int64_t n, MatchesUpTo(s, *child, prefixes, least));
        least = std::min(least, n);
      }
      return least;
    }
    case SearchNode::Kind::kOr: {
      int64_t sum = 0;
      for (const auto& child : node.children) {
        if (sum >= bound) break;
        AIH_ASSIGN_OR_RETURN(int64_t n, MatchesUpTo(s, *child, prefixes, bound - sum));
        sum += n;
      }
      return std::min(sum, bound);
    }
    case SearchNode::Kind::kPrefix:  // a phrase before the prefix only narrows it
      return ItemsWithPrefixUpTo(s, IndexPrefix(node), bound);
    default:
      return bound;  // nothing known: not rare
  }
}

}  // namespace

Result<bool> IsRareSearch(sql::Session& s, const odata::Search& search) {
  if (!Fts5DrivingNode(search)) return false;
  AIH_ASSIGN_OR_RETURN(PrefixTerms prefixes, ReadPrefixTerms(s, search));
  return IsRareSearch(s, search, prefixes);
}

Result<bool> IsRareSearch(sql::Session& s, const odata::Search& search, const PrefixTerms& prefixes) {
  const SearchNode* driving = Fts5DrivingNode(search);
  if (!driving) return false;
  AIH_ASSIGN_OR_RETURN(int64_t n, MatchesUpTo(s, *driving, prefixes, kRareMatches));
  return n < kRareMatches;
}

}  // namespace aih::store::sqlite
