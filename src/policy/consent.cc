#include "policy/consent.h"

#include <algorithm>

#include "base/utf8.h"

namespace aih::policy {

Result<bool> ConsentGranted(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& app_id,
                            const char* role) {
  auto roles = directory.ConsentedRoles(tenant_id, app_id);
  if (!roles.ok()) return roles.status();
  return std::find(roles->begin(), roles->end(), role) != roles->end();
}

Status RequireConsentedRole(store::DirectoryStore& directory, const auth::Principal& caller, const char* role,
                            const char* action) {
  if (caller.kind != auth::Principal::Kind::kApplication) {
    return Status::Forbidden(std::string(action) + " needs an application permission: request a token with the "
                             "client-credentials flow for an application granted " + role +
                             "; delegated (signed-in user) tokens cannot " + action);
  }
  if (!caller.HasRole(role)) {
    return Status::Forbidden("the token of application " + Printable(caller.app_id) + " does not carry the role " +
                             role + ", which is needed to " + action + "; an administrator grants it by admin consent "
                             "in the tenant, then the application requests a new token");
  }
  auto granted = ConsentGranted(directory, caller.tenant_id, caller.app_id, role);
  if (!granted.ok()) return granted.status();
  if (*granted) return Status::Ok();
  // Only on refusal: tell an unknown tenant apart from a revoked consent, so the message says what to do.
  auto tenant = directory.GetTenant(caller.tenant_id);
  if (!tenant.ok() && tenant.status().code() == Code::kNotFound) {
    return Status::Forbidden("tenant " + Printable(caller.tenant_id) + " of the token is not registered in this "
                             "aihistory directory; an administrator creates it and grants consent first");
  }
  if (!tenant.ok()) return tenant.status();
  return Status::Forbidden("admin consent for " + std::string(role) + " is not granted to application " +
                           Printable(caller.app_id) + " in this tenant (it was revoked, or never granted); "
                           "tokens issued before a revocation stop working at once. An administrator grants it again");
}

}  // namespace aih::policy
