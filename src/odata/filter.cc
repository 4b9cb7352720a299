#include "odata/filter.h"

#include <algorithm>
#include <utility>

#include "model/timestamp.h"
#include "odata/text.h"

namespace aih::odata {
namespace {

using Kind = FilterNode::Kind;

// ---------------------------------------------------------------------------------------------
// What each property accepts.

enum class ValueType { kString, kInteractionType, kDateTime };

constexpr unsigned Bit(Op op) { return 1u << static_cast<unsigned>(op); }
constexpr unsigned kEqNe = Bit(Op::kEq) | Bit(Op::kNe);
constexpr unsigned kEqOnly = Bit(Op::kEq);
constexpr unsigned kRange = Bit(Op::kGt) | Bit(Op::kGe) | Bit(Op::kLt) | Bit(Op::kLe);

struct PropertySpec {
  Property property;
  std::string_view name;
  unsigned ops;
  ValueType type;
  const char* ops_text;  // for error messages
};

// Alphabetical, the order in which error messages list them.
constexpr PropertySpec kProperties[] = {
    {Property::kAppClass, "appClass", kEqNe, ValueType::kString, "eq and ne"},
    {Property::kConversationType, "conversationType", kEqNe, ValueType::kString, "eq and ne"},
    {Property::kCreatedDateTime, "createdDateTime", kRange, ValueType::kDateTime, "gt, ge, lt and le"},
    {Property::kId, "id", kEqOnly, ValueType::kString, "only eq"},
    {Property::kInteractionType, "interactionType", kEqNe, ValueType::kInteractionType, "eq and ne"},
    {Property::kLocale, "locale", kEqNe, ValueType::kString, "eq and ne"},
    {Property::kRequestId, "requestId", kEqOnly, ValueType::kString, "only eq"},
    {Property::kSessionId, "sessionId", kEqOnly, ValueType::kString, "only eq"},
};
constexpr const char* kPropertyList =
    "appClass, conversationType, createdDateTime, id, interactionType, locale, requestId, sessionId";

const PropertySpec& SpecOf(Property p) {
  for (const auto& spec : kProperties) {
    if (spec.property == p) return spec;
  }
  return kProperties[0];  // unreachable: every Property is in the table
}

constexpr std::pair<std::string_view, Op> kOps[] = {
    {"eq", Op::kEq}, {"ne", Op::kNe}, {"gt", Op::kGt}, {"ge", Op::kGe}, {"lt", Op::kLt}, {"le", Op::kLe},
};

constexpr std::string_view kInteractionTypes[] = {"userPrompt", "aiResponse", "unknownFutureValue"};

// The Graph name of an interaction type. Kept here rather than calling model::ToString so that
// odata depends on the model's data, not on its code.
std::string_view InteractionTypeName(model::InteractionType type) {
  switch (type) {
    case model::InteractionType::kUserPrompt: return "userPrompt";
    case model::InteractionType::kAiResponse: return "aiResponse";
    case model::InteractionType::kUnknownFutureValue: return "unknownFutureValue";
  }
  return "unknownFutureValue";
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// ---------------------------------------------------------------------------------------------
// Tokens. A word is any run of characters other than whitespace, parentheses and quotes: property
// names, operators, keywords and dates are all words, and the parser decides what a word means where
// it stands. That keeps every error at the parser, where it can say what was expected.

struct Token {
  enum class Kind { kEnd, kOpen, kClose, kString, kWord } kind = Kind::kEnd;
  size_t offset = 0;     // byte offset of its first character
  std::string_view raw;  // as written (a string with its quotes)
  std::string value;     // a string's unescaped value; a word's text
};
using TokenKind = Token::Kind;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Status Run(std::unique_ptr<FilterNode>* out) {
    AIH_RETURN_IF_ERROR(Advance());
    AIH_RETURN_IF_ERROR(ParseOr(0, out));
    if (tok_.kind == TokenKind::kClose) {
      return Fail("unexpected ')' at position " + Pos(tok_.offset) + " with no matching '('");
    }
    if (tok_.kind != TokenKind::kEnd) {
      return Fail("unexpected " + Describe(tok_) + " at position " + Pos(tok_.offset) +
                  "; expected 'and', 'or' or the end of the filter" + QuoteHint());
    }
    return Status::Ok();
  }

 private:
  // or_expr := and_expr ('or' and_expr)*
  Status ParseOr(int depth, std::unique_ptr<FilterNode>* out) {
    std::vector<std::unique_ptr<FilterNode>> parts(1);
    AIH_RETURN_IF_ERROR(ParseAnd(depth, &parts.back()));
    while (IsWord("or")) {
      AIH_RETURN_IF_ERROR(Advance());
      parts.emplace_back();
      AIH_RETURN_IF_ERROR(ParseAnd(depth, &parts.back()));
    }
    *out = Join(Kind::kOr, std::move(parts));
    return Status::Ok();
  }

  // and_expr := primary ('and' primary)*
  Status ParseAnd(int depth, std::unique_ptr<FilterNode>* out) {
    std::vector<std::unique_ptr<FilterNode>> parts(1);
    AIH_RETURN_IF_ERROR(ParsePrimary(depth, &parts.back()));
    while (IsWord("and")) {
      AIH_RETURN_IF_ERROR(Advance());
      parts.emplace_back();
      AIH_RETURN_IF_ERROR(ParsePrimary(depth, &parts.back()));
    }
    *out = Join(Kind::kAnd, std::move(parts));
    return Status::Ok();
  }

  // primary := '(' or_expr ')' | comparison
  Status ParsePrimary(int depth, std::unique_ptr<FilterNode>* out) {
    switch (tok_.kind) {
      case TokenKind::kOpen: {
        // Checked before recursing: the stack depth is bounded by kMaxDepth, whatever the input.
        if (depth == Filter::kMaxDepth) {
          return Fail("the filter is nested more than " + std::to_string(Filter::kMaxDepth) +
                      " levels deep; the '(' at position " + Pos(tok_.offset) + " is one too many");
        }
        const size_t open = tok_.offset;
        AIH_RETURN_IF_ERROR(Advance());
        AIH_RETURN_IF_ERROR(ParseOr(depth + 1, out));
        if (tok_.kind == TokenKind::kEnd) {
          return Fail("the '(' at position " + Pos(open) + " is never closed; add a ')'");
        }
        if (tok_.kind != TokenKind::kClose) {
          return Fail("unexpected " + Describe(tok_) + " at position " + Pos(tok_.offset) +
                      "; expected 'and', 'or' or the ')' closing the '(' at position " + Pos(open) + QuoteHint());
        }
        return Advance();
      }
      case TokenKind::kWord:
        return ParseComparison(out);
      case TokenKind::kEnd:
        return Fail("the filter ends at position " + Pos(tok_.offset) + " where a comparison was expected");
      case TokenKind::kClose:
        return Fail("unexpected ')' at position " + Pos(tok_.offset) + " where a comparison was expected");
      case TokenKind::kString:
        return Fail("expected a property name at position " + Pos(tok_.offset) + " but found the string " +
                    Excerpt(tok_.raw) + "; write the property first, like appClass eq " + Excerpt(tok_.raw));
    }
    return Status::Internal("unreachable");
  }

  // comparison := property op literal
  Status ParseComparison(std::unique_ptr<FilterNode>* out) {
    const Token name = std::move(tok_);
    AIH_RETURN_IF_ERROR(Advance());
    const std::string at = " at position " + Pos(name.offset);
    if (name.value == "not") {
      return Fail("the 'not' operator is not supported ('not'" + at +
                  "); state the condition directly, e.g. with ne instead of eq");
    }
    if (tok_.kind == TokenKind::kOpen) {
      return Fail("functions are not supported: '" + Excerpt(name.value) + "'" + at +
                  " is a function call; use comparisons such as appClass eq '...' joined by and / or");
    }
    if (name.value.find('/') != std::string::npos) {
      return Fail("only top-level properties can be filtered; '" + Excerpt(name.value) + "'" + at +
                  " is a nested path; filterable properties are " + kPropertyList);
    }
    if (name.value == "and" || name.value == "or") {
      return Fail("expected a comparison" + at + " but found '" + name.value + "'");
    }
    const PropertySpec* spec = nullptr;
    const PropertySpec* near = nullptr;
    for (const auto& candidate : kProperties) {
      if (candidate.name == name.value) spec = &candidate;
      if (EqualsIgnoringAsciiCase(candidate.name, name.value)) near = &candidate;
    }
    if (spec == nullptr) {
      std::string hint;
      if (near != nullptr) hint = " (names are case-sensitive: did you mean '" + std::string(near->name) + "'?)";
      return Fail("unknown property '" + Excerpt(name.value) + "'" + at + hint + "; filterable properties are " +
                  kPropertyList);
    }

    Op op{};  // set by ParseOperator (GCC cannot always see it in a unity build)
    AIH_RETURN_IF_ERROR(ParseOperator(*spec, name, &op));

    auto node = std::make_unique<FilterNode>();
    node->kind = Kind::kComparison;
    node->comparison.property = spec->property;
    node->comparison.op = op;
    AIH_RETURN_IF_ERROR(ParseValue(*spec, &node->comparison));

    if (++comparisons_ > Filter::kMaxComparisons) {
      return Fail("the filter has more than " + std::to_string(Filter::kMaxComparisons) +
                  " comparisons (the one" + at + " is one too many); split the export into several queries");
    }
    *out = std::move(node);
    return Status::Ok();
  }

  Status ParseOperator(const PropertySpec& spec, const Token& name, Op* op) {
    const std::string allows = "; " + std::string(spec.name) + " allows " + spec.ops_text;
    if (tok_.kind == TokenKind::kEnd) {
      return Fail("'" + name.value + "' at position " + Pos(name.offset) + " is not followed by an operator" +
                  allows);
    }
    if (tok_.kind != TokenKind::kWord) {
      return Fail("expected an operator after '" + name.value + "' at position " + Pos(tok_.offset) +
                  " but found " + Describe(tok_) + allows);
    }
    const std::string at = " at position " + Pos(tok_.offset);
    for (const auto& [text, candidate] : kOps) {
      if (tok_.value != text) continue;
      if ((spec.ops & Bit(candidate)) == 0) {
        return Fail("operator '" + tok_.value + "'" + at + " is not allowed for " + std::string(spec.name) +
                    allows);
      }
      *op = candidate;
      return Advance();
    }
    if (tok_.value == "in") {
      return Fail("the 'in' operator" + at + " is not supported; join eq comparisons with or");
    }
    std::string hint;
    for (const auto& entry : kOps) {
      if (EqualsIgnoringAsciiCase(entry.first, tok_.value)) hint = " (operators are lowercase)";
    }
    return Fail("unknown operator '" + Excerpt(tok_.value) + "'" + at + hint + allows);
  }

  Status ParseValue(const PropertySpec& spec, Comparison* comparison) {
    const std::string property(spec.name);
    const std::string at = " at position " + Pos(tok_.offset);
    if (tok_.kind == TokenKind::kEnd) {
      return Fail("the filter ends at position " + Pos(tok_.offset) + " where the value compared with " +
                  property + " was expected");
    }
    if (tok_.kind == TokenKind::kOpen || tok_.kind == TokenKind::kClose) {
      return Fail("expected the value compared with " + property + at + " but found " + Describe(tok_));
    }
    if (tok_.kind == TokenKind::kWord && tok_.value == "null") {
      return Fail("'null'" + at + ": comparing " + property + " with null is not supported");
    }

    if (spec.type == ValueType::kDateTime) {
      if (tok_.kind == TokenKind::kString) {
        return Fail("the date " + Excerpt(tok_.raw) + at + " must not be quoted; write " + property + " " +
                    OpName(comparison->op) + " " + Excerpt(tok_.value));
      }
      // Parse also refuses an instant whose UTC year leaves 1601..9999 (1601-01-01T00:30:00+01:00),
      // which is what lets Canonical() write every accepted date back in a form that parses.
      Result<model::Timestamp> ts = model::Timestamp::Parse(tok_.value);
      if (!ts.ok()) {
        if (LostPlusSign()) {
          return Fail("the date '" + Excerpt(tok_.value) + "'" + at +
                      " has no UTC offset: its '+' became a space, because '+' means a space in a query "
                      "string; encode it as %2B (e.g. +02:00 as %2B02:00) or give the time in UTC with Z");
        }
        return Fail("invalid " + property + " value" + at + ": " + ts.status().message());
      }
      comparison->ticks = ts->ticks;
      return Advance();
    }

    if (tok_.kind == TokenKind::kWord) {
      return Fail("the value '" + Excerpt(tok_.value) + "'" + at + " compared with " + property +
                  " must be a string in single quotes, like '" + Excerpt(tok_.value) + "'");
    }
    if (spec.type == ValueType::kInteractionType &&
        std::find(std::begin(kInteractionTypes), std::end(kInteractionTypes), tok_.value) ==
            std::end(kInteractionTypes)) {
      return Fail("interactionType value " + Excerpt(tok_.raw) + at +
                  " is not one of 'userPrompt', 'aiResponse', 'unknownFutureValue' (values are case-sensitive)");
    }
    comparison->text = std::move(tok_.value);
    return Advance();
  }

  // True when the current word is a date without offset followed by "HH:MM": what is left of
  // `...:00+02:00` after a form decoder turned the '+' into a space.
  bool LostPlusSign() const {
    size_t i = tok_.offset + tok_.raw.size();
    if (i >= text_.size() || text_[i] != ' ') return false;
    while (i < text_.size() && text_[i] == ' ') ++i;
    std::string_view rest = text_.substr(i, 5);
    if (rest.size() != 5) return false;
    return model::Timestamp::Parse(tok_.value + "+" + std::string(rest)).ok();
  }

  // For `'it's'`: a token glued to the end of a string most likely continues it past a lone quote.
  std::string QuoteHint() const {
    if (!previous_was_string_ || tok_.offset != previous_end_) return "";
    return " (to put a quote inside a string, write it twice: 'it''s')";
  }

  // The lexer: reads the token at pos_ into tok_.
  Status Advance() {
    previous_was_string_ = tok_.kind == TokenKind::kString;
    previous_end_ = pos_;
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    tok_ = Token{};
    tok_.offset = pos_;
    if (pos_ == text_.size()) {
      tok_.kind = TokenKind::kEnd;
      return Status::Ok();
    }
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      tok_.kind = c == '(' ? TokenKind::kOpen : TokenKind::kClose;
      tok_.raw = text_.substr(pos_++, 1);
      return Status::Ok();
    }
    if (c == '\'') {
      tok_.kind = TokenKind::kString;
      size_t i = pos_ + 1;
      for (;;) {
        if (i == text_.size()) {
          return Fail("unterminated string starting at position " + Pos(pos_) +
                      "; end it with ' (and write '' for a quote inside it)");
        }
        if (text_[i] == '\'') {
          if (i + 1 < text_.size() && text_[i + 1] == '\'') {
            tok_.value += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        tok_.value += text_[i++];
      }
      tok_.raw = text_.substr(pos_, i - pos_);
      pos_ = i;
      return Status::Ok();
    }
    tok_.kind = TokenKind::kWord;
    size_t i = pos_;
    while (i < text_.size() && !IsSpace(text_[i]) && text_[i] != '(' && text_[i] != ')' && text_[i] != '\'') ++i;
    tok_.raw = text_.substr(pos_, i - pos_);
    tok_.value = std::string(tok_.raw);
    pos_ = i;
    return Status::Ok();
  }

  bool IsWord(std::string_view word) const { return tok_.kind == TokenKind::kWord && tok_.value == word; }

  std::string Pos(size_t offset) const { return std::to_string(CharPosition(text_, offset)); }

  static std::string Describe(const Token& token) {
    switch (token.kind) {
      case TokenKind::kEnd: return "the end of the filter";
      case TokenKind::kOpen: return "'('";
      case TokenKind::kClose: return "')'";
      case TokenKind::kString: return "the string " + Excerpt(token.raw);
      case TokenKind::kWord: return "'" + Excerpt(token.value) + "'";
    }
    return "";
  }

  static Status Fail(const std::string& message) { return Status::BadRequest("$filter: " + message); }

  // Builds an and/or node from its operands, splicing in operands of the same kind so that
  // associativity and redundant parentheses leave no trace in the tree.
  static std::unique_ptr<FilterNode> Join(Kind kind, std::vector<std::unique_ptr<FilterNode>> parts) {
    if (parts.size() == 1) return std::move(parts.front());
    auto node = std::make_unique<FilterNode>();
    node->kind = kind;
    for (auto& part : parts) {
      if (part->kind == kind) {
        for (auto& child : part->children) node->children.push_back(std::move(child));
      } else {
        node->children.push_back(std::move(part));
      }
    }
    return node;
  }

  std::string_view text_;
  size_t pos_ = 0;
  Token tok_;
  bool previous_was_string_ = false;
  size_t previous_end_ = 0;
  int comparisons_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Evaluation and canonical text.

bool CompareText(Op op, const std::string* value, const std::string& literal) {
  // OData null semantics: null eq 'x' is false, null ne 'x' is true.
  if (op == Op::kEq) return value != nullptr && *value == literal;
  return value == nullptr || *value != literal;
}

bool Evaluate(const FilterNode& node, const model::Interaction& item) {
  switch (node.kind) {
    case Kind::kAnd:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](const auto& child) { return Evaluate(*child, item); });
    case Kind::kOr:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](const auto& child) { return Evaluate(*child, item); });
    case Kind::kComparison:
      break;
  }
  const Comparison& c = node.comparison;
  auto optional = [](const model::OptString& s) { return s ? &*s : nullptr; };
  switch (c.property) {
    case Property::kAppClass: return CompareText(c.op, &item.app_class, c.text);
    case Property::kConversationType: return CompareText(c.op, optional(item.conversation_type), c.text);
    case Property::kLocale: return CompareText(c.op, optional(item.locale), c.text);
    case Property::kSessionId: return CompareText(c.op, optional(item.session_id), c.text);
    case Property::kRequestId: return CompareText(c.op, optional(item.request_id), c.text);
    case Property::kId: return CompareText(c.op, &item.id, c.text);
    case Property::kInteractionType: {
      const std::string name(InteractionTypeName(item.interaction_type));
      return CompareText(c.op, &name, c.text);
    }
    case Property::kCreatedDateTime: {
      const int64_t t = item.created.ticks;
      switch (c.op) {
        case Op::kGt: return t > c.ticks;
        case Op::kGe: return t >= c.ticks;
        case Op::kLt: return t < c.ticks;
        case Op::kLe: return t <= c.ticks;
        case Op::kEq: return t == c.ticks;  // not produced by the parser
        case Op::kNe: return t != c.ticks;
      }
    }
  }
  return false;
}

// UTC with the fewest fractional digits that keep the instant: one spelling per instant.
std::string CanonicalDate(int64_t ticks) {
  int64_t fraction = ticks % model::Timestamp::kTicksPerSecond;
  if (fraction < 0) fraction += model::Timestamp::kTicksPerSecond;
  uint8_t digits = 7;
  while (digits > 0 && fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  model::Timestamp ts;
  ts.ticks = ticks;
  ts.fraction_digits = digits;
  return ts.ToString();
}

void AppendCanonical(const FilterNode& node, std::string* out) {
  if (node.kind == Kind::kComparison) {
    const Comparison& c = node.comparison;
    *out += PropertyName(c.property);
    *out += ' ';
    *out += OpName(c.op);
    *out += ' ';
    if (c.property == Property::kCreatedDateTime) {
      *out += CanonicalDate(c.ticks);
    } else {
      *out += '\'';
      for (char ch : c.text) {
        if (ch == '\'') *out += '\'';
        *out += ch;
      }
      *out += '\'';
    }
    return;
  }
  const char* joiner = node.kind == Kind::kAnd ? " and " : " or ";
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (i > 0) *out += joiner;
    const FilterNode& child = *node.children[i];
    // `and` binds tighter than `or`, so only an `or` inside an `and` needs parentheses; adding no
    // others keeps the canonical text as shallow as the input (and so within kMaxDepth).
    const bool parenthesise = node.kind == Kind::kAnd && child.kind == Kind::kOr;
    if (parenthesise) *out += '(';
    AppendCanonical(child, out);
    if (parenthesise) *out += ')';
  }
}

}  // namespace

const char* PropertyName(Property p) { return SpecOf(p).name.data(); }

const char* OpName(Op op) {
  for (const auto& [text, candidate] : kOps) {
    if (candidate == op) return text.data();
  }
  return "?";
}

Result<Filter> Filter::Parse(std::string_view text) {
  if (text.size() > kMaxLength) {
    return Status::BadRequest("$filter is " + std::to_string(text.size()) + " bytes long, more than the " +
                              std::to_string(kMaxLength) + " allowed; split the export into several queries");
  }
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return Status::BadRequest("$filter is not valid UTF-8 (at byte " + std::to_string(bad + 1) +
                              "); encode the text as UTF-8 before percent-encoding it");
  }
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return Status::BadRequest("$filter: a NUL character at position " + std::to_string(CharPosition(text, nul)) +
                              " is not allowed");
  }
  if (std::all_of(text.begin(), text.end(), IsSpace)) {
    return Status::BadRequest(
        "$filter is empty; give a condition such as createdDateTime ge 2026-01-01T00:00:00Z, or leave "
        "$filter out");
  }
  std::unique_ptr<FilterNode> root;
  AIH_RETURN_IF_ERROR(Parser(text).Run(&root));
  Filter filter;
  filter.root_ = std::move(root);
  return filter;
}

bool Filter::Matches(const model::Interaction& interaction) const { return Evaluate(*root_, interaction); }

std::string Filter::Canonical() const {
  std::string out;
  AppendCanonical(*root_, &out);
  return out;
}

}  // namespace aih::odata
