#include "policy/subscription_policy.h"

#include "base/utf8.h"
#include "policy/consent.h"
#include "policy/copilot_license.h"
#include "policy/personal_accounts.h"
#include "policy/user_access.h"
#include "policy/users.h"

namespace aih::policy {
namespace {

// There is something to subscribe to: the user is a work account holding the Copilot license, as
// for export. Asked only once the caller may see the user at all.
Status CheckSubscribable(const store::DirectoryUser& user) {
  AIH_RETURN_IF_ERROR(RequireWorkAccount(user, Operation::kSubscribe));
  return RequireCopilotLicense(user, Operation::kSubscribe);
}

Status ConsentMissing(const std::string& app_id, const char* needed) {
  return Status::Forbidden("admin consent for " + std::string(needed) + " is not granted to application " +
                           Printable(app_id) + " in this tenant (it was revoked, or never granted); an "
                           "administrator grants it, then the application requests a new token");
}

// The same refusal whether the user exists or not: an application granted nothing for a user learns
// nothing about them.
Status NotGrantedForUser(const auth::Principal& caller, std::string_view user_ref) {
  std::string why = caller.HasRole(auth::kReadAll)
                        ? std::string("its token carries ") + auth::kReadAll + ", but the tenant's admin consent for it "
                              "is not granted (it was revoked, or never granted)"
                        : std::string("it holds neither ") + auth::kReadAll + " nor " + auth::kReadUser +
                              " granted for that user";
  return Status::Forbidden("application " + Printable(caller.app_id) + " may not subscribe to user '" +
                           Printable(user_ref) + "': " + why + ". An administrator grants " +
                           auth::kReadUser + " for the user (PUT /admin/tenants/" + caller.tenant_id +
                           "/users/{user}/access/" + Printable(caller.app_id) +
                           ", or `aihistory admin access grant`), or admin consent for " + auth::kReadAll);
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
    auto user = FindUser(directory, caller.tenant_id, user_ref);
    if (!user.ok()) return user.status();
    // Whose history before anything about it: another user's license is none of this caller's business.
    if (user->id != caller.user_id) {
      return Status::Forbidden("a delegated token can subscribe only to the signed-in user's own interactions "
                               "(user " + Printable(caller.user_id) + "); for user " + user->id +
                               " use an application token with " + auth::kReadAll + ", or " + auth::kReadUser +
                               " granted for that user");
    }
    AIH_RETURN_IF_ERROR(CheckSubscribable(*user));
    return user->id;
  }

  // An application. Read.All: the token asked for it and the tenant's consent still grants it.
  bool read_all = false;
  if (caller.HasRole(auth::kReadAll)) {
    auto granted = ConsentGranted(directory, caller.tenant_id, caller.app_id, auth::kReadAll);
    if (!granted.ok()) return granted.status();
    read_all = *granted;
  }
  if (tenant_wide) {
    if (read_all) return std::string();
    if (caller.HasRole(auth::kReadAll)) return ConsentMissing(caller.app_id, auth::kReadAll);
    return Status::Forbidden("the token of application " + Printable(caller.app_id) +
                             " does not carry the role " + auth::kReadAll + ", which a tenant-wide subscription "
                             "needs (" + auth::kReadUser + " is granted per user, never for the whole tenant); an "
                             "administrator grants it by admin consent, then the application requests a new token");
  }
  if (read_all) {
    auto user = FindUser(directory, caller.tenant_id, user_ref);
    if (!user.ok()) return user.status();
    AIH_RETURN_IF_ERROR(CheckSubscribable(*user));
    return user->id;
  }
  // Read.User, granted for this user. The directory's grant decides, whatever the token's roles say:
  // it is checked on every request, so a revocation takes effect at once.
  auto user = directory.FindUser(caller.tenant_id, user_ref);
  if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  bool granted = false;
  if (user.ok()) {
    auto has = GrantedForUser(directory, caller.tenant_id, caller.app_id, user->id);
    if (!has.ok()) return has.status();
    granted = *has;
  }
  if (!granted) return NotGrantedForUser(caller, user_ref);
  AIH_RETURN_IF_ERROR(CheckSubscribable(*user));
  return user->id;
}

Status RecheckSubscription(store::DirectoryStore& directory, const store::Subscription& s) {
  if (!s.user_id.empty()) {
    auto user = FindUser(directory, s.tenant_id, s.user_id);
    if (!user.ok()) return user.status();
  }
  if (s.delegated) return Status::Ok();  // the delegated grant lives in the user's token, not the directory
  auto read_all = ConsentGranted(directory, s.tenant_id, s.app_id, auth::kReadAll);
  if (!read_all.ok()) return read_all.status();
  if (*read_all) return Status::Ok();
  if (s.user_id.empty()) return ConsentMissing(s.app_id, auth::kReadAll);
  auto granted = GrantedForUser(directory, s.tenant_id, s.app_id, s.user_id);
  if (!granted.ok()) return granted.status();
  if (*granted) return Status::Ok();
  return Status::Forbidden("application " + Printable(s.app_id) + " holds neither admin consent for " +
                           auth::kReadAll + " nor " + auth::kReadUser + " granted for user " + s.user_id +
                           " any more (revoked); an administrator grants one again, then the application subscribes again");
}

}  // namespace aih::policy
