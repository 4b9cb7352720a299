// Admin consent operations of the directory: the tenant-wide application roles (Read.All,
// Write.All) a tenant grants an application, for the admin HTTP API and the admin CLI alike
// (validated and written here, once; see directory/tenants.h). Read.User is granted per user
// (directory/users.h SetUserAccess).
// Threading: stateless functions over the DirectoryStore; as safe as it is.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::directory {

// Grants `roles` (each checked first) to the application `client_id` (a canonical GUID) in the
// tenant; returns every role it now holds there, sorted.
Result<std::vector<std::string>> GrantConsent(store::DirectoryStore& directory, const std::string& tenant_id,
                                              const std::string& client_id, const std::vector<std::string>& roles);

// Revokes `roles`, or with none every role; each is checked before any is revoked, so a refused
// revocation changes nothing.
Status RevokeConsent(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& client_id,
                     const std::vector<std::string>& roles);

// The tenant's consents; kNotFound for an unknown tenant.
Result<std::vector<store::Consent>> ListConsents(store::DirectoryStore& directory, const std::string& tenant_id);

}  // namespace aih::directory
