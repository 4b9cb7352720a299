// Rule (the Microsoft 365 Copilot license, section 2): only the interactions of users holding it are
// exported (per user: 403 naming the license; tenant-wide: the users without it are left out) and
// notified, and only such users can be subscribed to. Writing does not ask for it: the items of a user
// without it are stored, and become exportable the moment the license is assigned (removing it hides
// them again and deletes nothing). Threading: as the directory.
#pragma once

#include <string>

#include "base/status.h"
#include "policy/operation.h"
#include "store/directory_store.h"

namespace aih::policy {

// The service plan the rule asks for, for a read of many users at once (ExportScope, which the
// store's page query translates into a join on the directory's licenses).
const char* RequiredServicePlan();

bool HoldsCopilotLicense(const store::DirectoryUser& user);
// The same, from the directory, for a user known by object id (notification routing).
Result<bool> HoldsCopilotLicense(store::DirectoryStore& directory, const std::string& tenant_id,
                                 const std::string& user_id);

// kForbidden naming the license when `user` does not hold it, in the words of `operation` (export or
// subscribe; writing does not ask).
Status RequireCopilotLicense(const store::DirectoryUser& user, Operation operation);

}  // namespace aih::policy
