#include "cli/tenant_directory.h"

#include <algorithm>
#include <set>

#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/json_fields.h"
#include "directory/user_list.h"
#include "model/interaction_writer.h"

namespace aih::cli {
namespace {

constexpr std::string_view kRecordPrefix = "{\"@aihistory.directory\":";

void Member(std::string& out, const char* name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  model::AppendJsonString(out, value);
}

void Member(std::string& out, const char* name, const std::vector<std::string>& values) {
  out += ",\"";
  out += name;
  out += "\":[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    model::AppendJsonString(out, values[i]);
  }
  out += ']';
}

void Begin(std::string& out, const char* kind) {
  out += kRecordPrefix;
  model::AppendJsonString(out, kind);
}

Status Missing(const std::string& where, const char* member) {
  return Status::BadRequest(where + ": the directory record needs \"" + member + "\"");
}

Result<std::string> Required(const directory::JsonFields& f, const char* member) {
  std::optional<std::string> value;
  AIH_RETURN_IF_ERROR(f.Get(member, &value));
  if (!value) return Missing(f.where(), member);
  return *value;
}

Result<std::string> RequiredGuid(const directory::JsonFields& f, const char* member) {
  auto text = Required(f, member);
  if (!text.ok()) return text.status();
  auto id = directory::CanonicalGuid(*text, member);
  if (!id.ok()) return id.status().WithContext(f.where());
  return *id;
}

Result<std::vector<std::string>> GuidList(const directory::JsonFields& f, const char* member) {
  std::optional<std::vector<std::string>> values;
  AIH_RETURN_IF_ERROR(f.Get(member, &values));
  std::vector<std::string> out;
  for (const std::string& v : values.value_or(std::vector<std::string>{})) {
    auto id = directory::CanonicalGuid(v, member);
    if (!id.ok()) return id.status().WithContext(f.where());
    out.push_back(*id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<TenantDirectory> ReadTenantDirectory(store::DirectoryStore& dir, const std::string& tenant_id) {
  TenantDirectory out;
  auto tenant = dir.GetTenant(tenant_id);
  if (!tenant.ok()) return tenant.status();
  out.tenant = *tenant;
  std::set<std::string> referenced;  // client ids the tenant refers to
  for (std::string after;;) {
    auto users = dir.ListUsers(tenant_id, after, 1000);
    if (!users.ok()) return users.status();
    for (auto& u : *users) out.users.push_back(std::move(u));
    if (users->size() < 1000) break;
    after = out.users.back().id;
  }
  for (const store::DirectoryUser& u : out.users) {
    auto apps = dir.ListUserAccess(tenant_id, u.id);
    if (!apps.ok()) return apps.status();
    for (const std::string& client : *apps) {
      out.user_access.emplace_back(u.id, client);
      referenced.insert(client);
    }
  }
  auto sources = dir.ListSources(tenant_id);
  if (!sources.ok()) return sources.status();
  out.sources = std::move(*sources);
  std::sort(out.sources.begin(), out.sources.end(),
            [](const store::Source& a, const store::Source& b) { return a.app_class < b.app_class; });
  for (const store::Source& s : out.sources) referenced.insert(s.writers.begin(), s.writers.end());
  auto consents = dir.ListConsents(tenant_id);
  if (!consents.ok()) return consents.status();
  out.consents = std::move(*consents);
  std::sort(out.consents.begin(), out.consents.end(),
            [](const store::Consent& a, const store::Consent& b) { return a.client_id < b.client_id; });
  for (const store::Consent& c : out.consents) referenced.insert(c.client_id);
  auto apps = dir.ListApplications();
  if (!apps.ok()) return apps.status();
  for (store::Application& app : *apps) {
    if (app.home_tenant_id == tenant_id || referenced.count(app.client_id)) out.applications.push_back(std::move(app));
  }
  std::sort(out.applications.begin(), out.applications.end(),
            [](const store::Application& a, const store::Application& b) { return a.client_id < b.client_id; });
  return out;
}

std::string WriteTenantDirectory(const TenantDirectory& d) {
  std::string out;
  Begin(out, "tenant");
  Member(out, "id", d.tenant.id);
  Member(out, "displayName", d.tenant.display_name);
  out += "}\n";
  for (const store::Application& app : d.applications) {
    Begin(out, "application");
    Member(out, "clientId", app.client_id);
    Member(out, "displayName", app.display_name);
    Member(out, "homeTenantId", app.home_tenant_id);
    out += "}\n";
  }
  for (const store::DirectoryUser& u : d.users) {
    // The user list's object, with the record's kind in front.
    std::string user;
    directory::AppendUserMembers(user, u);
    Begin(out, "user");
    out += ',';
    out.append(user, 1);  // without its opening brace
    out += "}\n";
  }
  for (const store::Source& s : d.sources) {
    Begin(out, "source");
    Member(out, "appClass", s.app_class);
    Member(out, "kind", store::ToString(s.kind));
    Member(out, "displayName", s.display_name);
    out += ",\"exportEnabled\":";
    out += s.export_enabled ? "true" : "false";
    Member(out, "writers", s.writers);
    out += "}\n";
  }
  for (const store::Consent& c : d.consents) {
    Begin(out, "consent");
    Member(out, "clientId", c.client_id);
    Member(out, "roles", c.roles);
    out += "}\n";
  }
  for (const auto& [user, client] : d.user_access) {
    Begin(out, "userAccess");
    Member(out, "userId", user);
    Member(out, "clientId", client);
    out += "}\n";
  }
  return out;
}

bool IsDirectoryRecord(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return line.substr(0, kRecordPrefix.size()) == kRecordPrefix;
}

Status ReadDirectoryRecord(std::string_view line, const std::string& where, TenantDirectory* d) {
  auto parsed = directory::JsonFields::Parse(line, where);
  if (!parsed.ok()) return parsed.status().WithContext(where);
  const directory::JsonFields& f = *parsed;
  auto kind = Required(f, "@aihistory.directory");
  if (!kind.ok()) return kind.status();
  if (*kind == "tenant") {
    AIH_RETURN_IF_ERROR(f.OnlyMembers({"@aihistory.directory", "id", "displayName"}));
    if (!d->tenant.id.empty()) return Status::BadRequest(where + ": a second tenant record; a file carries one tenant");
    auto id = RequiredGuid(f, "id");
    if (!id.ok()) return id.status();
    auto name = Required(f, "displayName");
    if (!name.ok()) return name.status();
    AIH_RETURN_IF_ERROR(directory::ValidateDisplayName(*name, "displayName").WithContext(where));
    d->tenant = store::Tenant{*id, *name};
    return Status::Ok();
  }
  if (d->tenant.id.empty()) return Status::BadRequest(where + ": the directory must start with its tenant record");
  if (*kind == "application") {
    AIH_RETURN_IF_ERROR(f.OnlyMembers({"@aihistory.directory", "clientId", "displayName", "homeTenantId"}));
    store::Application app;
    auto client = RequiredGuid(f, "clientId");
    if (!client.ok()) return client.status();
    auto home = RequiredGuid(f, "homeTenantId");
    if (!home.ok()) return home.status();
    auto name = Required(f, "displayName");
    if (!name.ok()) return name.status();
    AIH_RETURN_IF_ERROR(directory::ValidateDisplayName(*name, "displayName").WithContext(where));
    d->applications.push_back(store::Application{*client, *name, *home, 0});
    return Status::Ok();
  }
  if (*kind == "user") {
    AIH_RETURN_IF_ERROR(
        f.OnlyMembers({"@aihistory.directory", "id", "userPrincipalName", "displayName", "accountType", "servicePlans"}));
    store::UserImport user;
    std::optional<std::string> upn, name, type;
    auto id = RequiredGuid(f, "id");  // a move keeps object ids: interactions refer to them
    if (!id.ok()) return id.status();
    AIH_RETURN_IF_ERROR(f.Get("userPrincipalName", &upn));
    AIH_RETURN_IF_ERROR(f.Get("displayName", &name));
    AIH_RETURN_IF_ERROR(f.Get("accountType", &type));
    AIH_RETURN_IF_ERROR(f.Get("servicePlans", &user.service_plans));
    user.id = *id;
    user.user_principal_name = upn.value_or("");
    user.display_name = name.value_or("");
    if (type) {
      auto parsed_type = store::ParseAccountType(*type);
      if (!parsed_type) return Status::BadRequest(where + ": accountType must be work or personal");
      user.account_type = *parsed_type;
    }
    if (!user.service_plans) user.service_plans.emplace();
    AIH_RETURN_IF_ERROR(directory::ValidateUserImport(&user, where));
    d->users.push_back(store::DirectoryUser{d->tenant.id, user.id, user.user_principal_name, user.display_name,
                                            user.account_type, *user.service_plans});
    return Status::Ok();
  }
  if (*kind == "source") {
    AIH_RETURN_IF_ERROR(
        f.OnlyMembers({"@aihistory.directory", "appClass", "kind", "displayName", "exportEnabled", "writers"}));
    store::Source s;
    s.tenant_id = d->tenant.id;
    auto app_class = Required(f, "appClass");
    if (!app_class.ok()) return app_class.status();
    s.app_class = *app_class;
    AIH_RETURN_IF_ERROR(directory::ValidateAppClass(s.app_class).WithContext(where));
    auto kind_text = Required(f, "kind");
    if (!kind_text.ok()) return kind_text.status();
    auto source_kind = store::ParseSourceKind(*kind_text);
    if (!source_kind) return Status::BadRequest(where + ": kind must be first-party or third-party");
    s.kind = *source_kind;
    AIH_RETURN_IF_ERROR(directory::ValidateSourceKind(s.app_class, s.kind).WithContext(where));
    std::optional<std::string> name;
    AIH_RETURN_IF_ERROR(f.Get("displayName", &name));
    s.display_name = name.value_or(s.app_class);
    AIH_RETURN_IF_ERROR(directory::ValidateDisplayName(s.display_name, "displayName").WithContext(where));
    std::optional<bool> enabled;
    AIH_RETURN_IF_ERROR(f.Get("exportEnabled", &enabled));
    if (!enabled) return Missing(where, "exportEnabled");
    s.export_enabled = *enabled;
    auto writers = GuidList(f, "writers");
    if (!writers.ok()) return writers.status();
    s.writers = std::move(*writers);
    d->sources.push_back(std::move(s));
    return Status::Ok();
  }
  if (*kind == "consent") {
    AIH_RETURN_IF_ERROR(f.OnlyMembers({"@aihistory.directory", "clientId", "roles"}));
    auto client = RequiredGuid(f, "clientId");
    if (!client.ok()) return client.status();
    std::optional<std::vector<std::string>> roles;
    AIH_RETURN_IF_ERROR(f.Get("roles", &roles));
    if (!roles || roles->empty()) return Missing(where, "roles");
    for (const std::string& r : *roles) AIH_RETURN_IF_ERROR(directory::ValidateAppRole(r).WithContext(where));
    d->consents.push_back(store::Consent{*client, *roles});
    return Status::Ok();
  }
  if (*kind == "userAccess") {
    AIH_RETURN_IF_ERROR(f.OnlyMembers({"@aihistory.directory", "userId", "clientId"}));
    auto user = RequiredGuid(f, "userId");
    if (!user.ok()) return user.status();
    auto client = RequiredGuid(f, "clientId");
    if (!client.ok()) return client.status();
    d->user_access.emplace_back(*user, *client);
    return Status::Ok();
  }
  return Status::BadRequest(where + ": unknown directory record '" + Printable(*kind) +
                            "'; the kinds are tenant, application, user, source, consent, userAccess");
}

Result<std::string> RestoreTenantDirectory(store::DirectoryStore& dir, const TenantDirectory& d) {
  const std::string& tenant_id = d.tenant.id;
  // First what could refuse, so that a refusal changes nothing.
  std::vector<const store::Application*> new_apps;
  for (const store::Application& app : d.applications) {
    auto existing = dir.GetApplication(app.client_id);
    if (existing.ok()) continue;
    if (existing.status().code() != Code::kNotFound) return existing.status();
    if (app.home_tenant_id != tenant_id) {
      auto home = dir.GetTenant(app.home_tenant_id);
      if (!home.ok() && home.status().code() == Code::kNotFound) {
        return Status::NotFound("application " + app.client_id + " (" + app.display_name + ") belongs to tenant " +
                                app.home_tenant_id + ", which this store does not have; create it first with "
                                "`aihistory admin tenant create --id " + app.home_tenant_id + " --name ...`");
      }
      if (!home.ok()) return home.status();
    }
    new_apps.push_back(&app);
  }
  auto tenant = dir.GetTenant(tenant_id);
  int tenant_created = 0;
  if (!tenant.ok()) {
    if (tenant.status().code() != Code::kNotFound) return tenant.status();
    AIH_RETURN_IF_ERROR(dir.CreateTenant(d.tenant));
    tenant_created = 1;
  }
  for (const store::Application* app : new_apps) AIH_RETURN_IF_ERROR(dir.CreateApplication(*app));
  if (!d.users.empty()) {
    std::vector<store::UserImport> rows;
    for (const store::DirectoryUser& u : d.users) {
      rows.push_back(store::UserImport{u.id, u.user_principal_name, u.display_name, u.account_type, u.service_plans});
    }
    auto imported = dir.ImportUsers(tenant_id, rows);
    if (!imported.ok()) return imported.status();
  }
  for (const store::Source& s : d.sources) {
    auto existing = dir.GetSource(tenant_id, s.app_class);
    if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
    if (!existing.ok()) {
      AIH_RETURN_IF_ERROR(dir.CreateSource(s));
      continue;
    }
    store::SourcePatch patch;
    patch.display_name = s.display_name;
    patch.export_enabled = s.export_enabled;
    auto updated = dir.UpdateSource(tenant_id, s.app_class, patch);
    if (!updated.ok()) return updated.status();
    for (const std::string& writer : s.writers) AIH_RETURN_IF_ERROR(dir.AddSourceWriter(tenant_id, s.app_class, writer));
  }
  for (const store::Consent& c : d.consents) AIH_RETURN_IF_ERROR(dir.GrantConsent(tenant_id, c.client_id, c.roles));
  for (const auto& [user, client] : d.user_access) AIH_RETURN_IF_ERROR(dir.GrantUserAccess(tenant_id, client, user));
  return std::string(tenant_created ? "created" : "updated") + " tenant " + tenant_id + " (" + d.tenant.display_name +
         "): " + std::to_string(d.users.size()) + " users, " + std::to_string(d.sources.size()) + " sources, " +
         std::to_string(new_apps.size()) + " new applications (without credentials: add them with `aihistory admin "
         "app add-secret`), " + std::to_string(d.consents.size()) + " consents, " + std::to_string(d.user_access.size()) +
         " per-user grants";
}

}  // namespace aih::cli
