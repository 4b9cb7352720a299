#include "store/legal_hold.h"

#include <algorithm>

namespace aih::store {

Result<HoldCoverage> HoldCoverage::For(const LegalHold& hold) {
  std::optional<odata::Filter> query;
  if (!hold.content_query.empty()) {
    auto parsed = odata::Filter::Parse(hold.content_query);
    if (!parsed.ok()) {
      return Status::Internal("the content query of legal hold " + hold.id + " no longer parses: " +
                              parsed.status().message());
    }
    query = std::move(*parsed);
  }
  std::shared_ptr<const odata::Search> search;
  if (!hold.content_search.empty()) {
    auto parsed = odata::Search::Parse(hold.content_search);
    if (!parsed.ok()) {
      return Status::Internal("the content search of legal hold " + hold.id + " no longer parses: " +
                              parsed.status().message());
    }
    search = std::make_shared<const odata::Search>(std::move(*parsed));
  }
  return HoldCoverage(hold, std::move(query), std::move(search));
}

bool HoldCoverage::Covers(const std::string& user_id, const model::Interaction& item, bool searched) const {
  if (!hold_.active) return false;
  if (!std::binary_search(hold_.user_ids.begin(), hold_.user_ids.end(), user_id)) return false;
  if (item.created.ticks < hold_.start_ticks || item.created.ticks >= hold_.end_ticks) return false;
  if (search_ && !searched) return false;
  return !query_ || query_->Matches(item);
}

Status HeldBy(const LegalHold& hold, const std::string& user_id, const std::string& interaction_id) {
  return Status::Conflict("interaction '" + interaction_id + "' of user " + user_id + " is under legal hold " + hold.id +
                          " ('" + hold.display_name + "', case " + hold.case_id +
                          "): nothing was deleted; release the hold first if the deletion is lawful");
}

}  // namespace aih::store
