// Tenant operations of the directory, for the admin HTTP API and the admin CLI alike: each input is
// validated and written here, once; the callers only parse their input (a JSON body, command-line
// options) and format the result. A `*_label` argument is how the caller names an input ("displayName"
// in a body, "--name" on the command line), so that a refusal names what the administrator typed.
// Threading: stateless functions over the DirectoryStore; as safe as it is.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::directory {

// Creates the tenant `id` (a canonical GUID; empty: a new one) named `display_name`; kConflict if it
// exists. Returns it as created.
Result<store::Tenant> CreateTenant(store::DirectoryStore& directory, const std::string& id,
                                   const std::string& display_name, std::string_view name_label);

// Ok when the tenant exists; otherwise the store's kNotFound naming it. Operations on what a tenant
// holds (its users, consents, sources) ask first, so that an unknown tenant is 404, not an empty list.
Status RequireTenant(store::DirectoryStore& directory, const std::string& tenant_id);

}  // namespace aih::directory
