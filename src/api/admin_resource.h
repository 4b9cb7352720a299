// The admin API: the directory (tenants, users, licenses, applications, consent, sources) and the
// deletion of interactions, under /admin. An extension: Graph has nothing like it.
//
// It has its own credential, the admin key, never a token: send `Authorization: Bearer <admin key>`
// or `X-Aihistory-Admin-Key: <admin key>`; anything else (no key, a wrong key, an export or writer
// token) is 401. The key is compared in constant time. Failures are throttled per remote address as
// client secrets are (auth/guess_throttle.h: after 5 failures in a row, 429 with a growing Retry-After
// and nothing checked), and each failure is logged on stderr with the address and request id (never
// the key that was sent). Errors use the Graph envelope; bodies are JSON
// (user imports may be CSV). The routes, all answering JSON:
//
//   GET    /admin/tenants                                   POST /admin/tenants {"id"?,"displayName"}
//   GET    /admin/tenants/{t}
//   GET    /admin/tenants/{t}/users?top=100&after={id}      POST /admin/tenants/{t}/users  (bulk import:
//          application/json [{"id"?,"userPrincipalName","displayName"?,"accountType"?,"servicePlans"?}]
//          or text/csv with the columns of directory/user_list.h)
//   GET | PATCH {"displayName"?,"userPrincipalName"?} | DELETE   /admin/tenants/{t}/users/{user}
//   PUT | DELETE   /admin/tenants/{t}/users/{user}/licenses/{servicePlanId}
//   GET    /admin/tenants/{t}/users/{user}/access        → {"value":[{"clientId","role"}]}
//   PUT | DELETE   /admin/tenants/{t}/users/{user}/access/{clientId}  (AiEnterpriseInteraction.Read.User
//          for that user: per-user subscriptions; revoking ends them, with subscriptionRemoved)
//   DELETE /admin/tenants/{t}/users/{user}/interactions[/{id}]        → {"deleted":n}
//   GET    /admin/applications                              POST /admin/applications
//          {"displayName","homeTenantId","secretLifetimeDays"?} → the app and its first secret, once
//   GET    /admin/applications/{clientId}
//   POST   /admin/applications/{clientId}/secrets {"lifetimeDays"?}   DELETE .../secrets/{secretId}
//   POST   /admin/applications/{clientId}/certificates {"certificate":PEM}   DELETE .../certificates/{thumbprint}
//   GET    /admin/tenants/{t}/consents                      POST /admin/tenants/{t}/consents {"clientId","roles"}
//          (Read.All, Write.All; Read.User is granted per user, above)
//   DELETE /admin/tenants/{t}/consents/{clientId}[/{role}]  (without a role: every role)
//   GET    /admin/tenants/{t}/sources                       POST /admin/tenants/{t}/sources
//          {"appClass","kind":"first-party"|"third-party","displayName"?,"exportEnabled"?,"writers"?}
//   GET | PATCH {"exportEnabled"?,"displayName"?}   /admin/tenants/{t}/sources/{appClass}
//   PUT | DELETE   /admin/tenants/{t}/sources/{appClass}/writers/{clientId}
//   GET | POST /admin/log/keys;  GET | POST /admin/tenants/{t}/log/checkpoint;
//   GET /admin/tenants/{t}/log/inclusion?...;  GET /admin/tenants/{t}/log/consistency?... (log_resource.h)
// and, through the same key, eDiscovery cases and legal holds (legal_hold_resource.h) and erasure
// (erasure_resource.h). A deletion of interactions that an active legal hold covers is 409 naming it.
#pragma once

#include <string>

#include "api/admin_key.h"
#include "api/service.h"

namespace aih::api {

// Adds the routes above; the key is context.options.admin_key, or LoadAdminKey(context.store).
void AddAdminRoutes(http::Router& router, Context& context);

}  // namespace aih::api
