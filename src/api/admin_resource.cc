#include "api/admin_resource.h"

#include <cstdio>
#include <ctime>
#include <memory>

#include "api/admin_change_record.h"
#include "api/admin_key.h"
#include "api/admin_route.h"
#include "api/app_registration.h"
#include "api/audit_resource.h"
#include "api/erasure_resource.h"
#include "api/legal_hold_resource.h"
#include "api/log_resource.h"
#include "api/request_context.h"
#include "api/retention_resource.h"
#include "api/search_resource.h"
#include "auth/guess_throttle.h"
#include "auth/principal.h"
#include "base/log.h"
#include "base/refusals.h"
#include "base/utf8.h"
#include "directory/consents.h"
#include "directory/identifiers.h"
#include "directory/json_fields.h"
#include "directory/sources.h"
#include "directory/tenants.h"
#include "directory/user_list.h"
#include "directory/users.h"
#include "http/graph_error.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "policy/copilot_license.h"
#include "store/page_sql.h"

namespace aih::api {
namespace {

using directory::JsonFields;
using model::AppendJsonString;

// ---- JSON output ----

void AppendTime(std::string& out, int64_t unix_seconds) {
  if (unix_seconds == 0) {
    out += "null";
    return;
  }
  AppendJsonString(out, model::Timestamp::FromUnixMillis(unix_seconds * 1000).ToString());
}

void AppendStrings(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, values[i]);
  }
  out += ']';
}

std::string TenantJson(const store::Tenant& t) {
  std::string out = "{\"id\":";
  AppendJsonString(out, t.id);
  AppendJsonMember(out, "displayName", t.display_name);
  return out + '}';
}

std::string UserJson(const store::DirectoryUser& u) {
  std::string out = "{\"id\":";
  AppendJsonString(out, u.id);
  AppendJsonMember(out, "userPrincipalName", u.user_principal_name);
  AppendJsonMember(out, "displayName", u.display_name);
  AppendJsonMember(out, "accountType", store::ToString(u.account_type));
  out += ",\"servicePlans\":";
  AppendStrings(out, u.service_plans);
  out += ",\"copilotLicensed\":";
  out += policy::HoldsCopilotLicense(u) ? "true" : "false";
  return out + '}';
}

std::string SecretJson(const NewSecret& s) {
  std::string out = "{\"secretId\":";
  AppendJsonString(out, s.secret_id);
  AppendJsonMember(out, "secretText", s.secret_text);
  out += ",\"expiresDateTime\":";
  AppendTime(out, s.expires_at);
  return out + '}';
}

std::string ApplicationJson(store::DirectoryStore& dir, const store::Application& app, Status* status) {
  std::string out = "{\"clientId\":";
  AppendJsonString(out, app.client_id);
  AppendJsonMember(out, "displayName", app.display_name);
  AppendJsonMember(out, "homeTenantId", app.home_tenant_id);
  out += ",\"createdDateTime\":";
  AppendTime(out, app.created_at);
  auto secrets = dir.ListSecrets(app.client_id);
  auto certificates = dir.ListCertificates(app.client_id);
  if (!secrets.ok() || !certificates.ok()) {
    *status = secrets.ok() ? certificates.status() : secrets.status();
    return {};
  }
  out += ",\"secrets\":[";
  for (size_t i = 0; i < secrets->size(); ++i) {
    const store::AppSecret& s = (*secrets)[i];
    out += i ? ",{\"secretId\":" : "{\"secretId\":";
    AppendJsonString(out, s.secret_id);
    AppendJsonMember(out, "hint", s.hint);
    out += ",\"createdDateTime\":";
    AppendTime(out, s.created_at);
    out += ",\"expiresDateTime\":";
    AppendTime(out, s.expires_at);
    out += '}';
  }
  out += "],\"certificates\":[";
  for (size_t i = 0; i < certificates->size(); ++i) {
    out += i ? ",{\"thumbprint\":" : "{\"thumbprint\":";
    AppendJsonString(out, (*certificates)[i].thumbprint);
    out += ",\"createdDateTime\":";
    AppendTime(out, (*certificates)[i].created_at);
    out += '}';
  }
  return out + "]}";
}

std::string ConsentJson(const store::Consent& c) {
  std::string out = "{\"clientId\":";
  AppendJsonString(out, c.client_id);
  out += ",\"roles\":";
  AppendStrings(out, c.roles);
  return out + '}';
}

std::string SourceJson(const store::Source& s) {
  std::string out = "{\"appClass\":";
  AppendJsonString(out, s.app_class);
  AppendJsonMember(out, "kind", store::ToString(s.kind));
  AppendJsonMember(out, "displayName", s.display_name);
  out += ",\"exportEnabled\":";
  out += s.export_enabled ? "true" : "false";
  out += ",\"writers\":";
  AppendStrings(out, s.writers);
  return out + '}';
}

// ---- Requests ----

using Reply = AdminReply;  // admin_route.h
using Params = http::PathParams;
using Handler = AdminHandler;

Result<std::string> ClientParam(const Params& p) { return directory::CanonicalGuid(p.at("client"), "client id"); }

// The directory user the path names (object id or UPN) in tenant `tenant`.
Result<store::DirectoryUser> PathUser(Context& ctx, const std::string& tenant, const Params& p) {
  return directory::FindUser(ctx.store.directory(), tenant, p.at("user"));
}

Result<Reply> Json(int status, std::string body) { return Reply{status, std::move(body)}; }
Result<Reply> NoContent(const Status& s) {
  if (!s.ok()) return s;
  return Reply{204, {}};
}

// ---- Tenants ----

Result<Reply> CreateTenant(Context& ctx, const http::Request& r) {
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"id", "displayName"}));
  std::optional<std::string> id, name;
  AIH_RETURN_IF_ERROR(body->Get("id", &id));
  AIH_RETURN_IF_ERROR(body->Get("displayName", &name));
  std::string canonical_id;  // empty: a new one
  if (id) {
    auto canonical = directory::CanonicalGuid(*id, "id");
    if (!canonical.ok()) return canonical.status();
    canonical_id = *canonical;
  }
  if (!name) return Status::BadRequest("\"displayName\" is required (e.g. \"Contoso\")");
  auto tenant = directory::CreateTenant(ctx.store.directory(), canonical_id, *name, "displayName");
  if (!tenant.ok()) return tenant.status();
  return Json(201, TenantJson(*tenant));
}

Result<Reply> GetTenant(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto found = ctx.store.directory().GetTenant(*tenant);
  if (!found.ok()) return found.status();
  return Json(200, TenantJson(*found));
}

Result<Reply> ListTenants(Context& ctx) {
  auto tenants = ctx.store.directory().ListTenants();
  if (!tenants.ok()) return tenants.status();
  return Json(200, JsonList(*tenants, TenantJson));
}

// ---- Users and licenses ----

Result<Reply> ListUsers(Context& ctx, const http::Request& r, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(directory::RequireTenant(ctx.store.directory(), *tenant));
  auto top_text = QueryParam(r, "top");
  auto after = QueryParam(r, "after");
  if (!top_text.ok()) return top_text.status();
  if (!after.ok()) return after.status();
  int top = 100;
  if (!top_text->empty()) {
    try {
      size_t used = 0;
      top = std::stoi(*top_text, &used);
      if (used != top_text->size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      top = 0;
    }
    if (top < 1 || top > 1000) return Status::BadRequest("top must be a whole number from 1 to 1000");
  }
  auto page = directory::ListUsers(ctx.store.directory(), *tenant, *after, top);
  if (!page.ok()) return page.status();
  std::string body = JsonList(page->users, UserJson);
  if (page->more) {
    body.pop_back();
    AppendJsonMember(body, "nextLink",
           "/admin/tenants/" + *tenant + "/users?top=" + std::to_string(top) + "&after=" + page->users.back().id);
    body += '}';
  }
  return Json(200, std::move(body));
}

Result<Reply> ImportUsers(Context& ctx, const http::Request& r, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  std::string type(r.Header("content-type"));
  type = type.substr(0, type.find(';'));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  directory::UserListFormat format;
  if (type == "text/csv" || type == "application/csv") {
    format = directory::UserListFormat::kCsv;
  } else if (type.empty() || type == "application/json") {
    format = directory::UserListFormat::kJson;
  } else {
    return Status(Code::kUnsupportedMediaType,
                  "Content-Type '" + Printable(type) + "' is not supported; send application/json or text/csv");
  }
  auto rows = directory::ReadUserList(r.body, format);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::BadRequest("the user list has no users");
  auto summary = directory::ImportUsers(ctx.store.directory(), *tenant, *rows);
  if (!summary.ok()) return summary.status();
  std::string body = "{\"created\":" + std::to_string(summary->created) +
                     ",\"updated\":" + std::to_string(summary->updated) + ",\"value\":[";
  for (size_t i = 0; i < summary->users.size(); ++i) {
    if (i) body += ',';
    body += UserJson(summary->users[i]);
  }
  return Json(200, body + "]}");
}

Result<Reply> GetUser(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto user = PathUser(ctx, *tenant, p);
  if (!user.ok()) return user.status();
  return Json(200, UserJson(*user));
}

Result<Reply> PatchUser(Context& ctx, const http::Request& r, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"displayName", "userPrincipalName", "accountType"}));
  store::UserPatch patch;
  std::optional<std::string> type;
  AIH_RETURN_IF_ERROR(body->Get("displayName", &patch.display_name));
  AIH_RETURN_IF_ERROR(body->Get("userPrincipalName", &patch.user_principal_name));
  AIH_RETURN_IF_ERROR(body->Get("accountType", &type));
  auto updated = directory::UpdateUser(ctx.store.directory(), *tenant, p.at("user"), patch, type);
  if (!updated.ok()) return updated.status();
  return Json(200, UserJson(*updated));
}

Result<Reply> DeleteUser(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto user = PathUser(ctx, *tenant, p);
  if (!user.ok()) return user.status();
  return NoContent(directory::DeleteUser(ctx.store.directory(), *tenant, user->id));
}

Result<Reply> License(Context& ctx, const Params& p, bool assign) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto plan = directory::CanonicalGuid(p.at("plan"), "service plan id");
  if (!plan.ok()) return plan.status();
  return NoContent(directory::SetLicense(ctx.store.directory(), *tenant, p.at("user"), *plan, assign).status());
}

// Deletes one interaction or a user's whole history. A user removed from the directory can still
// be purged by object id: deleting data must not depend on the directory still knowing its owner.
Result<Reply> DeleteInteractions(Context& ctx, const http::Request& r, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto owner = directory::InteractionOwner(ctx.store.directory(), *tenant, p.at("user"));
  if (!owner.ok()) return owner.status();
  std::optional<std::string> id;
  if (p.count("id")) id = p.at("id");
  auto deleted = directory::DeleteInteractions(ctx.store.interactions(), *tenant, *owner, id, r.request_id);
  if (!deleted.ok()) return deleted.status();
  return Json(200, "{\"deleted\":" + std::to_string(*deleted) + "}");
}

// ---- Applications ----

Result<Reply> RegisterApp(Context& ctx, const http::Request& r) {
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"displayName", "homeTenantId", "secretLifetimeDays"}));
  std::optional<std::string> name, home;
  std::optional<int64_t> lifetime;
  AIH_RETURN_IF_ERROR(body->Get("displayName", &name));
  AIH_RETURN_IF_ERROR(body->Get("homeTenantId", &home));
  AIH_RETURN_IF_ERROR(body->Get("secretLifetimeDays", &lifetime));
  if (!name) return Status::BadRequest("\"displayName\" is required (e.g. \"Contoso compliance export\")");
  if (!home) return Status::BadRequest("\"homeTenantId\" is required: the tenant that owns the application");
  auto app = RegisterApplication(ctx.store.directory(), *name, *home, lifetime.value_or(0));
  if (!app.ok()) return app.status();
  Status status;
  std::string json = ApplicationJson(ctx.store.directory(), app->application, &status);
  if (!status.ok()) return status;
  json.pop_back();
  json += ",\"clientSecret\":" + SecretJson(app->secret) + "}";
  return Json(201, std::move(json));
}

Result<Reply> GetApp(Context& ctx, const Params& p) {
  auto client = ClientParam(p);
  if (!client.ok()) return client.status();
  auto app = ctx.store.directory().GetApplication(*client);
  if (!app.ok()) return app.status();
  Status status;
  std::string json = ApplicationJson(ctx.store.directory(), *app, &status);
  if (!status.ok()) return status;
  return Json(200, std::move(json));
}

Result<Reply> ListApps(Context& ctx) {
  auto apps = ctx.store.directory().ListApplications();
  if (!apps.ok()) return apps.status();
  Status status;
  std::string json = JsonList(*apps, [&](const store::Application& a) {
    Status s;
    std::string one = ApplicationJson(ctx.store.directory(), a, &s);
    if (!s.ok()) status = s;
    return one;
  });
  if (!status.ok()) return status;
  return Json(200, std::move(json));
}

Result<Reply> AddSecret(Context& ctx, const http::Request& r, const Params& p) {
  std::optional<int64_t> lifetime;
  if (!r.body.empty()) {
    auto body = AdminJsonBody(r);
    if (!body.ok()) return body.status();
    AIH_RETURN_IF_ERROR(body->OnlyMembers({"lifetimeDays"}));
    AIH_RETURN_IF_ERROR(body->Get("lifetimeDays", &lifetime));
  }
  auto secret = AddClientSecret(ctx.store.directory(), p.at("client"), lifetime.value_or(0));
  if (!secret.ok()) return secret.status();
  return Json(201, SecretJson(*secret));
}

Result<Reply> RemoveSecret(Context& ctx, const Params& p) {
  auto client = ClientParam(p);
  if (!client.ok()) return client.status();
  auto secret = directory::CanonicalGuid(p.at("secret"), "secret id");
  if (!secret.ok()) return secret.status();
  return NoContent(ctx.store.directory().RemoveSecret(*client, *secret));
}

Result<Reply> AddCertificate(Context& ctx, const http::Request& r, const Params& p) {
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"certificate"}));
  std::optional<std::string> pem;
  AIH_RETURN_IF_ERROR(body->Get("certificate", &pem));
  if (!pem) return Status::BadRequest("\"certificate\" is required: the X.509 certificate in PEM");
  auto cert = AddClientCertificate(ctx.store.directory(), p.at("client"), *pem);
  if (!cert.ok()) return cert.status();
  std::string json = "{\"thumbprint\":";
  AppendJsonString(json, cert->thumbprint);
  return Json(201, json + "}");
}

Result<Reply> RemoveCertificate(Context& ctx, const Params& p) {
  auto client = ClientParam(p);
  if (!client.ok()) return client.status();
  std::string thumbprint = p.at("thumbprint");
  for (char& c : thumbprint) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return NoContent(ctx.store.directory().RemoveCertificate(*client, thumbprint));
}

// ---- Consent ----

Result<Reply> ListConsents(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto consents = directory::ListConsents(ctx.store.directory(), *tenant);
  if (!consents.ok()) return consents.status();
  return Json(200, JsonList(*consents, ConsentJson));
}

Result<Reply> GrantConsent(Context& ctx, const http::Request& r, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"clientId", "roles"}));
  std::optional<std::string> client;
  std::optional<std::vector<std::string>> roles;
  AIH_RETURN_IF_ERROR(body->Get("clientId", &client));
  AIH_RETURN_IF_ERROR(body->Get("roles", &roles));
  if (!client) return Status::BadRequest("\"clientId\" is required: the application to grant roles to");
  auto id = directory::CanonicalGuid(*client, "clientId");
  if (!id.ok()) return id.status();
  if (!roles || roles->empty()) {
    return Status::BadRequest("\"roles\" must list the application roles to grant, e.g. [\"AiEnterpriseInteraction.Read.All\"]");
  }
  auto granted = directory::GrantConsent(ctx.store.directory(), *tenant, *id, *roles);
  if (!granted.ok()) return granted.status();
  return Json(200, ConsentJson(store::Consent{*id, *granted}));
}

Result<Reply> RevokeConsent(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto client = ClientParam(p);
  if (!client.ok()) return client.status();
  std::vector<std::string> roles;  // none: every role
  if (p.count("role")) roles.push_back(p.at("role"));
  return NoContent(directory::RevokeConsent(ctx.store.directory(), *tenant, *client, roles));
}

// ---- Per-user grants of Read.User ----

std::string UserAccessJson(const std::string& client_id) {
  std::string out = "{\"clientId\":";
  AppendJsonString(out, client_id);
  AppendJsonMember(out, "role", auth::kReadUser);
  return out + '}';
}

Result<Reply> ListUserAccess(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto apps = directory::ListUserAccess(ctx.store.directory(), *tenant, p.at("user"));
  if (!apps.ok()) return apps.status();
  return Json(200, JsonList(*apps, UserAccessJson));
}

// Grants or revokes AiEnterpriseInteraction.Read.User for the path's user. A revocation ends that
// application's subscriptions to the user within a monitor sweep, each with `subscriptionRemoved`.
Result<Reply> UserAccess(Context& ctx, const Params& p, bool grant) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto client = ClientParam(p);
  if (!client.ok()) return client.status();
  return NoContent(directory::SetUserAccess(ctx.store.directory(), *tenant, p.at("user"), *client, grant).status());
}

// ---- Sources ----

Result<Reply> ListSources(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto sources = directory::ListSources(ctx.store.directory(), *tenant);
  if (!sources.ok()) return sources.status();
  return Json(200, JsonList(*sources, SourceJson));
}

Result<Reply> RegisterSource(Context& ctx, const http::Request& r, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"appClass", "kind", "displayName", "exportEnabled", "writers"}));
  std::optional<std::string> app_class, kind, name;
  std::optional<bool> enabled;
  std::optional<std::vector<std::string>> writers;
  AIH_RETURN_IF_ERROR(body->Get("appClass", &app_class));
  AIH_RETURN_IF_ERROR(body->Get("kind", &kind));
  AIH_RETURN_IF_ERROR(body->Get("displayName", &name));
  AIH_RETURN_IF_ERROR(body->Get("exportEnabled", &enabled));
  AIH_RETURN_IF_ERROR(body->Get("writers", &writers));
  directory::SourceRegistration source{*tenant, app_class.value_or(""), store::ParseSourceKind(kind.value_or("")),
                                       name, enabled, writers.value_or(std::vector<std::string>{})};
  auto stored = directory::RegisterSource(
      ctx.store.directory(), source,
      {"\"kind\" must be \"first-party\" or \"third-party\"", "displayName", "writer client id"});
  if (!stored.ok()) return stored.status();
  return Json(201, SourceJson(*stored));
}

Result<Reply> GetSource(Context& ctx, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto source = ctx.store.directory().GetSource(*tenant, p.at("appClass"));
  if (!source.ok()) return source.status();
  return Json(200, SourceJson(*source));
}

Result<Reply> PatchSource(Context& ctx, const http::Request& r, const Params& p) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto body = AdminJsonBody(r);
  if (!body.ok()) return body.status();
  AIH_RETURN_IF_ERROR(body->OnlyMembers({"exportEnabled", "displayName"}));
  store::SourcePatch patch;
  AIH_RETURN_IF_ERROR(body->Get("exportEnabled", &patch.export_enabled));
  AIH_RETURN_IF_ERROR(body->Get("displayName", &patch.display_name));
  auto source = directory::UpdateSource(ctx.store.directory(), *tenant, p.at("appClass"), patch, "displayName");
  if (!source.ok()) return source.status();
  return Json(200, SourceJson(*source));
}

Result<Reply> SourceWriter(Context& ctx, const Params& p, bool add) {
  auto tenant = AdminTenantParam(p);
  if (!tenant.ok()) return tenant.status();
  auto client = ClientParam(p);
  if (!client.ok()) return client.status();
  return NoContent(directory::SetSourceWriter(ctx.store.directory(), *tenant, p.at("appClass"), *client, add));
}

// The verifiable log's routes (log_resource.h): tenant-scoped but for the deployment's keys.
template <typename Add>
void AddLogRoutes(Add& add, Context& ctx) {
  static SystemClock clock;
  auto checkpoints = std::make_shared<LogCheckpoints>(ctx.store, clock);
  Context* c = &ctx;
  auto tenant_json = [c](auto call) {
    return [c, call](const http::Request& r, const Params& p) -> Result<Reply> {
      auto tenant = AdminTenantParam(p);
      if (!tenant.ok()) return tenant.status();
      AIH_RETURN_IF_ERROR(directory::RequireTenant(c->store.directory(), *tenant));
      auto body = call(r, *tenant);
      if (!body.ok()) return body.status();
      return Json(200, std::move(*body));
    };
  };
  const std::string l = "/admin/tenants/{tenant}/log";
  add("GET", "/admin/log/keys", [c](auto&, auto&) -> Result<Reply> {
    auto body = log_routes::ListKeys(c->store);
    if (!body.ok()) return body.status();
    return Json(200, std::move(*body));
  });
  add("POST", "/admin/log/keys", [checkpoints](auto&, auto&) -> Result<Reply> {
    auto body = log_routes::RotateKey(*checkpoints);
    if (!body.ok()) return body.status();
    return Json(201, std::move(*body));
  });
  add("GET", l + "/checkpoint", tenant_json([c](auto&, const std::string& t) { return log_routes::LatestCheckpoint(c->store, t); }));
  add("POST", l + "/checkpoint",
      tenant_json([checkpoints](auto&, const std::string& t) { return log_routes::PublishCheckpoint(*checkpoints, t); }));
  add("GET", l + "/inclusion", tenant_json([c](auto& r, const std::string& t) { return log_routes::Inclusion(c->store, t, r); }));
  add("GET", l + "/consistency",
      tenant_json([c](auto& r, const std::string& t) { return log_routes::Consistency(c->store, t, r); }));
  add("POST", l + "/exports", tenant_json([c, checkpoints](auto& r, const std::string& t) {
        return log_routes::ExportWithManifest(c->store, *checkpoints, t, r);
      }));
}

}  // namespace

void AddAdminRoutes(http::Router& router, Context& ctx) {
  auto key = std::make_shared<Result<std::string>>(
      ctx.options.admin_key.empty() ? LoadAdminKey(ctx.store) : Result<std::string>(ctx.options.admin_key));
  // Failed admin authentications are throttled per remote address as client secrets are (a locked
  // out address is not even checked), and each is logged, without the key, for the operator.
  auto guesses = std::make_shared<auth::GuessThrottle>();
  // Every change and every failed authentication is recorded here, once for every admin resource
  // (admin_change_record.h): changes durably before they are acknowledged, failures queued.
  auto subjects = std::make_shared<AdminSubjects>();
  store::AuditTrail* audit = ctx.audit;
  auto add = [&router, key, guesses, subjects, audit](const char* method, const std::string& pattern, Handler handler) {
    const bool change = std::string_view(method) != "GET";
    if (!change) subjects->Add(pattern, handler);
    router.Add(method, pattern, [key, guesses, subjects, audit, method, pattern, change, handler](const http::Request& r,
                                                                                             const Params& p) {
      const int64_t now = static_cast<int64_t>(std::time(nullptr));
      const std::string address_key = "admin from:" + r.remote_address;
      if (int64_t locked = guesses->RetryAfter(address_key, now); locked > 0) {
        CountRefusal("lockout");
        log::Warn("admin_lockout").Str("remote", r.remote_address).Str("request_id", r.request_id).Int("retry_after_s", locked);
        Status refusal(Code::kTooManyRequests,
                       "too many failed admin authentications from this address; no key is checked "
                       "until the lockout ends: retry after the Retry-After delay with the admin key");
        if (audit) audit->Record(FailedAdminAuthentication(r, p, refusal));
        return http::ErrorResponse(r, refusal, static_cast<int>(locked));
      }
      Status allowed = CheckAdminKey(r, *key);
      if (allowed.code() == Code::kUnauthenticated) {
        guesses->RecordFailure(address_key, now);
        log::Warn("admin_authentication_failed").Str("remote", r.remote_address).Str("request_id", r.request_id)
            .Str("reason", allowed.message());
        if (audit) audit->Record(FailedAdminAuthentication(r, p, allowed));
      } else if (allowed.ok()) {
        guesses->RecordSuccess(address_key);
      }
      if (!allowed.ok()) return Fail(r, allowed);
      const bool recorded = change && audit && audit->enabled();
      const std::string before = recorded ? subjects->Snapshot(pattern, r, p) : std::string();
      Result<Reply> reply = handler(r, p);
      if (recorded) {
        const std::string after = reply.ok() ? subjects->Snapshot(pattern, r, p) : std::string("null");
        Status kept = audit->RecordNow(AdminChangeEntry(r, p, method, pattern, reply, before, after));
        if (!kept.ok()) {
          log::Error("audit_record_failed").Str("request_id", r.request_id).Str("route", pattern).Str("error", kept.message());
        }
      }
      if (!reply.ok()) return Fail(r, reply.status());
      http::Response response;
      response.status = reply->status;
      response.content_type = reply->content_type.empty() ? "application/json; charset=utf-8" : reply->content_type;
      response.body = std::move(reply->body);
      for (auto& [name, value] : reply->headers) response.SetHeader(name, value);
      return response;
    });
  };
  Context* c = &ctx;
  const std::string t = "/admin/tenants/{tenant}";
  const std::string u = t + "/users/{user}";
  const std::string a = "/admin/applications/{client}";
  const std::string s = t + "/sources/{appClass}";
  add("GET", "/admin/tenants", [c](auto&, auto&) { return ListTenants(*c); });
  add("POST", "/admin/tenants", [c](auto& r, auto&) { return CreateTenant(*c, r); });
  add("GET", t, [c](auto&, auto& p) { return GetTenant(*c, p); });
  add("GET", t + "/users", [c](auto& r, auto& p) { return ListUsers(*c, r, p); });
  add("POST", t + "/users", [c](auto& r, auto& p) { return ImportUsers(*c, r, p); });
  add("GET", u, [c](auto&, auto& p) { return GetUser(*c, p); });
  add("PATCH", u, [c](auto& r, auto& p) { return PatchUser(*c, r, p); });
  add("DELETE", u, [c](auto&, auto& p) { return DeleteUser(*c, p); });
  add("PUT", u + "/licenses/{plan}", [c](auto&, auto& p) { return License(*c, p, true); });
  add("DELETE", u + "/licenses/{plan}", [c](auto&, auto& p) { return License(*c, p, false); });
  add("GET", u + "/access", [c](auto&, auto& p) { return ListUserAccess(*c, p); });
  add("PUT", u + "/access/{client}", [c](auto&, auto& p) { return UserAccess(*c, p, true); });
  add("DELETE", u + "/access/{client}", [c](auto&, auto& p) { return UserAccess(*c, p, false); });
  add("DELETE", u + "/interactions", [c](auto& r, auto& p) { return DeleteInteractions(*c, r, p); });
  add("DELETE", u + "/interactions/{id}", [c](auto& r, auto& p) { return DeleteInteractions(*c, r, p); });
  add("GET", "/admin/applications", [c](auto&, auto&) { return ListApps(*c); });
  add("POST", "/admin/applications", [c](auto& r, auto&) { return RegisterApp(*c, r); });
  add("GET", a, [c](auto&, auto& p) { return GetApp(*c, p); });
  add("POST", a + "/secrets", [c](auto& r, auto& p) { return AddSecret(*c, r, p); });
  add("DELETE", a + "/secrets/{secret}", [c](auto&, auto& p) { return RemoveSecret(*c, p); });
  add("POST", a + "/certificates", [c](auto& r, auto& p) { return AddCertificate(*c, r, p); });
  add("DELETE", a + "/certificates/{thumbprint}", [c](auto&, auto& p) { return RemoveCertificate(*c, p); });
  add("GET", t + "/consents", [c](auto&, auto& p) { return ListConsents(*c, p); });
  add("POST", t + "/consents", [c](auto& r, auto& p) { return GrantConsent(*c, r, p); });
  add("DELETE", t + "/consents/{client}", [c](auto&, auto& p) { return RevokeConsent(*c, p); });
  add("DELETE", t + "/consents/{client}/{role}", [c](auto&, auto& p) { return RevokeConsent(*c, p); });
  add("GET", t + "/sources", [c](auto&, auto& p) { return ListSources(*c, p); });
  add("POST", t + "/sources", [c](auto& r, auto& p) { return RegisterSource(*c, r, p); });
  add("GET", s, [c](auto&, auto& p) { return GetSource(*c, p); });
  add("PATCH", s, [c](auto& r, auto& p) { return PatchSource(*c, r, p); });
  add("PUT", s + "/writers/{client}", [c](auto&, auto& p) { return SourceWriter(*c, p, true); });
  add("DELETE", s + "/writers/{client}", [c](auto&, auto& p) { return SourceWriter(*c, p, false); });
  AddLogRoutes(add, ctx);
  AddLegalHoldRoutes(add, ctx);
  AddErasureRoutes(add, ctx);
  AddRetentionRoutes(add, ctx);
  AddAuditRoutes(add, ctx);
  AddSearchRoutes(add, ctx);
}

}  // namespace aih::api
