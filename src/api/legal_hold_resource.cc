#include "api/legal_hold_resource.h"

#include "api/retention_resource.h"
#include "base/clock.h"
#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/json_fields.h"
#include "directory/users.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "policy/legal_holds.h"
#include "policy/retention.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

int64_t NowMs() { return SystemClock().NowMillis(); }

void TimeMember(std::string& out, const char* name, int64_t ms) {
  out += ",\"";
  out += name;
  out += "\":";
  if (ms == 0) {
    out += "null";
  } else {
    AppendJsonString(out, model::Timestamp::FromUnixMillis(ms).ToString());
  }
}

void TicksMember(std::string& out, const char* name, int64_t ticks, int64_t none) {
  out += ",\"";
  out += name;
  out += "\":";
  if (ticks == none) {
    out += "null";
  } else {
    // As few fractional digits as the instant needs.
    int64_t fraction = ((ticks % model::Timestamp::kTicksPerSecond) + model::Timestamp::kTicksPerSecond) %
                       model::Timestamp::kTicksPerSecond;
    uint8_t digits = fraction == 0 ? 0 : 7;
    while (fraction != 0 && fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    AppendJsonString(out, model::Timestamp{ticks, digits}.ToString());
  }
}

std::string CaseJson(const store::LegalCase& c) {
  std::string out = "{\"id\":";
  AppendJsonString(out, c.id);
  AppendJsonMember(out, "displayName", c.display_name);
  AppendJsonMember(out, "description", c.description);
  AppendJsonMember(out, "status", "active");
  TimeMember(out, "createdDateTime", c.created_ms);
  return out + '}';
}

Result<AdminReply> CreateCase(Context& ctx, const http::Request& r, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"displayName", "description"}));
  std::optional<std::string> name, description;
  AIH_RETURN_IF_ERROR(body->Get("displayName", &name));
  AIH_RETURN_IF_ERROR(body->Get("description", &description));
  auto opened = policy::OpenCase(ctx.store, {*tenant, name.value_or(""), description.value_or("")}, NowMs());
  if (!opened.ok()) return opened.status();
  return AdminReply{201, CaseJson(*opened)};
}

Result<AdminReply> ListCases(Context& ctx, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto cases = ctx.store.holds().ListCases(*tenant);
  if (!cases.ok()) return cases.status();
  return AdminReply{200, JsonList(*cases, CaseJson)};
}

Result<AdminReply> GetCase(Context& ctx, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto found = ctx.store.holds().GetCase(*tenant, p.at("case"));
  if (!found.ok()) return found.status();
  return AdminReply{200, CaseJson(*found)};
}

Result<AdminReply> CreateHold(Context& ctx, const http::Request& r, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(
      body->OnlyMembers({"displayName", "userSources", "contentQuery", "contentSearch", "startDateTime", "endDateTime"}));
  policy::HoldRequest request;
  request.tenant_id = *tenant;
  request.case_id = p.at("case");
  std::optional<std::string> name, query, search;
  std::optional<std::vector<std::string>> users;
  AIH_RETURN_IF_ERROR(body->Get("displayName", &name));
  AIH_RETURN_IF_ERROR(body->Get("userSources", &users));
  AIH_RETURN_IF_ERROR(body->Get("contentQuery", &query));
  AIH_RETURN_IF_ERROR(body->Get("contentSearch", &search));
  AIH_RETURN_IF_ERROR(body->Get("startDateTime", &request.start));
  AIH_RETURN_IF_ERROR(body->Get("endDateTime", &request.end));
  request.display_name = name.value_or("");
  request.content_query = query.value_or("");
  request.content_search = search.value_or("");
  request.user_sources = users.value_or(std::vector<std::string>{});
  auto hold = policy::PlaceHold(ctx.store, request, NowMs());
  if (!hold.ok()) return hold.status();
  return AdminReply{201, LegalHoldJson(*hold)};
}

// The hold the path names, of the case the path names.
Result<store::LegalHold> PathHold(Context& ctx, const std::string& tenant, const http::PathParams& p) {
  auto hold = ctx.store.holds().GetHold(tenant, p.at("hold"));
  if (!hold.ok()) return hold.status();
  if (hold->case_id != p.at("case")) {
    return Status::NotFound("the case '" + Printable(p.at("case")) + "' has no legal hold '" +
                            Printable(p.at("hold")) + "'");
  }
  return hold;
}

Result<AdminReply> ListHolds(Context& ctx, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(ctx.store.holds().GetCase(*tenant, p.at("case")).status());
  auto holds = ctx.store.holds().ListHolds(*tenant, p.at("case"), false);
  if (!holds.ok()) return holds.status();
  return AdminReply{200, JsonList(*holds, LegalHoldJson)};
}

Result<AdminReply> GetHold(Context& ctx, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto hold = PathHold(ctx, *tenant, p);
  if (!hold.ok()) return hold.status();
  return AdminReply{200, LegalHoldJson(*hold)};
}

Result<AdminReply> ReleaseHold(Context& ctx, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(PathHold(ctx, *tenant, p).status());
  auto released = ctx.store.holds().ReleaseHold(*tenant, p.at("hold"), NowMs());
  if (!released.ok()) return released.status();
  return AdminReply{200, LegalHoldJson(*released)};
}

Result<AdminReply> ItemGovernance(Context& ctx, const http::PathParams& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto owner = directory::InteractionOwner(ctx.store.directory(), *tenant, p.at("user"));
  if (!owner.ok()) return owner.status();
  auto holds = ctx.store.holds().HoldsCovering(*tenant, *owner, p.at("id"));
  if (!holds.ok()) return holds.status();
  auto retention = policy::RetentionOf(ctx.store, *tenant, *owner, p.at("id"));
  if (!retention.ok()) return retention.status();
  std::string out = JsonList(*holds, LegalHoldJson);
  out.replace(0, std::string("{\"value\"").size(), "{\"legalHolds\"");
  out.pop_back();
  out += ",\"retentionPolicies\":";
  out += JsonList(retention->policies, RetentionPolicyJson).substr(std::string("{\"value\":").size());
  out.pop_back();
  // When retention would delete it (null: never); a hold above keeps it past that instant.
  TicksMember(out, "deleteAfterDateTime", retention->decision.delete_at_ticks.value_or(store::LegalHold::kNoEnd),
              store::LegalHold::kNoEnd);
  out += ",\"deletable\":";
  out += holds->empty() ? "true" : "false";
  return AdminReply{200, out + "}"};
}

}  // namespace

std::string LegalHoldJson(const store::LegalHold& h) {
  std::string out = "{\"id\":";
  AppendJsonString(out, h.id);
  AppendJsonMember(out, "caseId", h.case_id);
  AppendJsonMember(out, "displayName", h.display_name);
  AppendJsonMember(out, "status", h.active ? "active" : "released");
  out += ",\"contentQuery\":";
  if (h.content_query.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, h.content_query);
  }
  out += ",\"contentSearch\":";
  if (h.content_search.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, h.content_search);
  }
  TicksMember(out, "startDateTime", h.start_ticks, store::LegalHold::kNoStart);
  TicksMember(out, "endDateTime", h.end_ticks, store::LegalHold::kNoEnd);
  out += ",\"userSources\":[";
  for (size_t i = 0; i < h.user_ids.size(); ++i) {
    out += i ? ",{\"id\":" : "{\"id\":";
    AppendJsonString(out, h.user_ids[i]);
    out += '}';
  }
  out += ']';
  TimeMember(out, "createdDateTime", h.created_ms);
  TimeMember(out, "releasedDateTime", h.released_ms);
  return out + '}';
}

void AddLegalHoldRoutes(const AddAdminRoute& add, Context& ctx) {
  Context* c = &ctx;
  const std::string cases = "/admin/tenants/{tenant}/cases";
  const std::string holds = cases + "/{case}/legalHolds";
  add("GET", cases, [c](auto&, auto& p) { return ListCases(*c, p); });
  add("POST", cases, [c](auto& r, auto& p) { return CreateCase(*c, r, p); });
  add("GET", cases + "/{case}", [c](auto&, auto& p) { return GetCase(*c, p); });
  add("GET", holds, [c](auto&, auto& p) { return ListHolds(*c, p); });
  add("POST", holds, [c](auto& r, auto& p) { return CreateHold(*c, r, p); });
  add("GET", holds + "/{hold}", [c](auto&, auto& p) { return GetHold(*c, p); });
  add("POST", holds + "/{hold}/release", [c](auto&, auto& p) { return ReleaseHold(*c, p); });
  add("GET", "/admin/tenants/{tenant}/users/{user}/interactions/{id}/governance",
      [c](auto&, auto& p) { return ItemGovernance(*c, p); });
}

}  // namespace aih::api
