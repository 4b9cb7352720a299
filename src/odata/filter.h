// Filter: the parsed `$filter` of getAllEnterpriseInteractions (section 3 of the contract).
//
// Grammar: comparisons of top-level properties joined by `and` / `or` (and binds tighter), with
// parentheses; no `not`, no functions, no nested paths. Strings in single quotes ('' escapes a
// quote); dates unquoted ISO 8601 with an offset. Allowed operators per property:
//   appClass, conversationType, interactionType, locale : eq, ne
//   sessionId, requestId, id                             : eq
//   createdDateTime                                      : gt, ge, lt, le
// interactionType values must be userPrompt|aiResponse|unknownFutureValue. Keywords and property
// names are matched case-sensitively, as Graph does. Any error names the offending token and its
// 1-based character position. Hostile input is bounded: nesting deeper than kMaxDepth, text longer
// than kMaxLength bytes and more than kMaxComparisons comparisons are refused, and the depth is
// checked before recursing, so no input can exhaust the stack.
//
// The tree is normalised: redundant parentheses leave no trace, and an `and` (`or`) node never has an
// `and` (`or`) child, so `a and (b and c)` and `(a and b) and c` are the same three-child node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/interaction.h"

namespace aih::odata {

enum class Property { kAppClass, kConversationType, kInteractionType, kLocale, kSessionId, kRequestId, kId, kCreatedDateTime };
enum class Op { kEq, kNe, kGt, kGe, kLt, kLe };

const char* PropertyName(Property p);  // the Graph name, e.g. "appClass"
const char* OpName(Op op);             // "eq", ...

struct Comparison {
  Property property;
  Op op;
  std::string text;    // the string literal's value (unescaped), for string properties
  int64_t ticks = 0;   // for createdDateTime: 100 ns ticks since the epoch
};

struct FilterNode {
  enum class Kind { kComparison, kAnd, kOr } kind = Kind::kComparison;
  Comparison comparison;                              // kComparison
  std::vector<std::unique_ptr<FilterNode>> children;  // kAnd / kOr: two or more
};

class Filter {
 public:
  static constexpr int kMaxDepth = 32;          // levels of parentheses
  static constexpr size_t kMaxLength = 8192;    // bytes of (decoded) filter text
  static constexpr int kMaxComparisons = 200;

  // Parses `text` (already percent-decoded). An empty or all-space text is refused.
  static Result<Filter> Parse(std::string_view text);

  const FilterNode& root() const { return *root_; }

  // True when `interaction` satisfies the filter (used for subscription filters). OData null
  // semantics: a null property is never `eq` a value and always `ne` it.
  bool Matches(const model::Interaction& interaction) const;

  // A canonical text form: same meaning, same string (used to bind cursors to their query). Single
  // spaces, parentheses only where `or` sits inside `and`, quotes re-escaped, dates in UTC with the
  // fewest fractional digits. It parses back to itself (when within kMaxLength: normalising can
  // lengthen a filter, e.g. `eq'x'` becomes `eq 'x'`).
  std::string Canonical() const;

 private:
  std::shared_ptr<const FilterNode> root_;
};

}  // namespace aih::odata
