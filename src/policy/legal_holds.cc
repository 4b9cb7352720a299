#include "policy/legal_holds.h"

#include <algorithm>

#include "base/guid.h"
#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/tenants.h"
#include "directory/users.h"
#include "model/timestamp.h"
#include "odata/filter.h"
#include "odata/search.h"

namespace aih::policy {
namespace {

constexpr size_t kMaxNameLength = 256;
constexpr size_t kMaxUserSources = 1000;

Status RequireName(const std::string& name, const char* what) {
  if (name.empty()) return Status::BadRequest(std::string(what) + " is required");
  if (name.size() > kMaxNameLength) {
    return Status::BadRequest(std::string(what) + " is longer than " + std::to_string(kMaxNameLength) + " bytes");
  }
  return Status::Ok();
}

Result<int64_t> Bound(const std::string& text, const char* what) {
  auto t = model::Timestamp::Parse(text);
  if (!t.ok()) return Status::BadRequest(std::string(what) + " is not an ISO 8601 date with an offset: " + t.status().message());
  return t->ticks;
}

}  // namespace

Result<store::LegalCase> OpenCase(store::Store& store, const CaseRequest& request, int64_t now_ms) {
  AIH_RETURN_IF_ERROR(directory::RequireTenant(store.directory(), request.tenant_id));
  AIH_RETURN_IF_ERROR(RequireName(request.display_name, "displayName"));
  auto id = NewGuid();
  if (!id.ok()) return id.status();
  store::LegalCase legal_case{request.tenant_id, *id, request.display_name, request.description, now_ms};
  AIH_RETURN_IF_ERROR(store.holds().CreateCase(legal_case));
  return legal_case;
}

Result<store::LegalHold> PlaceHold(store::Store& store, const HoldRequest& request, int64_t now_ms) {
  AIH_RETURN_IF_ERROR(directory::RequireTenant(store.directory(), request.tenant_id));
  auto legal_case = store.holds().GetCase(request.tenant_id, request.case_id);
  if (!legal_case.ok()) return legal_case.status();
  AIH_RETURN_IF_ERROR(RequireName(request.display_name, "displayName"));
  if (request.user_sources.empty()) {
    return Status::BadRequest("userSources must name at least one user of the tenant (object id or user principal name)");
  }
  if (request.user_sources.size() > kMaxUserSources) {
    return Status::BadRequest("userSources names more than " + std::to_string(kMaxUserSources) +
                              " users; place several holds");
  }
  store::LegalHold hold;
  hold.tenant_id = request.tenant_id;
  hold.case_id = request.case_id;
  hold.display_name = request.display_name;
  for (const std::string& ref : request.user_sources) {
    auto user = directory::FindUser(store.directory(), request.tenant_id, ref);
    if (!user.ok()) {
      if (user.status().code() != Code::kNotFound) return user.status();
      return Status::NotFound("userSources: tenant " + request.tenant_id + " has no user '" + Printable(ref) +
                              "' (a hold covers users of its own tenant only)");
    }
    hold.user_ids.push_back(user->id);
  }
  std::sort(hold.user_ids.begin(), hold.user_ids.end());
  hold.user_ids.erase(std::unique(hold.user_ids.begin(), hold.user_ids.end()), hold.user_ids.end());
  if (!request.content_query.empty()) {
    auto query = odata::Filter::Parse(request.content_query);
    if (!query.ok()) return Status::BadRequest("contentQuery: " + query.status().message());
    hold.content_query = query->Canonical();
  }
  if (!request.content_search.empty()) {
    // Kept as given: the search is parsed again wherever it is applied, as the export's is.
    auto search = odata::Search::Parse(request.content_search);
    if (!search.ok()) return Status::BadRequest("contentSearch: " + search.status().message());
    hold.content_search = request.content_search;
  }
  if (request.start) {
    auto start = Bound(*request.start, "startDateTime");
    if (!start.ok()) return start.status();
    hold.start_ticks = *start;
  }
  if (request.end) {
    auto end = Bound(*request.end, "endDateTime");
    if (!end.ok()) return end.status();
    hold.end_ticks = *end;
  }
  if (hold.end_ticks <= hold.start_ticks) {
    return Status::BadRequest("endDateTime must be after startDateTime: the hold would cover nothing");
  }
  auto id = NewGuid();
  if (!id.ok()) return id.status();
  hold.id = *id;
  hold.created_ms = now_ms;
  AIH_RETURN_IF_ERROR(store.holds().CreateHold(hold));
  return hold;
}

}  // namespace aih::policy
