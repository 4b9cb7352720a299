// Rule (admin consent, section 2): an application role opens what it names (Read.All: export and
// subscriptions, per user or tenant-wide; Write.All: writing) only while the token carries it AND the
// tenant's admin consent still grants it to the application. The consent is read afresh at every
// decision, so a revocation stops tokens issued before it at once. Delegated (signed-in user) tokens
// carry no role: they never export or write (they subscribe to their own history only:
// subscription_policy.h). Threading: as the directory.
#pragma once

#include <string>

#include "auth/principal.h"
#include "base/status.h"
#include "store/directory_store.h"

namespace aih::policy {

// Whether the tenant's admin consent grants `role` to application `app_id` now.
Result<bool> ConsentGranted(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& app_id,
                            const char* role);

// The caller is an application whose token carries `role` and whose tenant still consents to it;
// otherwise kForbidden saying what to do (`action` names what the caller wants, e.g. "export").
Status RequireConsentedRole(store::DirectoryStore& directory, const auth::Principal& caller, const char* role,
                            const char* action);

}  // namespace aih::policy
