#include "api/retention_resource.h"

#include <algorithm>

#include "base/clock.h"
#include "base/guid.h"
#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/json_fields.h"
#include "directory/tenants.h"
#include "directory/users.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "policy/retention.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

Result<AdminReply> ListPolicies(Context& ctx, const http::PathParams& p) {
  auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(directory::RequireTenant(ctx.store.directory(), *tenant));
  auto policies = ctx.store.retention().ListPolicies(*tenant);
  if (!policies.ok()) return policies.status();
  std::string out = "{\"value\":[";
  for (size_t i = 0; i < policies->size(); ++i) {
    if (i) out += ',';
    out += RetentionPolicyJson((*policies)[i]);
  }
  return AdminReply{200, out + "]}"};
}

Result<AdminReply> CreatePolicy(Context& ctx, const http::Request& r, const http::PathParams& p) {
  auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(directory::RequireTenant(ctx.store.directory(), *tenant));
  if (r.body.empty()) return Status::BadRequest("the request needs a JSON object body");
  auto body = directory::JsonFields::Parse(r.body);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"displayName", "action", "periodDays", "appClass", "party", "users"}));
  std::optional<std::string> name, action, app_class, party;
  std::optional<int64_t> days;
  std::optional<std::vector<std::string>> users;
  AIH_RETURN_IF_ERROR(body->Get("displayName", &name));
  AIH_RETURN_IF_ERROR(body->Get("action", &action));
  AIH_RETURN_IF_ERROR(body->Get("periodDays", &days));
  AIH_RETURN_IF_ERROR(body->Get("appClass", &app_class));
  AIH_RETURN_IF_ERROR(body->Get("party", &party));
  AIH_RETURN_IF_ERROR(body->Get("users", &users));
  store::RetentionPolicy policy;
  policy.tenant_id = *tenant;
  policy.display_name = name.value_or("");
  if (!action) return Status::BadRequest("\"action\" is required: \"retain\", \"delete\" or \"retainThenDelete\"");
  if (*action == "retain") {
    policy.action = store::RetentionPolicy::Action::kRetain;
  } else if (*action == "delete") {
    policy.action = store::RetentionPolicy::Action::kDelete;
  } else if (*action == "retainThenDelete") {
    policy.action = store::RetentionPolicy::Action::kRetainThenDelete;
  } else {
    return Status::BadRequest("\"action\" must be \"retain\", \"delete\" or \"retainThenDelete\", not '" +
                              Printable(*action) + "'");
  }
  if (!days) return Status::BadRequest("\"periodDays\" is required: days counted from createdDateTime");
  policy.period_days = *days;
  policy.app_class = app_class.value_or("");
  const std::string party_text = party.value_or("all");
  if (party_text == "first-party") {
    policy.party = store::RetentionPolicy::Party::kFirstParty;
  } else if (party_text == "third-party") {
    policy.party = store::RetentionPolicy::Party::kThirdParty;
  } else if (party_text != "all") {
    return Status::BadRequest("\"party\" must be \"all\", \"first-party\" or \"third-party\"");
  }
  for (const std::string& ref : users.value_or(std::vector<std::string>{})) {
    auto user = directory::FindUser(ctx.store.directory(), *tenant, ref);
    if (!user.ok()) return user.status();
    policy.user_ids.push_back(user->id);
  }
  std::sort(policy.user_ids.begin(), policy.user_ids.end());
  policy.user_ids.erase(std::unique(policy.user_ids.begin(), policy.user_ids.end()), policy.user_ids.end());
  AIH_RETURN_IF_ERROR(policy::ValidateRetentionPolicy(policy));
  auto id = NewGuid();
  if (!id.ok()) return id.status();
  policy.id = *id;
  policy.created_ms = SystemClock().NowMillis();
  AIH_RETURN_IF_ERROR(ctx.store.retention().CreatePolicy(policy));
  return AdminReply{201, RetentionPolicyJson(policy)};
}

Result<AdminReply> DeletePolicy(Context& ctx, const http::PathParams& p) {
  auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(ctx.store.retention().DeletePolicy(*tenant, p.at("policy")));
  return AdminReply{204, {}};
}

}  // namespace

std::string RetentionPolicyJson(const store::RetentionPolicy& p) {
  std::string out = "{\"id\":";
  AppendJsonString(out, p.id);
  out += ",\"displayName\":";
  AppendJsonString(out, p.display_name);
  out += ",\"action\":";
  AppendJsonString(out, store::ToString(p.action));
  out += ",\"periodDays\":" + std::to_string(p.period_days);
  out += ",\"appClass\":";
  if (p.app_class.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, p.app_class);
  }
  out += ",\"party\":";
  AppendJsonString(out, store::ToString(p.party));
  out += ",\"users\":[";
  for (size_t i = 0; i < p.user_ids.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, p.user_ids[i]);
  }
  out += "],\"createdDateTime\":";
  AppendJsonString(out, model::Timestamp::FromUnixMillis(p.created_ms).ToString());
  return out + '}';
}

void AddRetentionRoutes(const AddAdminRoute& add, Context& ctx) {
  Context* c = &ctx;
  const std::string policies = "/admin/tenants/{tenant}/retentionPolicies";
  add("GET", policies, [c](auto&, auto& p) { return ListPolicies(*c, p); });
  add("POST", policies, [c](auto& r, auto& p) { return CreatePolicy(*c, r, p); });
  add("DELETE", policies + "/{policy}", [c](auto&, auto& p) { return DeletePolicy(*c, p); });
}

}  // namespace aih::api
