#include "policy/users.h"

#include "base/utf8.h"

namespace aih::policy {

Status UserNotFound(std::string_view user_ref) {
  return Status::NotFound("Resource '" + Printable(user_ref) +
                          "' does not exist or one of its queried reference-property objects are not present.");
}

Result<store::DirectoryUser> FindUser(store::DirectoryStore& directory, const std::string& tenant_id,
                                      std::string_view user_ref) {
  auto user = directory.FindUser(tenant_id, user_ref);
  if (!user.ok() && user.status().code() == Code::kNotFound) return UserNotFound(user_ref);
  return user;
}

}  // namespace aih::policy
