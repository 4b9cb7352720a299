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

std::string Leaf(const SearchNode& node, FullTextEngine engine, const PrefixTerms* prefixes) {
  const std::vector<std::string> terms = TermsOf(node);  // never empty: the parser refuses such a term
  const bool prefix = node.kind == SearchNode::Kind::kPrefix;
  if (engine == FullTextEngine::kFts5) {
    // One string: FTS5 reads its terms as a phrase, and a '*' after it makes the last a prefix.
    std::string leading;
    for (size_t i = 0; i + 1 < terms.size(); ++i) leading += terms[i] + " ";
    if (prefix && prefixes) {
      // The prefix as the OR of the index's terms that start with it, each in the phrase's last place.
      auto found = prefixes->find(terms.back());
      if (found != prefixes->end() && !found->second.empty()) {
        std::string out = "(";
        for (const std::string& t : found->second) out += (out.size() > 1 ? " OR " : "") + Quote(leading + t, engine);
        return out + ")";
      }
    }
    return Quote(leading + terms.back(), engine) + (prefix ? "*" : "");
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

std::string FullTextQuery(const SearchNode& node, FullTextEngine engine, const PrefixTerms* prefixes) {
  const bool fts5 = engine == FullTextEngine::kFts5;
  switch (node.kind) {
    case SearchNode::Kind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i) out += fts5 ? " OR " : " | ";
        out += FullTextQuery(*node.children[i], engine, prefixes);
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
        out += FullTextQuery(*included[i], engine, prefixes);
      }
      out += ")";
      for (const SearchNode* e : excluded) out += (fts5 ? " NOT " : " & !") + FullTextQuery(*e, engine, prefixes);
      return excluded.empty() || fts5 ? out : "(" + out + ")";
    }
    default:
      return Leaf(node, engine, prefixes);
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

bool AnyUnexpandedPrefix(const SearchNode& node, const PrefixTerms& prefixes) {
  if (node.kind == SearchNode::Kind::kPrefix) {
    return (node.property == SearchProperty::kAny || node.property == SearchProperty::kFrom) &&
           !prefixes.count(TermsOf(node).back());
  }
  for (const auto& child : node.children) {
    if (AnyUnexpandedPrefix(*child, prefixes)) return true;
  }
  return false;
}

// An AND or OR node's children, each written by `write`, joined by the node's operator.
std::string JoinChildren(const SearchNode& node, const std::function<std::string(const SearchNode&)>& write) {
  std::string out = "(";
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (i) out += node.kind == SearchNode::Kind::kAnd ? " AND " : " OR ";
    out += write(*node.children[i]);
  }
  return out + ")";
}

// A full-text subtree tested on the stored document (search_sql.h). Terms hold no space, so between
// spaces a needle matches whole terms only; ' ' || document || ' ' makes the first and last terms
// end in spaces too. An empty or NULL document (an item not in the index) holds no term.
std::string DocumentMatch(const SearchNode& node, const std::function<std::string(std::string)>& bind) {
  switch (node.kind) {
    case SearchNode::Kind::kAnd:
    case SearchNode::Kind::kOr:
      return JoinChildren(node, [&](const SearchNode& child) { return DocumentMatch(child, bind); });
    case SearchNode::Kind::kNot:
      return "NOT " + DocumentMatch(*node.children.front(), bind);
    default: {
      std::string needle;
      for (const std::string& t : TermsOf(node)) needle += " " + t;
      if (node.kind != SearchNode::Kind::kPrefix) needle += " ";  // a prefix's last term may go on
      return "instr(' ' || coalesce(search_terms, '') || ' ', " + bind(std::move(needle)) + ") > 0";
    }
  }
}

std::string Condition(const SearchNode& node, FullTextEngine engine,
                      const std::function<std::string(std::string)>& bind, const RowidRanges& ranges,
                      const PrefixTerms* prefixes) {
  // NOT first: a full-text match cannot exclude alone (FTS5's NOT is binary), the SQL around it can.
  if (node.kind == SearchNode::Kind::kNot) return "NOT " + Condition(*node.children.front(), engine, bind, ranges, prefixes);
  if (IsFullText(node)) {
    if (engine == FullTextEngine::kStoredDocument ||
        (engine == FullTextEngine::kFts5 && !ranges.empty() && prefixes && AnyUnexpandedPrefix(node, *prefixes))) {
      return DocumentMatch(node, bind);
    }
    const std::string query = bind(FullTextQuery(node, engine, prefixes));
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
    case SearchNode::Kind::kOr:
      return JoinChildren(node, [&](const SearchNode& child) {
        return Condition(child, engine, bind, ranges, prefixes);
      });
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

const SearchNode* Fts5DrivingNode(const odata::Search& search) {
  const SearchNode& root = search.root();
  if (root.kind != SearchNode::Kind::kNot && IsFullText(root)) return &root;
  if (root.kind == SearchNode::Kind::kAnd) {
    for (const auto& child : root.children) {
      if (child->kind != SearchNode::Kind::kNot && IsFullText(*child)) return child.get();
    }
  }
  return nullptr;
}

std::optional<std::string> Fts5DrivingQuery(const odata::Search& search, const PrefixTerms* prefixes) {
  const SearchNode* driving = Fts5DrivingNode(search);
  if (!driving) return std::nullopt;
  return FullTextQuery(*driving, FullTextEngine::kFts5, prefixes);
}

bool HasUnexpandedPrefix(const SearchNode& node, const PrefixTerms& prefixes) {
  return AnyUnexpandedPrefix(node, prefixes);
}

std::string IndexPrefix(const SearchNode& prefix_leaf) { return TermsOf(prefix_leaf).back(); }

std::string SearchCondition(const odata::Search& search, FullTextEngine engine,
                            const std::function<std::string(std::string)>& bind, const RowidRanges& fts5_ranges,
                            const PrefixTerms* fts5_prefixes) {
  return Condition(search.root(), engine, bind, fts5_ranges, fts5_prefixes);
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

void CollectFullTextPrefixes(const SearchNode& node, std::vector<std::string>* out) {
  if (node.kind == SearchNode::Kind::kPrefix) {
    if (node.property == SearchProperty::kAny || node.property == SearchProperty::kFrom) {
      out->push_back(TermsOf(node).back());
    }
    return;
  }
  for (const auto& child : node.children) CollectFullTextPrefixes(*child, out);
}

}  // namespace

std::vector<std::string> FullTextPrefixes(const odata::Search& search) {
  std::vector<std::string> out;
  CollectFullTextPrefixes(search.root(), &out);
  return out;
}

bool HasFullText(const odata::Search& search) { return AnyFullText(search.root()); }

}  // namespace aih::store
