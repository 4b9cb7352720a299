#include "policy/user_access.h"

#include "base/utf8.h"

namespace aih::policy {

Result<bool> GrantedForUser(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& app_id,
                            const std::string& user_id) {
  return directory.HasUserAccess(tenant_id, app_id, user_id);
}

Status ExplainUserGrant(store::DirectoryStore& directory, const auth::Principal& caller, std::string_view user_ref,
                        Status refusal) {
  if (caller.kind != auth::Principal::Kind::kApplication || refusal.code() != Code::kForbidden) return refusal;
  auto user = directory.FindUser(caller.tenant_id, user_ref);
  if (!user.ok()) return user.status().code() == Code::kNotFound ? refusal : user.status();
  auto granted = GrantedForUser(directory, caller.tenant_id, caller.app_id, user->id);
  if (!granted.ok()) return granted.status();
  if (!*granted) return refusal;
  return Status::Forbidden(refusal.message() + ". Application " + Printable(caller.app_id) +
                           " is granted " + auth::kReadUser + " for user " + user->id + ", which allows "
                           "change-notification subscriptions to that user's interactions (POST /subscriptions), "
                           "not export");
}

}  // namespace aih::policy
