// NotificationScope: what one tenant's change notifications may tell (section 7), by the rules of
// export. A created or updated item is told only when its user holds the Microsoft 365 Copilot license
// (copilot_license.h) and its source's export is on (hidden_sources.h); a deletion is always told (the
// item, and perhaps its user, are gone: telling reveals nothing). Personal accounts need no check:
// nothing of theirs is stored (personal_accounts.h). Who may subscribe at all, and whether a stored
// subscription still may: subscription_policy.h.
//
// Each fact is read from the directory at most once per scope, so one scope serves one routing pass
// (a batch of changes is judged as of one moment). Threading: one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/change_feed.h"
#include "store/directory_store.h"

namespace aih::policy {

class NotificationScope {
 public:
  NotificationScope(store::DirectoryStore& directory, std::string tenant_id)
      : directory_(directory), tenant_id_(std::move(tenant_id)) {}

  // Whether a change of this type is judged by the rules below at all (not a deletion).
  static bool Judged(store::ChangeType type) { return type != store::ChangeType::kDeleted; }

  // Whether the items of user `user_id` (an object id) may be told.
  Result<bool> MayTellUser(const std::string& user_id);

  // Whether some source of the tenant has its export off: only then does an item's appClass decide
  // (MayTellSource), so the router reads it only then.
  Result<bool> HidesSources();
  // Whether an item of `app_class` may be told. Call HidesSources() first.
  bool MayTellSource(std::string_view app_class) const;

 private:
  store::DirectoryStore& directory_;
  std::string tenant_id_;
  std::map<std::string, bool, std::less<>> licensed_;  // by user id
  std::optional<std::vector<std::string>> hidden_;     // read at the first question
};

}  // namespace aih::policy
