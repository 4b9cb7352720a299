// How the admin router records what goes through it in the audit log (store/audit_log.h): every
// change (any method but GET) with the state of what it changed before and after, and every failed
// admin authentication. One place for every admin resource: admin_resource.cc's route wrapper calls
// these around each handler; a resource adds nothing of its own.
//
// What a change touched is read by the admin API's own GET of the nearest route at or above the
// change's (PATCH .../users/{user} and PUT .../users/{user}/licenses/{plan} both snapshot GET
// .../users/{user}; POST .../consents snapshots GET .../consents), once before the handler and once
// after it succeeded, so before/after are what an admin would have seen. Snapshots are kept as
// AuditSnapshot makes them (client secrets redacted, size bounded).
// Threading: an AdminSubjects is filled while the routes are added, then only read (any thread).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "api/admin_route.h"
#include "store/audit_log.h"

namespace aih::api {

// The action of a change, from its route: the route's literal segments after /admin (without a
// leading "tenants" when more follow) and the method's verb: POST create, PUT set, PATCH update,
// DELETE delete. E.g. PATCH /admin/tenants/{tenant}/users/{user} is "users.update"; a POST to an
// operation segment (.../legalHolds/{hold}/release) is the segments alone ("cases.legalHolds.release").
std::string AdminAction(std::string_view method, std::string_view pattern);

class AdminSubjects {
 public:
  void Add(const std::string& pattern, AdminHandler get) { gets_[pattern] = std::move(get); }
  // The JSON the nearest GET route at or above `pattern` answers now, "null" when there is none or it
  // fails (the subject does not exist yet, or any more).
  std::string Snapshot(const std::string& pattern, const http::Request& request, const http::PathParams& params) const;

 private:
  std::map<std::string, AdminHandler> gets_;
};

// The entry of an admin change: `reply` is the handler's answer (its status, and its body as the
// entry's "response" when it is JSON); `before`/`after` snapshots (AdminSubjects::Snapshot).
store::AuditEntry AdminChangeEntry(const http::Request& request, const http::PathParams& params, const char* method,
                                   const std::string& pattern, const Result<AdminReply>& reply,
                                   const std::string& before, const std::string& after);

// The entry of a refused admin authentication (`why`: no key, a wrong key, a token, a lockout):
// which credential was presented (none, the admin key header, a bearer token, a JWT) and never its value.
store::AuditEntry FailedAdminAuthentication(const http::Request& request, const http::PathParams& params,
                                            const Status& why);

}  // namespace aih::api
