#include "policy/retention.h"

#include <algorithm>

#include "model/interaction_reader.h"
#include "model/timestamp.h"

namespace aih::policy {
namespace {


bool AppClassMatches(const std::string& pattern, const std::string& app_class) {
  if (pattern.empty()) return true;
  if (pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, ".*") == 0) {
    // "Prefix.*": every appClass under Prefix.
    return app_class.size() > pattern.size() - 1 && app_class.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  }
  return pattern == app_class;
}

}  // namespace

bool RetentionApplies(const store::RetentionPolicy& policy, const std::string& user_id, const std::string& app_class,
                      bool first_party) {
  if (policy.party == store::RetentionPolicy::Party::kFirstParty && !first_party) return false;
  if (policy.party == store::RetentionPolicy::Party::kThirdParty && first_party) return false;
  if (!AppClassMatches(policy.app_class, app_class)) return false;
  return policy.user_ids.empty() || std::binary_search(policy.user_ids.begin(), policy.user_ids.end(), user_id);
}

RetentionDecision Decide(const std::vector<const store::RetentionPolicy*>& applicable, int64_t created_ticks) {
  RetentionDecision decision;
  std::optional<int64_t> earliest_delete;
  for (const store::RetentionPolicy* p : applicable) {
    decision.policy_ids.push_back(p->id);
    const int64_t end = created_ticks + p->period_days * model::Timestamp::kTicksPerDay;
    const bool retains = p->action != store::RetentionPolicy::Action::kDelete;
    const bool deletes = p->action != store::RetentionPolicy::Action::kRetain;
    if (retains) decision.retain_until_ticks = std::max(decision.retain_until_ticks.value_or(end), end);
    if (deletes) earliest_delete = std::min(earliest_delete.value_or(end), end);
  }
  if (earliest_delete) {
    decision.delete_at_ticks = std::max(*earliest_delete, decision.retain_until_ticks.value_or(*earliest_delete));
  }
  return decision;
}

Status ValidateRetentionPolicy(const store::RetentionPolicy& p) {
  if (p.display_name.empty()) return Status::BadRequest("displayName is required");
  if (p.period_days < 1) {
    return Status::BadRequest("the period must be at least 1 day (counted from createdDateTime); " +
                              std::to_string(p.period_days) + " would delete at once or retain nothing");
  }
  if (p.period_days > kMaxRetentionDays) {
    return Status::BadRequest("the period must be at most " + std::to_string(kMaxRetentionDays) + " days (100 years), not " +
                              std::to_string(p.period_days) + "; to keep interactions forever, use no deleting policy");
  }
  if (p.app_class.find('*') != std::string::npos &&
      !(p.app_class.size() >= 2 && p.app_class.compare(p.app_class.size() - 2, 2, ".*") == 0 &&
        p.app_class.find('*') == p.app_class.size() - 1)) {
    return Status::BadRequest("appClass '" + p.app_class +
                              "': a pattern may only end in '.*' (e.g. IPM.SkypeTeams.Message.Copilot.*)");
  }
  return Status::Ok();
}

Result<ItemRetention> RetentionOf(store::Store& store, const std::string& tenant_id, const std::string& user_id,
                                  const std::string& id) {
  auto json = store.interactions().Get(tenant_id, user_id, id);
  if (!json.ok()) return json.status();
  auto item = model::ReadStoredItem(*json);
  if (!item.ok()) return Status::Internal("a stored interaction does not read back: " + item.status().message());
  const model::Interaction& in = item->interaction;
  auto policies = store.retention().ListPolicies(tenant_id);
  if (!policies.ok()) return policies.status();
  bool first_party = false;
  auto source = store.directory().GetSource(tenant_id, in.app_class);
  if (source.ok()) {
    first_party = source->kind == store::SourceKind::kFirstParty;
  } else if (source.status().code() != Code::kNotFound) {
    return source.status();
  }
  ItemRetention out;
  for (auto& p : *policies) {
    if (RetentionApplies(p, user_id, in.app_class, first_party)) out.policies.push_back(std::move(p));
  }
  std::vector<const store::RetentionPolicy*> applicable;
  for (const auto& p : out.policies) applicable.push_back(&p);
  out.decision = Decide(applicable, in.created.ticks);
  return out;
}

}  // namespace aih::policy
