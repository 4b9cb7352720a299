// Retention: which policies apply to an item, and when, all of them taken together, it may be
// deleted. Pure functions, stated once, for the sweep (retention_sweep.h) and the admin API.
//
// Purview's principles decide between policies that disagree:
//   1. retention wins over deletion: an item is never deleted while any applicable policy still
//      retains it (retain, or the retain part of retain-then-delete);
//   2. the longest retention wins: it is kept until the latest of the retention periods ends;
//   3. the shortest deletion wins: among deletions, the earliest deletion instant applies.
// So an item may be deleted at max(earliest deletion, latest retention end), and never when no
// applicable policy deletes. Periods count from createdDateTime, in days.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/retention_store.h"
#include "store/store.h"

namespace aih::policy {

inline constexpr int64_t kMaxRetentionDays = 36525;  // 100 years: beyond it a period says "forever"

// Whether `policy` covers an item of `user_id` from source `app_class` (first party or not).
bool RetentionApplies(const store::RetentionPolicy& policy, const std::string& user_id, const std::string& app_class,
                      bool first_party);

struct RetentionDecision {
  std::optional<int64_t> delete_at_ticks;  // none: no applicable policy deletes it
  std::optional<int64_t> retain_until_ticks;  // the end of the longest retention, if any
  std::vector<std::string> policy_ids;  // the applicable policies
};

// The combined decision of `applicable` (those RetentionApplies to) for an item created at `created_ticks`.
RetentionDecision Decide(const std::vector<const store::RetentionPolicy*>& applicable, int64_t created_ticks);

// A new policy checked: a name, an action, a period of 1 to kMaxRetentionDays days (0 would delete at
// once, or retain nothing; 10,000 years is no date a timestamp holds), an appClass pattern. kBadRequest naming the problem.
Status ValidateRetentionPolicy(const store::RetentionPolicy& policy);

// The retention policies that apply to one stored interaction, and their decision. kNotFound if it is
// not stored.
struct ItemRetention {
  std::vector<store::RetentionPolicy> policies;
  RetentionDecision decision;
};
Result<ItemRetention> RetentionOf(store::Store& store, const std::string& tenant_id, const std::string& user_id,
                                  const std::string& id);

}  // namespace aih::policy
