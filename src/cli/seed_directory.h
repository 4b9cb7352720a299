// The directory entries behind `aihistory seed` and `aihistory demo-setup`: without its tenant,
// licensed users and registered sources, seeded data could not be exported (or re-imported).
//
// Each function creates only what is missing, so running a command twice is harmless; users are
// imported (created or updated) with the Copilot license.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "seed/synthetic_history.h"
#include "store/directory_store.h"

namespace aih::cli {

// Creates the tenant unless it exists; `tenant_id` must be a canonical (lower-case) GUID.
Status EnsureTenant(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& display_name);

// Registers the source unless it is registered, then makes each of source.writers one of its writers.
// An existing source keeps its export setting.
Status EnsureSource(store::DirectoryStore& directory, const store::Source& source);

// Creates or updates the seeded users as licensed work accounts.
Status RegisterSeedUsers(store::DirectoryStore& directory, const std::string& tenant_id,
                         const std::vector<seed::SyntheticUser>& users);

}  // namespace aih::cli
