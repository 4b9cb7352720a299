// The audit log through the admin API (store/audit_log.h): read-only, behind the admin key.
//
//   GET /admin/audit                    every entry (every tenant's and those of no tenant)
//   GET /admin/tenants/{t}/audit        only tenant t's entries: never another tenant's, whatever the filter
// Query options: $filter (odata/audit_filter.h: createdDateTime gt|ge|lt|le, tenantId, actorKind,
// actorId, action, requestId, outcome eq, startswith(action, ...), joined by `and`), $top (1..1000,
// default 100), $skiptoken (the signed keyset cursor of the previous page's @odata.nextLink, bound to
// the scope and the filter). Oldest first, by sequence number: a page never skips an entry appended
// while paging. JSON ({"value":[...],"@odata.nextLink"}) by default; NDJSON (one entry per line,
// the next page in a `Link: <...>; rel="next"` header) with `Accept: application/x-ndjson`.
// No route changes or deletes an entry: PUT, PATCH, POST and DELETE are 405. Each read of the log is
// itself recorded (action auditLog.read).
#pragma once

#include "api/admin_route.h"
#include "api/service.h"

namespace aih::api {

void AddAuditRoutes(const AddAdminRoute& add, Context& context);

}  // namespace aih::api
