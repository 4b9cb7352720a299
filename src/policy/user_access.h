// Rule (per-user access): AiEnterpriseInteraction.Read.User granted for a user (the directory's
// per-user grant, store/directory_store.h GrantUserAccess) lets that application subscribe to that
// user's interactions, and nothing else: never export (Read.All's alone), never a tenant-wide
// subscription. The directory's grant decides, whatever the token's roles say, and it is read at every
// decision, so a revocation takes effect at once. Threading: as the directory.
#pragma once

#include <string>
#include <string_view>

#include "auth/principal.h"
#include "base/status.h"
#include "store/directory_store.h"

namespace aih::policy {

// Whether application `app_id` is granted Read.User for user `user_id` (an object id) now.
Result<bool> GrantedForUser(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& app_id,
                            const std::string& user_id);

// An export `refusal`, saying also that the application's grant for this user (when it holds one)
// allows subscriptions only. Said only to an application granted for that very user, so it reveals
// nothing about other users; any other refusal passes through unchanged.
Status ExplainUserGrant(store::DirectoryStore& directory, const auth::Principal& caller, std::string_view user_ref,
                        Status refusal);

}  // namespace aih::policy
