// ChangeMatcher: whether a change of the change feed is one a subscription asked for (section 7).
//
// A change matches when the subscription asked for its changeType, covers its owner (tenant-wide, or
// that user) and its $filter holds. For a created or updated change the filter is evaluated on the
// interaction as stored (odata::Filter::Matches). For a deleted one the interaction is gone and only
// its id and createdDateTime are known: the filter is evaluated over those, a comparison of any other
// property is undecided, and an undecided filter counts as a match: a receiver would rather be told of
// one deletion too many than miss the deletion of an interaction it holds. A creation or update whose
// interaction was deleted before it was routed is judged the same way.
#pragma once

#include <optional>
#include <string>

#include "model/interaction.h"
#include "odata/filter.h"
#include "store/change_feed.h"
#include "store/subscription_store.h"

namespace aih::notify {

class ChangeMatcher {
 public:
  // kInternal if the stored filter no longer parses (it was valid when the subscription was made).
  static Result<ChangeMatcher> For(const store::Subscription& subscription);

  // Whether the changeType and the owner match: what can be decided without reading the interaction.
  bool Covers(const store::Change& change) const;
  // Whether the filter needs the interaction's properties (beyond id and createdDateTime) to decide.
  bool NeedsInteraction() const { return filter_.has_value(); }

  // Covers(change) and the filter holds for `interaction` (created, updated). `interaction` is
  // ignored for a deleted change, which is judged as described above.
  bool Matches(const store::Change& change, const model::Interaction* interaction) const;
  // Covers(change) and the filter may hold on what the change alone tells (id, createdDateTime): how a
  // deletion is judged, and a creation or update whose interaction was deleted before it was routed.
  bool MatchesWithoutInteraction(const store::Change& change) const;

 private:
  ChangeMatcher(uint8_t change_types, std::string user_id, std::optional<odata::Filter> filter)
      : change_types_(change_types), user_id_(std::move(user_id)), filter_(std::move(filter)) {}

  uint8_t change_types_;
  std::string user_id_;
  std::optional<odata::Filter> filter_;
};

// The three-valued evaluation of a deleted change: true, false, or undecided (nullopt) when it
// depends on a property the change does not carry.
std::optional<bool> EvaluateOnDeleted(const odata::FilterNode& node, const std::string& id, int64_t ticks);

}  // namespace aih::notify
