#include "policy/copilot_license.h"

#include <algorithm>

namespace aih::policy {

const char* RequiredServicePlan() { return store::kCopilotServicePlanId; }

bool HoldsCopilotLicense(const store::DirectoryUser& user) {
  const auto& plans = user.service_plans;
  return std::find(plans.begin(), plans.end(), RequiredServicePlan()) != plans.end();
}

Result<bool> HoldsCopilotLicense(store::DirectoryStore& directory, const std::string& tenant_id,
                                 const std::string& user_id) {
  return directory.HasLicense(tenant_id, user_id, RequiredServicePlan());
}

Status RequireCopilotLicense(const store::DirectoryUser& user, Operation operation) {
  if (operation == Operation::kWrite || HoldsCopilotLicense(user)) return Status::Ok();
  const std::string missing = "user " + user.id + " does not hold the Microsoft 365 Copilot license (service plan " +
                              RequiredServicePlan() + "), so their interactions cannot be exported";
  if (operation == Operation::kSubscribe) {
    return Status::Forbidden(missing + " or subscribed to; an administrator assigns the license first");
  }
  return Status::Forbidden(missing + "; an administrator assigns the license to make them exportable");
}

}  // namespace aih::policy
