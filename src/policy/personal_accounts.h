// Rule (personal accounts, section 2): personal Microsoft accounts are outside the interaction history
// service. Such a user is never exported or subscribed to (403), and an item owned by one, or sent by
// one, is never stored (400: the data, not the caller, is outside the service). Since nothing of theirs
// is stored, a read of many users at once and notification routing need no check of their own.
// Threading: none (pure functions).
#pragma once

#include "base/status.h"
#include "model/interaction_reader.h"
#include "policy/operation.h"
#include "store/directory_store.h"

namespace aih::policy {

// Ok for a work account; otherwise the refusal of `operation` for this personal account.
Status RequireWorkAccount(const store::DirectoryUser& user, Operation operation);

// Ok unless the item says it was sent by a personal account (from.user.userIdentityType).
Status RequireWorkSender(const model::WriteItem& item);

}  // namespace aih::policy
