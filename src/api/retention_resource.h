// The admin API of retention policies (policy/retention.h), behind the admin key:
//
//   GET  /admin/tenants/{t}/retentionPolicies
//   POST /admin/tenants/{t}/retentionPolicies {"displayName","action":"retain"|"delete"|"retainThenDelete",
//        "periodDays":1..36525,"appClass"?: exact or "Prefix.*","party"?:"all"|"first-party"|"third-party",
//        "users"?:[object id or UPN, ...]} → 201 the policy
//   DELETE /admin/tenants/{t}/retentionPolicies/{id} → 204
//
// The sweep (policy/retention_sweep.h) applies them; GET .../users/{u}/interactions/{id}/governance
// (legal_hold_resource.h) tells which apply to an item and when it may be deleted.
#pragma once

#include "api/admin_route.h"
#include "api/service.h"

namespace aih::api {

void AddRetentionRoutes(const AddAdminRoute& add, Context& context);

std::string RetentionPolicyJson(const store::RetentionPolicy& policy);

}  // namespace aih::api
