// The user a caller names (object id or user principal name), looked up in the caller's tenant only.
//
// Rule (tenant isolation): a user of another tenant is indistinguishable from one that does not exist;
// both get Graph's own 404, for export, subscriptions and writes alike. Threading: as the directory.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::policy {

// Graph's words for a user it cannot find.
Status UserNotFound(std::string_view user_ref);

// The user, or UserNotFound; any other failure (the database is unavailable, ...) passes through.
Result<store::DirectoryUser> FindUser(store::DirectoryStore& directory, const std::string& tenant_id,
                                      std::string_view user_ref);

}  // namespace aih::policy
