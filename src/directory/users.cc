#include "directory/users.h"

#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/tenants.h"

namespace aih::directory {

Result<store::DirectoryUser> FindUser(store::DirectoryStore& directory, const std::string& tenant_id,
                                      std::string_view user_ref) {
  auto user = directory.FindUser(tenant_id, user_ref);
  if (!user.ok() && user.status().code() == Code::kNotFound) {
    return Status::NotFound("tenant " + tenant_id + " has no user '" + Printable(user_ref) + "'");
  }
  return user;
}

Result<UserPage> ListUsers(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& after,
                           int top) {
  auto users = directory.ListUsers(tenant_id, after, top + 1);  // one more tells whether more follow
  if (!users.ok()) return users.status();
  UserPage page;
  page.more = static_cast<int>(users->size()) > top;
  if (page.more) users->pop_back();
  page.users = std::move(*users);
  return page;
}

Result<store::ImportSummary> ImportUsers(store::DirectoryStore& directory, const std::string& tenant_id,
                                         const std::vector<store::UserImport>& rows) {
  return directory.ImportUsers(tenant_id, rows);
}

Result<store::DirectoryUser> UpdateUser(store::DirectoryStore& directory, const std::string& tenant_id,
                                        std::string_view user_ref, const store::UserPatch& patch,
                                        const std::optional<std::string>& account_type) {
  if (patch.display_name) AIH_RETURN_IF_ERROR(ValidateDisplayName(*patch.display_name, "displayName"));
  if (patch.user_principal_name) AIH_RETURN_IF_ERROR(ValidateUserPrincipalName(*patch.user_principal_name));
  auto user = FindUser(directory, tenant_id, user_ref);
  if (!user.ok()) return user.status();
  if (account_type && *account_type != store::ToString(user->account_type)) {
    return Status::BadRequest("accountType never changes (a personal Microsoft account is not a work account "
                              "renamed); delete the user and import it again");
  }
  return directory.UpdateUser(tenant_id, user->id, patch);
}

Status DeleteUser(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& user_id) {
  return directory.DeleteUser(tenant_id, user_id);
}

Result<store::DirectoryUser> SetLicense(store::DirectoryStore& directory, const std::string& tenant_id,
                                        std::string_view user_ref, const std::string& plan_id, bool assign) {
  auto user = FindUser(directory, tenant_id, user_ref);
  if (!user.ok()) return user.status();
  AIH_RETURN_IF_ERROR(assign ? directory.AssignLicense(tenant_id, user->id, plan_id)
                             : directory.RemoveLicense(tenant_id, user->id, plan_id));
  return user;
}

Result<store::DirectoryUser> SetUserAccess(store::DirectoryStore& directory, const std::string& tenant_id,
                                           std::string_view user_ref, const std::string& client_id, bool grant) {
  auto user = FindUser(directory, tenant_id, user_ref);
  if (!user.ok()) return user.status();
  AIH_RETURN_IF_ERROR(grant ? directory.GrantUserAccess(tenant_id, client_id, user->id)
                            : directory.RevokeUserAccess(tenant_id, client_id, user->id));
  return user;
}

Result<std::vector<std::string>> ListUserAccess(store::DirectoryStore& directory, const std::string& tenant_id,
                                                std::string_view user_ref) {
  auto user = FindUser(directory, tenant_id, user_ref);
  if (!user.ok()) return user.status();
  return directory.ListUserAccess(tenant_id, user->id);
}

Result<std::string> InteractionOwner(store::DirectoryStore& directory, const std::string& tenant_id,
                                     std::string_view user_ref) {
  AIH_RETURN_IF_ERROR(RequireTenant(directory, tenant_id));
  auto user = FindUser(directory, tenant_id, user_ref);
  if (user.ok()) return user->id;
  if (user.status().code() == Code::kNotFound && IsGuid(user_ref)) return CanonicalGuid(user_ref, "user id");
  return user.status();
}

Result<int64_t> DeleteInteractions(store::InteractionStore& interactions, const std::string& tenant_id,
                                   const std::string& owner, const std::optional<std::string>& id,
                                   const std::string& request_id) {
  auto deleted = interactions.Delete(tenant_id, owner, id, request_id);
  if (!deleted.ok()) return deleted.status();
  if (id && *deleted == 0) return store::InteractionNotFound(owner, *id);
  return deleted;
}

}  // namespace aih::directory
