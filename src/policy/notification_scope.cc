#include "policy/notification_scope.h"

#include "policy/copilot_license.h"
#include "policy/hidden_sources.h"

namespace aih::policy {

Result<bool> NotificationScope::MayTellUser(const std::string& user_id) {
  auto known = licensed_.find(user_id);
  if (known == licensed_.end()) {
    auto has = HoldsCopilotLicense(directory_, tenant_id_, user_id);
    if (!has.ok()) return has.status();
    known = licensed_.emplace(user_id, *has).first;
  }
  return known->second;
}

Result<bool> NotificationScope::HidesSources() {
  if (!hidden_) {
    auto hidden = HiddenSources(directory_, tenant_id_);
    if (!hidden.ok()) return hidden.status();
    hidden_ = std::move(*hidden);
  }
  return !hidden_->empty();
}

bool NotificationScope::MayTellSource(std::string_view app_class) const {
  return !hidden_ || !IsHidden(*hidden_, app_class);
}

}  // namespace aih::policy
