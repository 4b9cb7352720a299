#include "api/erasure_resource.h"

#include <cinttypes>
#include <cstdio>

#include "base/clock.h"
#include "directory/identifiers.h"
#include "directory/json_fields.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "policy/erasure.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

Result<AdminReply> Erase(Context& ctx, const http::Request& r, const http::PathParams& p) {
  auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
  if (!tenant.ok()) return tenant.status();
  if (r.body.empty()) return Status::BadRequest("the request needs a JSON object body: {\"user\": ...}");
  auto body = directory::JsonFields::Parse(r.body);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"user", "interactionId", "sessionId"}));
  policy::ErasureRequest request;
  request.tenant_id = *tenant;
  std::optional<std::string> user;
  AIH_RETURN_IF_ERROR(body->Get("user", &user));
  AIH_RETURN_IF_ERROR(body->Get("interactionId", &request.interaction_id));
  AIH_RETURN_IF_ERROR(body->Get("sessionId", &request.session_id));
  if (!user || user->empty()) return Status::BadRequest("\"user\" is required: the object id or UPN whose data to erase");
  request.user = *user;
  request.actor = "admin-api";
  request.request_id = r.request_id;
  request.now_ms = SystemClock().NowMillis();
  auto erased = policy::Erase(ctx.store, request);
  if (!erased.ok()) return erased.status();
  std::string out = "{\"userId\":";
  AppendJsonString(out, erased->user_id);
  out += ",\"erased\":" + std::to_string(erased->erased) + "}";
  return AdminReply{200, std::move(out)};
}

Result<AdminReply> ListErasures(Context& ctx, const http::Request& r, const http::PathParams& p) {
  auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
  if (!tenant.ok()) return tenant.status();
  auto user = QueryParam(r, "userId");
  auto top_text = QueryParam(r, "top");
  if (!user.ok()) return user.status();
  if (!top_text.ok()) return top_text.status();
  int top = 100;
  if (!top_text->empty()) {
    top = 0;
    for (char ch : *top_text) top = (ch >= '0' && ch <= '9' && top <= 1000) ? top * 10 + (ch - '0') : 100000;
    if (top < 1 || top > 1000) return Status::BadRequest("top must be a whole number from 1 to 1000");
  }
  std::string user_id;
  if (!user->empty()) {
    auto canonical = directory::CanonicalGuid(*user, "userId");
    if (!canonical.ok()) return canonical.status();
    user_id = *canonical;
  }
  auto erasures = ctx.store.erasures().List(*tenant, user_id, top);
  if (!erasures.ok()) return erasures.status();
  std::string out = "{\"value\":[";
  for (size_t i = 0; i < erasures->size(); ++i) {
    const store::Erasure& e = (*erasures)[i];
    out += i ? ",{\"userId\":" : "{\"userId\":";
    AppendJsonString(out, e.user_id);
    out += ",\"interactionId\":";
    AppendJsonString(out, e.id);
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016" PRIx64, e.content_hash);
    out += ",\"contentHash\":";
    AppendJsonString(out, hash);
    out += ",\"erasedDateTime\":";
    AppendJsonString(out, model::Timestamp::FromUnixMillis(e.erased_ms).ToString());
    out += ",\"reason\":";
    AppendJsonString(out, e.reason);
    out += ",\"actor\":";
    AppendJsonString(out, e.actor);
    out += '}';
  }
  return AdminReply{200, out + "]}"};
}

}  // namespace

void AddErasureRoutes(const AddAdminRoute& add, Context& ctx) {
  Context* c = &ctx;
  add("POST", "/admin/tenants/{tenant}/erasures", [c](auto& r, auto& p) { return Erase(*c, r, p); });
  add("GET", "/admin/tenants/{tenant}/erasures", [c](auto& r, auto& p) { return ListErasures(*c, r, p); });
}

}  // namespace aih::api
