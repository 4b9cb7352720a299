// Change-notification subscriptions (section 7 of the contract), under /v1.0 and /beta:
//
//   POST   /subscriptions                    create (validation handshake first) → 201 subscription
//   GET    /subscriptions                    the calling application's subscriptions
//   GET    /subscriptions/{id}
//   PATCH  /subscriptions/{id}               renew: {"expirationDateTime": ...} → 200 subscription
//   DELETE /subscriptions/{id}               → 204
//   POST   /subscriptions/{id}/reauthorize   re-checks the caller's permission → 204
//
// An application sees and manages only its own subscriptions (and a delegated caller only those made
// for the signed-in user): anything else is 404, like an id that does not exist. The rules (body,
// lifetime, permissions, quotas) are in src/notify; delivery is the DeliveryWorker's.
#pragma once

#include "api/service.h"

namespace aih::api {

void AddSubscriptionRoutes(http::Router& router, Context& context);

}  // namespace aih::api
