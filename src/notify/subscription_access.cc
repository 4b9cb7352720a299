#include "notify/subscription_access.h"

#include <algorithm>

#include "directory/identifiers.h"
#include "store/page_sql.h"

namespace aih::notify {
namespace {

bool Contains(const std::vector<std::string>& values, const char* value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

Status UserNotFound(std::string_view user_ref) {
  return Status::NotFound("Resource '" + directory::Printable(user_ref) +
                          "' does not exist or one of its queried reference-property objects are not present.");
}

// The user named in the resource: a licensed work account of the tenant.
Result<store::DirectoryUser> SubscribableUser(store::DirectoryStore& directory, const std::string& tenant_id,
                                              std::string_view user_ref) {
  auto user = directory.FindUser(tenant_id, user_ref);
  if (!user.ok()) return user.status().code() == Code::kNotFound ? UserNotFound(user_ref) : user.status();
  if (user->account_type == store::AccountType::kPersonal) {
    return Status::Forbidden("user " + user->id + " is a personal Microsoft account: personal accounts are outside "
                             "the interaction history service, so there is nothing to subscribe to");
  }
  if (!Contains(user->service_plans, store::kCopilotServicePlanId)) {
    return Status::Forbidden("user " + user->id + " does not hold the Microsoft 365 Copilot license (service plan " +
                             store::kCopilotServicePlanId + "), so their interactions cannot be exported or "
                             "subscribed to; an administrator assigns the license first");
  }
  return user;
}

Status ConsentMissing(const std::string& app_id, const char* needed) {
  return Status::Forbidden("admin consent for " + std::string(needed) + " is not granted to application " +
                           directory::Printable(app_id) + " in this tenant (it was revoked, or never granted); an "
                           "administrator grants it, then the application requests a new token");
}

}  // namespace

Result<std::string> AuthorizeSubscriber(store::DirectoryStore& directory, const auth::Principal& caller,
                                        std::string_view user_ref) {
  const bool tenant_wide = user_ref.empty();
  if (caller.kind == auth::Principal::Kind::kDelegated) {
    if (tenant_wide) {
      return Status::Forbidden("a tenant-wide subscription needs the application permission " +
                               std::string(auth::kReadAll) + " (client-credentials flow); a delegated token can "
                               "subscribe only to the signed-in user's own history");
    }
    if (!caller.HasScope(auth::kReadDelegated)) {
      return Status::Forbidden("the delegated token does not carry the scope " + std::string(auth::kReadDelegated) +
                               ", which is needed to subscribe to the signed-in user's interactions");
    }
    auto user = SubscribableUser(directory, caller.tenant_id, user_ref);
    if (!user.ok()) return user.status();
    if (user->id != caller.user_id) {
      return Status::Forbidden("a delegated token can subscribe only to the signed-in user's own interactions "
                               "(user " + directory::Printable(caller.user_id) + "); for user " + user->id +
                               " use an application token with " + auth::kReadAll + " or " + auth::kReadUser);
    }
    return user->id;
  }

  // An application: the token's roles say what it asked for, the consent whether it still holds it.
  const bool has_all = caller.HasRole(auth::kReadAll);
  const bool has_user = !tenant_wide && caller.HasRole(auth::kReadUser);
  if (!has_all && !has_user) {
    return Status::Forbidden(
        tenant_wide ? "the token of application " + directory::Printable(caller.app_id) + " does not carry the role " +
                          auth::kReadAll + ", which a tenant-wide subscription needs; an administrator grants it by "
                          "admin consent, then the application requests a new token"
                    : "the token of application " + directory::Printable(caller.app_id) + " carries neither " +
                          auth::kReadAll + " nor " + auth::kReadUser + ", one of which a per-user subscription needs; "
                          "an administrator grants one by admin consent, then the application requests a new token");
  }
  auto roles = directory.ConsentedRoles(caller.tenant_id, caller.app_id);
  if (!roles.ok()) return roles.status();
  const bool consented = (has_all && Contains(*roles, auth::kReadAll)) || (has_user && Contains(*roles, auth::kReadUser));
  if (!consented) return ConsentMissing(caller.app_id, tenant_wide ? auth::kReadAll : auth::kReadUser);
  if (tenant_wide) return std::string();
  auto user = SubscribableUser(directory, caller.tenant_id, user_ref);
  if (!user.ok()) return user.status();
  return user->id;
}

Status RecheckSubscription(store::DirectoryStore& directory, const store::Subscription& s) {
  if (!s.user_id.empty()) {
    auto user = directory.FindUser(s.tenant_id, s.user_id);
    if (!user.ok()) return user.status().code() == Code::kNotFound ? UserNotFound(s.user_id) : user.status();
  }
  if (s.delegated) return Status::Ok();  // the delegated grant lives in the user's token, not the directory
  auto roles = directory.ConsentedRoles(s.tenant_id, s.app_id);
  if (!roles.ok()) return roles.status();
  if (Contains(*roles, auth::kReadAll)) return Status::Ok();
  if (!s.user_id.empty() && Contains(*roles, auth::kReadUser)) return Status::Ok();
  return ConsentMissing(s.app_id, s.user_id.empty() ? auth::kReadAll
                                                    : "AiEnterpriseInteraction.Read.All or AiEnterpriseInteraction.Read.User");
}

}  // namespace aih::notify
