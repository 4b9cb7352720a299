// User operations of the directory (users, their licenses, per-user application grants, and the
// erasure of their interactions), for the admin HTTP API and the admin CLI alike: validated and
// written here, once (see directory/tenants.h for the conventions). `user_ref` is what an
// administrator names a user by: an object id or a user principal name.
// Threading: stateless functions over the store; as safe as it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/directory_store.h"
#include "store/interaction_store.h"

namespace aih::directory {

// The user `user_ref` of the tenant; kNotFound "tenant <t> has no user '<ref>'".
Result<store::DirectoryUser> FindUser(store::DirectoryStore& directory, const std::string& tenant_id,
                                      std::string_view user_ref);

struct UserPage {
  std::vector<store::DirectoryUser> users;  // in object id order
  bool more = false;                        // users follow the last one
};
// Up to `top` users of the tenant after object id `after` (empty: from the first). The caller has
// checked the tenant (RequireTenant).
Result<UserPage> ListUsers(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& after,
                           int top);

// Creates or updates the users of a user list (directory/user_list.h, which validated each row):
// all or nothing.
Result<store::ImportSummary> ImportUsers(store::DirectoryStore& directory, const std::string& tenant_id,
                                         const std::vector<store::UserImport>& rows);

// Renames the user `user_ref` (display name, user principal name). `account_type`, when given, must
// be the user's own: an account type never changes. Returns the user as updated.
Result<store::DirectoryUser> UpdateUser(store::DirectoryStore& directory, const std::string& tenant_id,
                                        std::string_view user_ref, const store::UserPatch& patch,
                                        const std::optional<std::string>& account_type);

// Removes the user (found by FindUser) with their licenses and grants; their interactions stay.
Status DeleteUser(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& user_id);

// Assigns (or removes) the service plan `plan_id` (a canonical GUID) to the user `user_ref`; returns
// the user.
Result<store::DirectoryUser> SetLicense(store::DirectoryStore& directory, const std::string& tenant_id,
                                        std::string_view user_ref, const std::string& plan_id, bool assign);

// Grants (or revokes) AiEnterpriseInteraction.Read.User on the user `user_ref` to the application
// `client_id` (a canonical GUID); a revocation ends that application's subscriptions to the user
// within a monitor sweep. Returns the user.
Result<store::DirectoryUser> SetUserAccess(store::DirectoryStore& directory, const std::string& tenant_id,
                                           std::string_view user_ref, const std::string& client_id, bool grant);
// The applications granted Read.User on the user `user_ref`.
Result<std::vector<std::string>> ListUserAccess(store::DirectoryStore& directory, const std::string& tenant_id,
                                                std::string_view user_ref);

// Whose interactions `user_ref` names, for their erasure: a user of the tenant, or the object id of
// one removed from the directory (deleting data must not depend on the directory still knowing its
// owner). kNotFound for an unknown tenant, and for an unknown user named otherwise than by an id.
Result<std::string> InteractionOwner(store::DirectoryStore& directory, const std::string& tenant_id,
                                     std::string_view user_ref);

// Deletes the interaction `id` of `owner` (InteractionOwner), or with no id their whole history, as
// HTTP request `request_id` asked ("" when none); returns how many were deleted. kNotFound when the
// one interaction named does not exist.
Result<int64_t> DeleteInteractions(store::InteractionStore& interactions, const std::string& tenant_id,
                                   const std::string& owner, const std::optional<std::string>& id,
                                   const std::string& request_id = "");

}  // namespace aih::directory
