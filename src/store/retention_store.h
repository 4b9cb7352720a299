// RetentionStore: a tenant's retention policies, the items a retention sweep looks at, and the
// per-tenant lease that lets one server at a time sweep a tenant (policy/retention_sweep.h).
// What a policy means, and how policies in conflict are resolved, is policy/retention.h's.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace aih::store {

struct RetentionPolicy {
  enum class Action { kRetain, kDelete, kRetainThenDelete };
  enum class Party { kAll, kFirstParty, kThirdParty };

  std::string tenant_id;
  std::string id;
  std::string display_name;
  std::string app_class;  // "" every source; "Prefix.*" those starting with "Prefix."; else one appClass
  Party party = Party::kAll;
  std::vector<std::string> user_ids;  // empty: every user; else sorted object ids
  Action action = Action::kDelete;
  int64_t period_days = 0;  // counted from createdDateTime
  int64_t created_ms = 0;
};

const char* ToString(RetentionPolicy::Action action);  // "retain", "delete", "retainThenDelete"
const char* ToString(RetentionPolicy::Party party);    // "all", "first-party", "third-party"

// An item as a sweep judges it.
struct RetentionCandidate {
  std::string user_id;
  std::string id;
  int64_t created_ticks = 0;
  std::string app_class;
};

class RetentionStore {
 public:
  virtual ~RetentionStore() = default;

  // kConflict if the id is taken.
  virtual Status CreatePolicy(const RetentionPolicy& policy) = 0;
  virtual Result<std::vector<RetentionPolicy>> ListPolicies(const std::string& tenant_id) = 0;
  // kNotFound if there is no such policy.
  virtual Status DeletePolicy(const std::string& tenant_id, const std::string& policy_id) = 0;

  // Up to `limit` items of the tenant created before `before_ticks`, oldest first, strictly after
  // the position (after_ticks, after_id, after_user) (all empty/minimal: from the start).
  virtual Result<std::vector<RetentionCandidate>> Candidates(const std::string& tenant_id, int64_t before_ticks,
                                                             const RetentionCandidate& after, int limit) = 0;

  // Takes or renews the tenant's sweep lease for `holder` until now_ms + ttl_ms: true if `holder`
  // holds it now (it was free, expired, or already its own), false if another holder's is running.
  virtual Result<bool> AcquireLease(const std::string& tenant_id, const std::string& holder, int64_t now_ms,
                                    int64_t ttl_ms) = 0;
};

}  // namespace aih::store
