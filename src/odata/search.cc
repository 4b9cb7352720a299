#include "odata/search.h"

#include <array>
#include <cctype>
#include <cstring>

#include "odata/search_terms.h"
#include "odata/text.h"

namespace aih::odata {
namespace {
// Named so that a unity build, which compiles filter.cc (with its own Token, Parser, IsSpace and
// kProperties) into the same unit, keeps the two grammars apart.
namespace kql {

struct Token {
  enum class Kind { kWord, kPhrase, kOpen, kClose, kAnd, kOr, kNot, kMinus, kEnd } kind;
  std::string_view text;  // a word or phrase (without its quotes)
  size_t offset;          // byte offset in the query
};

constexpr std::array<std::pair<const char*, SearchProperty>, 4> kProperties = {{
    {"appClass", SearchProperty::kAppClass},
    {"from", SearchProperty::kFrom},
    {"sessionId", SearchProperty::kSessionId},
    {"interactionType", SearchProperty::kInteractionType},
}};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool EndsWord(char c) { return IsSpace(c) || c == '"' || c == '(' || c == ')'; }
bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}
// Whether a term holds something to search: an ASCII letter or digit, or any non-ASCII character
// (every script's letters are beyond ASCII).
bool HasSearchableCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) return true;
  }
  return false;
}

class Parser {
 public:
  explicit Parser(std::string_view query) : query_(query) {}

  Result<std::unique_ptr<SearchNode>> Run() {
    AIH_RETURN_IF_ERROR(Tokenize());
    auto root = ParseOr(0);
    if (!root.ok()) return root.status();
    if (Peek().kind != Token::Kind::kEnd) return Error(Peek(), "is not expected here");
    AIH_RETURN_IF_ERROR(CheckIncludes(**root));
    return root;
  }

 private:
  Status ErrorAt(size_t offset, const std::string& what) const {
    return Status::BadRequest("$search: " + what + " (at character " + std::to_string(CharPosition(query_, offset)) + ")");
  }
  Status Error(const Token& token, const std::string& what) const {
    if (token.kind == Token::Kind::kEnd) return ErrorAt(token.offset, "the query ends where a term was expected");
    const std::string_view shown = query_.substr(token.offset, token.kind == Token::Kind::kPhrase ? token.text.size() + 2
                                                                                                   : std::max<size_t>(token.text.size(), 1));
    return ErrorAt(token.offset, "'" + Excerpt(shown, 40) + "' " + what);
  }

  Status Tokenize() {
    size_t i = 0;
    while (i < query_.size()) {
      const char c = query_[i];
      if (IsSpace(c)) {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.push_back({c == '(' ? Token::Kind::kOpen : Token::Kind::kClose, query_.substr(i, 1), i});
        ++i;
      } else if (c == '"') {
        const size_t close = query_.find('"', i + 1);
        if (close == std::string_view::npos) return ErrorAt(i, "a quote is not closed");
        tokens_.push_back({Token::Kind::kPhrase, query_.substr(i + 1, close - i - 1), i});
        i = close + 1;
      } else if (c == '-' && i + 1 < query_.size() && !EndsWord(query_[i + 1]) &&
                 (i == 0 || IsSpace(query_[i - 1]) || query_[i - 1] == '(')) {
        tokens_.push_back({Token::Kind::kMinus, query_.substr(i, 1), i});  // "-word": exclusion
        ++i;
      } else {
        size_t end = i;
        // property:"a phrase" is one restriction: the word runs to the colon, the phrase follows.
        while (end < query_.size() && !EndsWord(query_[end])) ++end;
        const std::string_view word = query_.substr(i, end - i);
        Token token{Token::Kind::kWord, word, i};
        if (word == "AND") token.kind = Token::Kind::kAnd;
        if (word == "OR") token.kind = Token::Kind::kOr;
        if (word == "NOT") token.kind = Token::Kind::kNot;
        for (const char* op : {"NEAR", "ONEAR", "XRANK", "WORDS"}) {
          if (word == op || (word.substr(0, std::strlen(op) + 1) == std::string(op) + "(")) {
            return ErrorAt(i, "the KQL operator " + std::string(op) + " is not supported; use AND, OR, NOT and \"phrases\"");
          }
        }
        tokens_.push_back(token);
        i = end;
      }
      if (tokens_.size() > static_cast<size_t>(kMaxTokens)) {
        return ErrorAt(i, "the query has more than " + std::to_string(Search::kMaxTerms) + " terms");
      }
    }
    tokens_.push_back({Token::Kind::kEnd, {}, query_.size()});
    return Status::Ok();
  }

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  Result<std::unique_ptr<SearchNode>> ParseOr(int depth) {
    std::vector<std::unique_ptr<SearchNode>> alternatives;
    while (true) {
      auto and_node = ParseAnd(depth);
      if (!and_node.ok()) return and_node.status();
      alternatives.push_back(std::move(*and_node));
      if (Peek().kind != Token::Kind::kOr) break;
      Next();
    }
    return Join(SearchNode::Kind::kOr, std::move(alternatives));
  }

  Result<std::unique_ptr<SearchNode>> ParseAnd(int depth) {
    std::vector<std::unique_ptr<SearchNode>> terms;
    while (true) {
      const Token& t = Peek();
      if (t.kind == Token::Kind::kEnd || t.kind == Token::Kind::kClose || t.kind == Token::Kind::kOr) {
        if (terms.empty()) return Error(t, t.kind == Token::Kind::kOr ? "needs a term before it" : "is not expected here");
        break;
      }
      if (t.kind == Token::Kind::kAnd) {
        if (terms.empty()) return Error(t, "needs a term before it");
        Next();
        const Token& after = Peek();
        if (after.kind == Token::Kind::kEnd || after.kind == Token::Kind::kClose || after.kind == Token::Kind::kOr ||
            after.kind == Token::Kind::kAnd) {
          return Error(t, "needs a term after it");
        }
        continue;
      }
      auto unary = ParseUnary(depth);
      if (!unary.ok()) return unary.status();
      terms.push_back(std::move(*unary));
    }
    return Join(SearchNode::Kind::kAnd, std::move(terms));
  }

  Result<std::unique_ptr<SearchNode>> ParseUnary(int depth) {
    const Token& t = Peek();
    if (t.kind == Token::Kind::kNot || t.kind == Token::Kind::kMinus) {
      Next();
      const Token& operand = Peek();
      if (operand.kind == Token::Kind::kEnd || operand.kind == Token::Kind::kClose || operand.kind == Token::Kind::kOr ||
          operand.kind == Token::Kind::kAnd) {
        return Error(t, "needs a term after it");
      }
      if (depth + 1 > Search::kMaxDepth) return Error(t, "nests deeper than " + std::to_string(Search::kMaxDepth) + " levels");
      auto inner = t.kind == Token::Kind::kNot ? ParseUnary(depth + 1) : ParsePrimary(depth + 1);
      if (!inner.ok()) return inner.status();
      auto node = std::make_unique<SearchNode>();
      node->kind = SearchNode::Kind::kNot;
      node->children.push_back(std::move(*inner));
      return node;
    }
    return ParsePrimary(depth);
  }

  Result<std::unique_ptr<SearchNode>> ParsePrimary(int depth) {
    const Token t = Next();
    if (t.kind == Token::Kind::kOpen) {
      if (depth + 1 > Search::kMaxDepth) return Error(t, "nests deeper than " + std::to_string(Search::kMaxDepth) + " levels");
      auto inner = ParseOr(depth + 1);
      if (!inner.ok()) return inner.status();
      if (Peek().kind != Token::Kind::kClose) return Error(t, "is not closed");
      Next();
      return inner;
    }
    if (t.kind == Token::Kind::kPhrase) return Term(t, SearchProperty::kAny, t.text, true);
    if (t.kind == Token::Kind::kWord) {
      // A restriction: a known property, a colon, and a value (a word, or a phrase right after it).
      const size_t colon = t.text.find(':');
      if (colon != std::string_view::npos) {
        for (const auto& [name, property] : kProperties) {
          if (!EqualsIgnoringCase(t.text.substr(0, colon), name)) continue;
          const std::string_view value = t.text.substr(colon + 1);
          if (!value.empty()) return Term(t, property, value, false);
          if (Peek().kind == Token::Kind::kPhrase && Peek().offset == t.offset + t.text.size()) {
            const Token phrase = Next();
            return Term(phrase, property, phrase.text, true);
          }
          return Error(t, "needs a value after the colon");
        }
      }
      return Term(t, SearchProperty::kAny, t.text, false);
    }
    if (t.kind == Token::Kind::kClose) return Error(t, "closes a parenthesis that was not opened");
    return Error(t, t.kind == Token::Kind::kEnd ? "" : "needs a term before it");
  }

  Result<std::unique_ptr<SearchNode>> Term(const Token& at, SearchProperty property, std::string_view text, bool phrase) {
    if (++terms_ > Search::kMaxTerms) return Error(at, "is one term too many: at most " + std::to_string(Search::kMaxTerms));
    // Text is searched by its terms (search_terms.h): a term of text that makes none (only
    // punctuation or symbols, such as an emoji) could match nothing. A property's value is compared
    // whole.
    const bool text_search = property == SearchProperty::kAny || property == SearchProperty::kFrom;
    auto searchable = [text_search](std::string_view s) {
      return text_search ? !SearchTerms(s).empty() : HasSearchableCharacter(s);
    };
    auto node = std::make_unique<SearchNode>();
    node->property = property;
    if (phrase) {
      node->kind = SearchNode::Kind::kPhrase;
      if (!searchable(text)) return Error(at, "has no letter or digit to search for");
      node->text = std::string(text);
      return node;
    }
    node->kind = SearchNode::Kind::kWord;
    const size_t star = text.find('*');
    if (star != std::string_view::npos) {
      if (star != text.size() - 1) return Error(at, "has a '*' that does not end it: only a trailing * is a wildcard");
      text.remove_suffix(1);
      if (!searchable(text)) return Error(at, "is a wildcard with nothing before it to search for");
      node->kind = SearchNode::Kind::kPrefix;
    }
    if (!searchable(text)) return Error(at, "has no letter or digit to search for");
    node->text = std::string(text);
    return node;
  }

  // `kind` of `children`, or the only child itself; nested nodes of the same kind are flattened.
  static std::unique_ptr<SearchNode> Join(SearchNode::Kind kind, std::vector<std::unique_ptr<SearchNode>> children) {
    if (children.size() == 1) return std::move(children.front());
    auto node = std::make_unique<SearchNode>();
    node->kind = kind;
    for (auto& child : children) {
      if (child->kind == kind) {
        for (auto& grandchild : child->children) node->children.push_back(std::move(grandchild));
      } else {
        node->children.push_back(std::move(child));
      }
    }
    return node;
  }

  // Whether `node` includes something (matches only items that hold a term), rather than only
  // excluding: an AND includes when any part does, an OR when every alternative does.
  static bool Includes(const SearchNode& node) {
    switch (node.kind) {
      case SearchNode::Kind::kNot: return false;
      case SearchNode::Kind::kAnd:
        for (const auto& child : node.children) {
          if (Includes(*child)) return true;
        }
        return false;
      case SearchNode::Kind::kOr:
        for (const auto& child : node.children) {
          if (!Includes(*child)) return false;
        }
        return true;
      default: return true;
    }
  }
  Status CheckIncludes(const SearchNode& root) const {
    if (Includes(root)) return Status::Ok();
    return Status::BadRequest(
        "$search: the query only excludes (NOT or -): add a term it must find, e.g. \"budget NOT draft\"; every "
        "alternative of an OR needs one too");
  }

  static constexpr int kMaxTokens = 4 * Search::kMaxTerms;  // operators and parentheses beside the terms
  std::string_view query_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int terms_ = 0;
};

void Write(const SearchNode& node, std::string* out) {
  switch (node.kind) {
    case SearchNode::Kind::kAnd:
    case SearchNode::Kind::kOr:
    case SearchNode::Kind::kNot:
      *out += node.kind == SearchNode::Kind::kAnd ? "(AND" : node.kind == SearchNode::Kind::kOr ? "(OR" : "(NOT";
      for (const auto& child : node.children) {
        *out += ' ';
        Write(*child, out);
      }
      *out += ')';
      return;
    default:
      if (node.property != SearchProperty::kAny) *out += std::string(SearchPropertyName(node.property)) + ":";
      if (node.kind == SearchNode::Kind::kPhrase) *out += "\"" + node.text + "\"";
      else *out += node.text + (node.kind == SearchNode::Kind::kPrefix ? "*" : "");
  }
}

}  // namespace kql
}  // namespace

const char* SearchPropertyName(SearchProperty p) {
  for (const auto& [name, property] : kql::kProperties) {
    if (property == p) return name;
  }
  return "";
}

Result<Search> Search::Parse(std::string_view text) {
  if (text.size() > kMaxLength) {
    return Status::BadRequest("$search is " + std::to_string(text.size()) + " bytes long; at most " +
                              std::to_string(kMaxLength) + " are allowed");
  }
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return Status::BadRequest("$search is not valid UTF-8 (at byte " + std::to_string(bad + 1) +
                              "); encode the text as UTF-8 before percent-encoding it");
  }
  bool blank = true;
  for (char c : text) blank = blank && kql::IsSpace(c);
  if (blank) return Status::BadRequest("$search is empty: give the words to find");
  auto root = kql::Parser(text).Run();
  if (!root.ok()) return root.status();
  Search search;
  search.root_ = std::move(*root);
  return search;
}

std::string Search::ToString() const {
  std::string out;
  kql::Write(*root_, &out);
  return out;
}

}  // namespace aih::odata
