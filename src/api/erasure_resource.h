// The admin API of erasure (the right to erasure), behind the admin key:
//
//   POST /admin/tenants/{t}/erasures {"user": object id or UPN, "interactionId"? | "sessionId"?}
//        → 200 {"userId","erased":n}: one interaction, one session, or everything of the user
//   GET  /admin/tenants/{t}/erasures?userId={id}&top={1..1000}
//        → {"value":[{"userId","interactionId","contentHash","erasedDateTime","reason","actor"}]}, newest first
//
// Erasure goes through the one deletion path (policy/erasure.h): while an active legal hold covers any
// of what it selects it is refused whole, 409 naming the hold; each erased item is recorded (its id
// and content hash stay on file) and notified to subscribers as `deleted`. Erasing a user the tenant
// does not have and who has nothing stored is 404. The older DELETE .../users/{u}/interactions[/{id}]
// routes (admin_resource.h) take the same path.
#pragma once

#include "api/admin_route.h"
#include "api/service.h"

namespace aih::api {

void AddErasureRoutes(const AddAdminRoute& add, Context& context);

}  // namespace aih::api
