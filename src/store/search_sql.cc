#include "store/search_sql.h"

#include <vector>

#include "odata/search_terms.h"

namespace aih::store {
namespace {

using odata::SearchNode;
using odata::SearchProperty;

// Whether `node` is matched by the full-text index alone (no column restriction below it).
bool IsFullText(const SearchNode& node) {
  switch (node.kind) {
    case SearchNode::Kind::kAnd:
    case SearchNode::Kind::kOr:
    case SearchNode::Kind::kNot:
      for (const auto& child : node.children) {
        if (!IsFullText(*child)) return false;
      }
      return true;
    default:
      return node.property == SearchProperty::kAny || node.property == SearchProperty::kFrom;
  }
}

std::vector<std::string> TermsOf(const SearchNode& node) {
  std::vector<std::string> terms = odata::SearchTerms(node.text);
  if (node.property == SearchProperty::kFrom) {
    for (std::string& t : terms) t.insert(0, odata::kSenderTermPrefix);
  }
  return terms;
}

// A term quoted for its engine. Terms hold no ASCII punctuation (search_terms.h); quoting them
// anyway keeps any that did from being read as syntax.
std::string Quote(const std::string& term, FullTextEngine engine) {
  const char q = engine == FullTextEngine::kFts5 ? '"' : '\'';
  std::string out(1, q);
  for (char c : term) {
    if (c == q) out.push_back(q);
    if (engine == FullTextEngine::kPostgres && c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back(q);
  return out;
}

std::string Leaf(const SearchNode& node, FullTextEngine engine) {
  const std::vector<std::string> terms = TermsOf(node);  // never empty: the parser refuses such a term
  const bool prefix = node.kind == SearchNode::Kind::kPrefix;
  if (engine == FullTextEngine::kFts5) {
    // One string: FTS5 reads its terms as a phrase, and a '*' after it makes the last a prefix.
    std::string joined;
    for (const std::string& t : terms) joined += (joined.empty() ? "" : " ") + t;
    return Quote(joined, engine) + (prefix ? "*" : "");
  }
  std::string out = terms.size() > 1 ? "(" : "";
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i) out += " <-> ";
    out += Quote(terms[i], engine);
    if (prefix && i + 1 == terms.size()) out += ":*";
  }
  return out + (terms.size() > 1 ? ")" : "");
}

// What a kNot node excludes: NOT NOT x is x.
const SearchNode& Excluded(const SearchNode& not_node, bool* negated) {
  const SearchNode* n = &not_node;
  *negated = false;
  while (n->kind == SearchNode::Kind::kNot) {
    *negated = !*negated;
    n = n->children.front().get();
  }
  return *n;
}

}  // namespace

std::string FullTextQuery(const SearchNode& node, FullTextEngine engine) {
  const bool fts5 = engine == FullTextEngine::kFts5;
  switch (node.kind) {
    case SearchNode::Kind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i) out += fts5 ? " OR " : " | ";
        out += FullTextQuery(*node.children[i], engine);
      }
      return out + ")";
    }
    case SearchNode::Kind::kAnd:
    case SearchNode::Kind::kNot: {
      // FTS5's NOT is binary (a NOT b): the included parts first, then each excluded one.
      std::vector<const SearchNode*> included, excluded;
      if (node.kind == SearchNode::Kind::kNot) {
        bool negated = false;
        const SearchNode& inner = Excluded(node, &negated);
        (negated ? excluded : included).push_back(&inner);
      }
      for (const auto& child : node.children) {
        if (node.kind == SearchNode::Kind::kNot) break;
        if (child->kind != SearchNode::Kind::kNot) {
          included.push_back(child.get());
          continue;
        }
        bool negated = false;
        const SearchNode& inner = Excluded(*child, &negated);
        (negated ? excluded : included).push_back(&inner);
      }
      std::string out = "(";
      for (size_t i = 0; i < included.size(); ++i) {
        if (i) out += fts5 ? " AND " : " & ";
        out += FullTextQuery(*included[i], engine);
      }
      out += ")";
      for (const SearchNode* e : excluded) out += (fts5 ? " NOT " : " & !") + FullTextQuery(*e, engine);
      return excluded.empty() || fts5 ? out : "(" + out + ")";
    }
    default:
      return Leaf(node, engine);
  }
}

namespace {

std::string ColumnOf(SearchProperty p) {
  switch (p) {
    case SearchProperty::kAppClass: return "app_class";
    case SearchProperty::kSessionId: return "session_id";
    case SearchProperty::kInteractionType: return "interaction_type";
    default: return "";
  }
}

std::string Condition(const SearchNode& node, FullTextEngine engine,
                      const std::function<std::string(std::string)>& bind, const RowidRanges& ranges) {
  // NOT first: a full-text match cannot exclude alone (FTS5's NOT is binary), the SQL around it can.
  if (node.kind == SearchNode::Kind::kNot) return "NOT " + Condition(*node.children.front(), engine, bind, ranges);
  if (IsFullText(node)) {
    const std::string query = bind(FullTextQuery(node, engine));
    if (engine == FullTextEngine::kFts5) {
      const std::string match = "SELECT rowid FROM interaction_search WHERE interaction_search MATCH " + query;
      if (ranges.empty()) return "seq IN (" + match + ")";
      // One subquery per range: FTS5 takes a rowid range of its own query (and reads only that part
      // of each match list), not an OR of several.
      std::string out = "seq IN (";
      for (size_t i = 0; i < ranges.size(); ++i) {
        out += (i ? " UNION ALL " : "") + match + " AND rowid >= " + ranges[i].first + " AND rowid <= " +
               ranges[i].second;
      }
      return out + ")";
    }
    return "search_terms @@ " + query + "::tsquery";
  }
  switch (node.kind) {
    case SearchNode::Kind::kAnd:
    case SearchNode::Kind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i) out += node.kind == SearchNode::Kind::kAnd ? " AND " : " OR ";
        out += Condition(*node.children[i], engine, bind, ranges);
      }
      return out + ")";
    }
    default: {
      // A column that is NULL neither matches nor, under NOT, fails to: the comparison is made
      // false rather than NULL.
      const std::string column = ColumnOf(node.property);
      if (node.kind == SearchNode::Kind::kPrefix) {
        // The values that start with the text sort from it up to it followed by the last character.
        return "(" + column + " IS NOT NULL AND " + column + " >= " + bind(node.text) + " AND " + column + " < " +
               bind(node.text + "\xF4\x8F\xBF\xBF") + ")";
      }
      return "(" + column + " IS NOT NULL AND " + column + " = " + bind(node.text) + ")";
    }
  }
}

}  // namespace

std::optional<std::string> Fts5DrivingQuery(const odata::Search& search) {
  const SearchNode& root = search.root();
  if (root.kind != SearchNode::Kind::kNot && IsFullText(root)) return FullTextQuery(root, FullTextEngine::kFts5);
  if (root.kind == SearchNode::Kind::kAnd) {
    for (const auto& child : root.children) {
      if (child->kind != SearchNode::Kind::kNot && IsFullText(*child)) {
        return FullTextQuery(*child, FullTextEngine::kFts5);
      }
    }
  }
  return std::nullopt;
}

std::string SearchCondition(const odata::Search& search, FullTextEngine engine,
                            const std::function<std::string(std::string)>& bind, const RowidRanges& fts5_ranges) {
  return Condition(search.root(), engine, bind, fts5_ranges);
}

namespace {

bool AnyFullText(const SearchNode& node) {
  switch (node.kind) {
    case SearchNode::Kind::kAnd:
    case SearchNode::Kind::kOr:
    case SearchNode::Kind::kNot:
      for (const auto& child : node.children) {
        if (AnyFullText(*child)) return true;
      }
      return false;
    default:
      return node.property == SearchProperty::kAny || node.property == SearchProperty::kFrom;
  }
}

bool AnyFullTextPrefix(const SearchNode& node) {
  if (node.kind == SearchNode::Kind::kPrefix) {
    return node.property == SearchProperty::kAny || node.property == SearchProperty::kFrom;
  }
  for (const auto& child : node.children) {
    if (AnyFullTextPrefix(*child)) return true;
  }
  return false;
}

}  // namespace

bool HasFullText(const odata::Search& search) { return AnyFullText(search.root()); }

bool HasFullTextPrefix(const odata::Search& search) { return AnyFullTextPrefix(search.root()); }

}  // namespace aih::store
