// Who may subscribe to whose interactions (section 7), decided from the directory as it is now, by
// the rules of policy/ (consent.h, user_access.h, personal_accounts.h, copilot_license.h, users.h).
//
// Tenant-wide subscriptions need the application permission AiEnterpriseInteraction.Read.All, still
// granted by the tenant's admin consent. A per-user subscription accepts that, or the application
// permission AiEnterpriseInteraction.Read.User granted for that user (the directory's per-user grant,
// store/directory_store.h, whatever the token's roles say), or the delegated permission
// AiEnterpriseInteraction.Read for the signed-in user's own history. The user must be a licensed work
// account of the caller's tenant, as for export; a user of another tenant is a 404 like one that does
// not exist, except to an application granted nothing for the user, which gets the same 403 whether
// the user exists or not.
#pragma once

#include <string>
#include <string_view>

#include "auth/principal.h"
#include "base/status.h"
#include "store/directory_store.h"
#include "store/subscription_store.h"

namespace aih::policy {

// May `caller` subscribe to `user_ref`'s interactions (empty: the whole tenant)? Returns the user's
// object id (empty for tenant-wide), or kForbidden / kNotFound saying why not.
Result<std::string> AuthorizeSubscriber(store::DirectoryStore& directory, const auth::Principal& caller,
                                        std::string_view user_ref);

// Whether a stored subscription is still allowed, judged from the directory alone (the monitor's
// sweep, with no token at hand): the application's consent for Read.All, or for a per-user
// subscription its Read.User grant for that user, still holds, and a per-user subscription's user
// still exists. kForbidden / kNotFound say why it is no longer allowed.
Status RecheckSubscription(store::DirectoryStore& directory, const store::Subscription& subscription);

}  // namespace aih::policy
