// The admin API of eDiscovery cases and legal holds, shaped after Graph's ediscoveryCase and
// ediscoveryHoldPolicy (an extension under /admin, behind the admin key):
//
//   GET  /admin/tenants/{t}/cases                      POST {"displayName","description"?} → 201 the case
//   GET  /admin/tenants/{t}/cases/{case}
//   GET  /admin/tenants/{t}/cases/{case}/legalHolds    POST {"displayName","userSources":[id or UPN, ...],
//        "contentQuery"? ($filter), "startDateTime"?, "endDateTime"?} → 201 the hold, status "active"
//   GET  /admin/tenants/{t}/cases/{case}/legalHolds/{hold}
//   POST /admin/tenants/{t}/cases/{case}/legalHolds/{hold}/release → 200 the hold, status "released"
//   GET  /admin/tenants/{t}/users/{user}/interactions/{id}/governance → {"legalHolds":[the active holds
//        that cover it], "retentionPolicies":[those that apply], "deleteAfterDateTime": when retention
//        deletes it (null: never), "deletable": whether no hold keeps it}
//
// A hold on a user the tenant does not have (another tenant's, or nobody's) is 404 naming the user; a
// contentQuery that is no $filter is 400 with the parser's message; nothing is stored then.
#pragma once

#include "api/admin_route.h"
#include "api/service.h"

namespace aih::api {

void AddLegalHoldRoutes(const AddAdminRoute& add, Context& context);

// A hold as JSON (also used by the erasure and audit resources).
std::string LegalHoldJson(const store::LegalHold& hold);

}  // namespace aih::api
