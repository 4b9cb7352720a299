#include "notify/change_matcher.h"

namespace aih::notify {

Result<ChangeMatcher> ChangeMatcher::For(const store::Subscription& s) {
  std::optional<odata::Filter> filter;
  if (!s.filter.empty()) {
    auto parsed = odata::Filter::Parse(s.filter);
    if (!parsed.ok()) {
      return Status::Internal("the stored $filter of subscription " + s.id + " no longer parses: " +
                              parsed.status().message());
    }
    filter = std::move(*parsed);
  }
  return ChangeMatcher(s.change_types, s.user_id, std::move(filter));
}

bool ChangeMatcher::Covers(const store::Change& change) const {
  if (!(change_types_ & store::ChangeTypeBit(change.type))) return false;
  return user_id_.empty() || user_id_ == change.user_id;
}

bool ChangeMatcher::Matches(const store::Change& change, const model::Interaction* interaction) const {
  if (!Covers(change)) return false;
  if (!filter_) return true;
  if (change.type == store::ChangeType::kDeleted || !interaction) return MatchesWithoutInteraction(change);
  return filter_->Matches(*interaction);
}

bool ChangeMatcher::MatchesWithoutInteraction(const store::Change& change) const {
  if (!Covers(change)) return false;
  if (!filter_) return true;
  return EvaluateOnDeleted(filter_->root(), change.interaction_id, change.ticks).value_or(true);
}

std::optional<bool> EvaluateOnDeleted(const odata::FilterNode& node, const std::string& id, int64_t ticks) {
  using Kind = odata::FilterNode::Kind;
  if (node.kind == Kind::kComparison) {
    const odata::Comparison& c = node.comparison;
    switch (c.property) {
      case odata::Property::kId:
        return c.op == odata::Op::kEq ? id == c.text : id != c.text;
      case odata::Property::kCreatedDateTime:
        switch (c.op) {
          case odata::Op::kGt: return ticks > c.ticks;
          case odata::Op::kGe: return ticks >= c.ticks;
          case odata::Op::kLt: return ticks < c.ticks;
          case odata::Op::kLe: return ticks <= c.ticks;
          case odata::Op::kEq: return ticks == c.ticks;
          case odata::Op::kNe: return ticks != c.ticks;
        }
        return std::nullopt;
      default:
        return std::nullopt;  // the deleted interaction's other properties are no longer known
    }
  }
  // Kleene logic: `and` is false as soon as one child is, `or` true as soon as one child is.
  const bool is_and = node.kind == Kind::kAnd;
  bool undecided = false;
  for (const auto& child : node.children) {
    std::optional<bool> v = EvaluateOnDeleted(*child, id, ticks);
    if (!v) {
      undecided = true;
    } else if (*v != is_and) {
      return !is_and;
    }
  }
  if (undecided) return std::nullopt;
  return is_and;
}

}  // namespace aih::notify
