#include "store/sqlite/sqlite_directory.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "store/page_sql.h"
#include "store/sqlite/query.h"

namespace aih::store::sqlite {
namespace {

using directory_rules::AppNotFound;
using directory_rules::NewObjectId;
using directory_rules::SourceNotFound;
using directory_rules::TenantNotFound;
using directory_rules::UpnKey;
using directory_rules::UserNotFound;

std::string Text(const Statement& s, int col) { return std::string(s.Text(col)); }

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status RequireTenant(Connection& c, const std::string& tenant_id) {
  auto found = Exists(c, "SELECT 1 FROM directory_tenants WHERE tenant_id = ?1", {tenant_id});
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : TenantNotFound(tenant_id);
}

Status RequireApp(Connection& c, const std::string& client_id) {
  auto found = Exists(c, "SELECT 1 FROM directory_applications WHERE client_id = ?1", {client_id});
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : AppNotFound(client_id);
}

Status RequireUser(Connection& c, const std::string& tenant_id, const std::string& user_id) {
  auto found = Exists(c, "SELECT 1 FROM directory_users WHERE tenant_id = ?1 AND user_id = ?2", {tenant_id, user_id});
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : UserNotFound();
}

constexpr const char* kUserColumns =
    "SELECT tenant_id, user_id, user_principal_name, display_name, account_type,"
    " (SELECT group_concat(service_plan_id, ' ') FROM directory_licenses l"
    "  WHERE l.tenant_id = u.tenant_id AND l.user_id = u.user_id)"
    " FROM directory_users u ";

DirectoryUser ReadUserRow(const Statement& s) {
  DirectoryUser u;
  u.tenant_id = Text(s, 0);
  u.id = Text(s, 1);
  u.user_principal_name = Text(s, 2);
  u.display_name = Text(s, 3);
  u.account_type = ParseAccountType(s.Text(4)).value_or(AccountType::kWork);
  std::string_view plans = s.IsNull(5) ? std::string_view() : s.Text(5);
  while (!plans.empty()) {
    size_t space = plans.find(' ');
    u.service_plans.emplace_back(plans.substr(0, space));
    plans = space == std::string_view::npos ? std::string_view() : plans.substr(space + 1);
  }
  std::sort(u.service_plans.begin(), u.service_plans.end());
  return u;
}

// The user `user_ref` names: an object id, or a user principal name when it contains '@'. Both are
// compared lower-cased: object ids are stored as lower-case GUIDs, UPNs by their folded key.
Result<DirectoryUser> ReadUser(Connection& c, const std::string& tenant_id, std::string_view user_ref) {
  const bool by_upn = user_ref.find('@') != std::string_view::npos;
  std::string sql = std::string(kUserColumns) + (by_upn ? "WHERE tenant_id = ?1 AND upn_key = ?2"
                                                        : "WHERE tenant_id = ?1 AND user_id = ?2");
  std::optional<DirectoryUser> user;
  Status s = Query(c, sql, {tenant_id, UpnKey(user_ref)}, [&](const Statement& row) { user = ReadUserRow(row); });
  if (!s.ok()) return s;
  if (!user) return UserNotFound();
  return *user;
}

Source ReadSourceRow(const Statement& s) {
  Source src;
  src.tenant_id = Text(s, 0);
  src.app_class = Text(s, 1);
  src.kind = ParseSourceKind(s.Text(2)).value_or(SourceKind::kThirdParty);
  src.display_name = Text(s, 3);
  src.export_enabled = s.Int(4) != 0;
  return src;
}

Result<Source> ReadSource(Connection& c, const std::string& tenant_id, const std::string& app_class) {
  std::optional<Source> source;
  Status s = Query(c,
                   "SELECT tenant_id, app_class, kind, display_name, export_enabled FROM directory_sources"
                   " WHERE tenant_id = ?1 AND app_class = ?2",
                   {tenant_id, app_class}, [&](const Statement& row) { source = ReadSourceRow(row); });
  if (!s.ok()) return s;
  if (!source) return SourceNotFound(app_class);
  s = Query(c,
            "SELECT client_id FROM directory_source_writers WHERE tenant_id = ?1 AND app_class = ?2"
            " ORDER BY client_id",
            {tenant_id, app_class}, [&](const Statement& row) { source->writers.push_back(Text(row, 0)); });
  if (!s.ok()) return s;
  return *source;
}

// Imports one row inside the caller's transaction; `number` (1-based) names the row in messages.
Status ImportOne(Connection& c, const std::string& tenant_id, const UserImport& row, size_t number,
                 ImportSummary* summary) {
  const std::string key = UpnKey(row.user_principal_name);
  const std::string where = "user #" + std::to_string(number) + " ('" + row.user_principal_name + "')";
  std::optional<std::string> upn_owner;
  AIH_RETURN_IF_ERROR(Query(c, "SELECT user_id FROM directory_users WHERE tenant_id = ?1 AND upn_key = ?2",
                            {tenant_id, key}, [&](const Statement& s) { upn_owner = Text(s, 0); }));
  std::string id = row.id;
  if (id.empty()) {
    if (upn_owner) {
      id = *upn_owner;
    } else {
      auto fresh = NewObjectId();
      if (!fresh.ok()) return fresh.status();
      id = *fresh;
    }
  } else if (upn_owner && *upn_owner != id) {
    return Status::Conflict(where + ": the userPrincipalName already belongs to user " + *upn_owner +
                            "; a UPN is unique within a tenant");
  }
  std::optional<std::string> old_type;
  AIH_RETURN_IF_ERROR(Query(c, "SELECT account_type FROM directory_users WHERE tenant_id = ?1 AND user_id = ?2",
                            {tenant_id, id}, [&](const Statement& s) { old_type = Text(s, 0); }));
  const std::string type = ToString(row.account_type);
  if (old_type && *old_type != type) {
    return Status::Conflict(where + ": user " + id + " is a " + *old_type +
                            " account and an account type never changes; delete the user and import it again");
  }
  AIH_RETURN_IF_ERROR(Query(c,
                            "INSERT INTO directory_users (tenant_id, user_id, user_principal_name, upn_key,"
                            " display_name, account_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                            " ON CONFLICT (tenant_id, user_id) DO UPDATE SET"
                            " user_principal_name = excluded.user_principal_name, upn_key = excluded.upn_key,"
                            " display_name = excluded.display_name",
                            {tenant_id, id, row.user_principal_name, key, row.display_name, type}));
  if (row.service_plans) {
    AIH_RETURN_IF_ERROR(
        Query(c, "DELETE FROM directory_licenses WHERE tenant_id = ?1 AND user_id = ?2", {tenant_id, id}));
    for (const std::string& plan : *row.service_plans) {
      AIH_RETURN_IF_ERROR(Query(c,
                                "INSERT INTO directory_licenses (tenant_id, user_id, service_plan_id)"
                                " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                                {tenant_id, id, plan}));
    }
  }
  ++(old_type ? summary->updated : summary->created);
  auto stored = ReadUser(c, tenant_id, id);
  if (!stored.ok()) return stored.status();
  summary->users.push_back(std::move(*stored));
  return Status::Ok();
}

}  // namespace

// ---- Tenants ----

Status SqliteDirectory::CreateTenant(const Tenant& tenant) {
  return db_.Write([&](Connection& c) {
    auto exists = Exists(c, "SELECT 1 FROM directory_tenants WHERE tenant_id = ?1", {tenant.id});
    if (!exists.ok()) return exists.status();
    if (*exists) return Status::Conflict("tenant '" + tenant.id + "' already exists");
    return Query(c, "INSERT INTO directory_tenants (tenant_id, display_name) VALUES (?1, ?2)",
                 {tenant.id, tenant.display_name});
  });
}

Result<Tenant> SqliteDirectory::GetTenant(const std::string& tenant_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::optional<Tenant> tenant;
  Status s = Query(**conn, "SELECT tenant_id, display_name FROM directory_tenants WHERE tenant_id = ?1", {tenant_id},
                   [&](const Statement& row) { tenant = Tenant{Text(row, 0), Text(row, 1)}; });
  if (!s.ok()) return s;
  if (!tenant) return TenantNotFound(tenant_id);
  return *tenant;
}

Result<std::vector<Tenant>> SqliteDirectory::ListTenants() {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<Tenant> out;
  Status s = Query(**conn, "SELECT tenant_id, display_name FROM directory_tenants ORDER BY tenant_id", {},
                   [&](const Statement& row) { out.push_back(Tenant{Text(row, 0), Text(row, 1)}); });
  if (!s.ok()) return s;
  return out;
}

// ---- Users and licenses ----

Result<DirectoryUser> SqliteDirectory::FindUser(const std::string& tenant_id, std::string_view user_ref) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  return ReadUser(**conn, tenant_id, user_ref);
}

Result<std::vector<DirectoryUser>> SqliteDirectory::ListUsers(const std::string& tenant_id,
                                                              const std::string& after_id, int limit) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<DirectoryUser> out;
  Status s = Query(**conn, std::string(kUserColumns) + "WHERE tenant_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3",
                   {tenant_id, after_id, static_cast<int64_t>(limit)},
                   [&](const Statement& row) { out.push_back(ReadUserRow(row)); });
  if (!s.ok()) return s;
  return out;
}

Result<ImportSummary> SqliteDirectory::ImportUsers(const std::string& tenant_id, const std::vector<UserImport>& rows) {
  ImportSummary summary;
  Status s = db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    for (size_t i = 0; i < rows.size(); ++i) {
      AIH_RETURN_IF_ERROR(ImportOne(c, tenant_id, rows[i], i + 1, &summary));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return summary;
}

Result<DirectoryUser> SqliteDirectory::UpdateUser(const std::string& tenant_id, const std::string& user_id,
                                                  const UserPatch& patch) {
  DirectoryUser updated;
  Status s = db_.Write([&](Connection& c) {
    auto user = ReadUser(c, tenant_id, user_id);
    if (!user.ok()) return user.status();
    if (patch.user_principal_name) {
      const std::string key = UpnKey(*patch.user_principal_name);
      std::optional<std::string> owner;
      AIH_RETURN_IF_ERROR(Query(c, "SELECT user_id FROM directory_users WHERE tenant_id = ?1 AND upn_key = ?2",
                                {tenant_id, key}, [&](const Statement& row) { owner = Text(row, 0); }));
      if (owner && *owner != user->id) {
        return Status::Conflict("userPrincipalName '" + *patch.user_principal_name + "' already belongs to user " +
                                *owner + "; a UPN is unique within a tenant");
      }
      AIH_RETURN_IF_ERROR(Query(c,
                                "UPDATE directory_users SET user_principal_name = ?3, upn_key = ?4"
                                " WHERE tenant_id = ?1 AND user_id = ?2",
                                {tenant_id, user->id, *patch.user_principal_name, key}));
    }
    if (patch.display_name) {
      AIH_RETURN_IF_ERROR(Query(c, "UPDATE directory_users SET display_name = ?3 WHERE tenant_id = ?1 AND user_id = ?2",
                                {tenant_id, user->id, *patch.display_name}));
    }
    auto after = ReadUser(c, tenant_id, user->id);
    if (!after.ok()) return after.status();
    updated = std::move(*after);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return updated;
}

Status SqliteDirectory::DeleteUser(const std::string& tenant_id, const std::string& user_id) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    AIH_RETURN_IF_ERROR(
        Query(c, "DELETE FROM directory_licenses WHERE tenant_id = ?1 AND user_id = ?2", {tenant_id, user_id}));
    AIH_RETURN_IF_ERROR(
        Query(c, "DELETE FROM directory_user_access WHERE tenant_id = ?1 AND user_id = ?2", {tenant_id, user_id}));
    return Query(c, "DELETE FROM directory_users WHERE tenant_id = ?1 AND user_id = ?2", {tenant_id, user_id});
  });
}

Status SqliteDirectory::AssignLicense(const std::string& tenant_id, const std::string& user_id,
                                      const std::string& service_plan_id) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    return Query(c,
                 "INSERT INTO directory_licenses (tenant_id, user_id, service_plan_id) VALUES (?1, ?2, ?3)"
                 " ON CONFLICT DO NOTHING",
                 {tenant_id, user_id, service_plan_id});
  });
}

Status SqliteDirectory::RemoveLicense(const std::string& tenant_id, const std::string& user_id,
                                      const std::string& service_plan_id) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    return Query(c, "DELETE FROM directory_licenses WHERE tenant_id = ?1 AND user_id = ?2 AND service_plan_id = ?3",
                 {tenant_id, user_id, service_plan_id});
  });
}

Result<bool> SqliteDirectory::HasLicense(const std::string& tenant_id, const std::string& user_id,
                                         const std::string& service_plan_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  return Exists(**conn,
                "SELECT 1 FROM directory_licenses WHERE tenant_id = ?1 AND user_id = ?2 AND service_plan_id = ?3",
                {tenant_id, user_id, service_plan_id});
}

// ---- Applications and credentials ----

Status SqliteDirectory::CreateApplication(const Application& app) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, app.home_tenant_id));
    auto exists = Exists(c, "SELECT 1 FROM directory_applications WHERE client_id = ?1", {app.client_id});
    if (!exists.ok()) return exists.status();
    if (*exists) return Status::Conflict("application '" + app.client_id + "' already exists");
    return Query(c,
                 "INSERT INTO directory_applications (client_id, display_name, home_tenant_id, created_at)"
                 " VALUES (?1, ?2, ?3, ?4)",
                 {app.client_id, app.display_name, app.home_tenant_id, app.created_at ? app.created_at : NowSeconds()});
  });
}

Result<Application> SqliteDirectory::GetApplication(const std::string& client_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::optional<Application> app;
  Status s = Query(**conn,
                   "SELECT client_id, display_name, home_tenant_id, created_at FROM directory_applications"
                   " WHERE client_id = ?1",
                   {client_id},
                   [&](const Statement& row) { app = Application{Text(row, 0), Text(row, 1), Text(row, 2), row.Int(3)}; });
  if (!s.ok()) return s;
  if (!app) return AppNotFound(client_id);
  return *app;
}

Result<std::vector<Application>> SqliteDirectory::ListApplications() {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<Application> out;
  Status s = Query(**conn,
                   "SELECT client_id, display_name, home_tenant_id, created_at FROM directory_applications"
                   " ORDER BY client_id",
                   {}, [&](const Statement& row) {
                     out.push_back(Application{Text(row, 0), Text(row, 1), Text(row, 2), row.Int(3)});
                   });
  if (!s.ok()) return s;
  return out;
}

Status SqliteDirectory::AddSecret(const std::string& client_id, const AppSecret& secret) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return Query(c,
                 "INSERT INTO directory_app_secrets (client_id, secret_id, secret_hash, hint, created_at, expires_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                 {client_id, secret.secret_id, secret.secret_hash, secret.hint,
                  secret.created_at ? secret.created_at : NowSeconds(), secret.expires_at});
  });
}

Result<std::vector<AppSecret>> SqliteDirectory::ListSecrets(const std::string& client_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<AppSecret> out;
  Status s = Query(**conn,
                   "SELECT secret_id, secret_hash, hint, created_at, expires_at FROM directory_app_secrets"
                   " WHERE client_id = ?1 ORDER BY created_at, secret_id",
                   {client_id}, [&](const Statement& row) {
                     out.push_back(AppSecret{Text(row, 0), Text(row, 1), Text(row, 2), row.Int(3), row.Int(4)});
                   });
  if (!s.ok()) return s;
  return out;
}

Status SqliteDirectory::RemoveSecret(const std::string& client_id, const std::string& secret_id) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(Query(c, "DELETE FROM directory_app_secrets WHERE client_id = ?1 AND secret_id = ?2",
                              {client_id, secret_id}));
    if (c.Changes() == 0) return Status::NotFound("application '" + client_id + "' has no secret '" + secret_id + "'");
    return Status::Ok();
  });
}

Status SqliteDirectory::AddCertificate(const std::string& client_id, const AppCertificate& certificate) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return Query(c,
                 "INSERT INTO directory_app_certificates (client_id, thumbprint, certificate_pem, created_at)"
                 " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                 {client_id, certificate.thumbprint, certificate.certificate_pem,
                  certificate.created_at ? certificate.created_at : NowSeconds()});
  });
}

Result<std::vector<AppCertificate>> SqliteDirectory::ListCertificates(const std::string& client_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<AppCertificate> out;
  Status s = Query(**conn,
                   "SELECT thumbprint, certificate_pem, created_at FROM directory_app_certificates"
                   " WHERE client_id = ?1 ORDER BY created_at, thumbprint",
                   {client_id},
                   [&](const Statement& row) { out.push_back(AppCertificate{Text(row, 0), Text(row, 1), row.Int(2)}); });
  if (!s.ok()) return s;
  return out;
}

Status SqliteDirectory::RemoveCertificate(const std::string& client_id, const std::string& thumbprint) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(Query(c, "DELETE FROM directory_app_certificates WHERE client_id = ?1 AND thumbprint = ?2",
                              {client_id, thumbprint}));
    if (c.Changes() == 0) {
      return Status::NotFound("application '" + client_id + "' has no certificate '" + thumbprint + "'");
    }
    return Status::Ok();
  });
}

// ---- Admin consent ----

Status SqliteDirectory::GrantConsent(const std::string& tenant_id, const std::string& client_id,
                                     const std::vector<std::string>& roles) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    const int64_t now = NowSeconds();
    for (const std::string& role : roles) {
      AIH_RETURN_IF_ERROR(Query(c,
                                "INSERT INTO directory_consents (tenant_id, client_id, role, granted_at)"
                                " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                                {tenant_id, client_id, role, now}));
    }
    return Status::Ok();
  });
}

Status SqliteDirectory::RevokeConsent(const std::string& tenant_id, const std::string& client_id,
                                      const std::string& role) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    if (role.empty()) {
      return Query(c, "DELETE FROM directory_consents WHERE tenant_id = ?1 AND client_id = ?2", {tenant_id, client_id});
    }
    return Query(c, "DELETE FROM directory_consents WHERE tenant_id = ?1 AND client_id = ?2 AND role = ?3",
                 {tenant_id, client_id, role});
  });
}

Result<std::vector<std::string>> SqliteDirectory::ConsentedRoles(const std::string& tenant_id,
                                                                 const std::string& client_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<std::string> out;
  Status s = Query(**conn,
                   "SELECT role FROM directory_consents WHERE tenant_id = ?1 AND client_id = ?2 ORDER BY role",
                   {tenant_id, client_id}, [&](const Statement& row) { out.push_back(Text(row, 0)); });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Consent>> SqliteDirectory::ListConsents(const std::string& tenant_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<Consent> out;
  Status s = Query(**conn,
                   "SELECT client_id, role FROM directory_consents WHERE tenant_id = ?1 ORDER BY client_id, role",
                   {tenant_id}, [&](const Statement& row) {
                     if (out.empty() || out.back().client_id != row.Text(0)) out.push_back(Consent{Text(row, 0), {}});
                     out.back().roles.push_back(Text(row, 1));
                   });
  if (!s.ok()) return s;
  return out;
}

// ---- Per-user grants of Read.User ----

Status SqliteDirectory::GrantUserAccess(const std::string& tenant_id, const std::string& client_id,
                                        const std::string& user_id) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    return Query(c,
                 "INSERT INTO directory_user_access (tenant_id, client_id, user_id, granted_at)"
                 " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                 {tenant_id, client_id, user_id, NowSeconds()});
  });
}

Status SqliteDirectory::RevokeUserAccess(const std::string& tenant_id, const std::string& client_id,
                                         const std::string& user_id) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return Query(c, "DELETE FROM directory_user_access WHERE tenant_id = ?1 AND client_id = ?2 AND user_id = ?3",
                 {tenant_id, client_id, user_id});
  });
}

Result<bool> SqliteDirectory::HasUserAccess(const std::string& tenant_id, const std::string& client_id,
                                            const std::string& user_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  return Exists(**conn,
                "SELECT 1 FROM directory_user_access WHERE tenant_id = ?1 AND client_id = ?2 AND user_id = ?3",
                {tenant_id, client_id, user_id});
}

Result<bool> SqliteDirectory::HasAnyUserAccess(const std::string& tenant_id, const std::string& client_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  return Exists(**conn, "SELECT 1 FROM directory_user_access WHERE tenant_id = ?1 AND client_id = ?2 LIMIT 1",
                {tenant_id, client_id});
}

Result<std::vector<std::string>> SqliteDirectory::ListUserAccess(const std::string& tenant_id,
                                                                 const std::string& user_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<std::string> out;
  Status s = Query(**conn,
                   "SELECT client_id FROM directory_user_access WHERE tenant_id = ?1 AND user_id = ?2 ORDER BY client_id",
                   {tenant_id, user_id}, [&](const Statement& row) { out.push_back(Text(row, 0)); });
  if (!s.ok()) return s;
  return out;
}

// ---- Sources ----

Status SqliteDirectory::CreateSource(const Source& source) {
  return db_.Write([&](Connection& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, source.tenant_id));
    auto exists = Exists(c, "SELECT 1 FROM directory_sources WHERE tenant_id = ?1 AND app_class = ?2",
                         {source.tenant_id, source.app_class});
    if (!exists.ok()) return exists.status();
    if (*exists) {
      return Status::Conflict("appClass '" + source.app_class +
                              "' is already a registered source of this tenant; change it instead of registering it again");
    }
    AIH_RETURN_IF_ERROR(Query(c,
                              "INSERT INTO directory_sources (tenant_id, app_class, kind, display_name, export_enabled)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)",
                              {source.tenant_id, source.app_class, std::string(ToString(source.kind)),
                               source.display_name, static_cast<int64_t>(source.export_enabled)}));
    for (const std::string& writer : source.writers) {
      AIH_RETURN_IF_ERROR(RequireApp(c, writer));
      AIH_RETURN_IF_ERROR(Query(c,
                                "INSERT INTO directory_source_writers (tenant_id, app_class, client_id)"
                                " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                                {source.tenant_id, source.app_class, writer}));
    }
    return Status::Ok();
  });
}

Result<Source> SqliteDirectory::GetSource(const std::string& tenant_id, const std::string& app_class) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  return ReadSource(**conn, tenant_id, app_class);
}

Result<std::vector<Source>> SqliteDirectory::ListSources(const std::string& tenant_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<Source> out;
  Status s = Query(**conn,
                   "SELECT tenant_id, app_class, kind, display_name, export_enabled FROM directory_sources"
                   " WHERE tenant_id = ?1 ORDER BY app_class",
                   {tenant_id}, [&](const Statement& row) { out.push_back(ReadSourceRow(row)); });
  if (!s.ok()) return s;
  size_t next = 0;  // writers come in (app_class, client_id) order, as the sources do
  s = Query(**conn,
            "SELECT app_class, client_id FROM directory_source_writers WHERE tenant_id = ?1 ORDER BY app_class, client_id",
            {tenant_id}, [&](const Statement& row) {
              while (next < out.size() && out[next].app_class < row.Text(0)) ++next;
              if (next < out.size() && out[next].app_class == row.Text(0)) out[next].writers.push_back(Text(row, 1));
            });
  if (!s.ok()) return s;
  return out;
}

Result<Source> SqliteDirectory::UpdateSource(const std::string& tenant_id, const std::string& app_class,
                                             const SourcePatch& patch) {
  Source updated;
  Status s = db_.Write([&](Connection& c) {
    auto source = ReadSource(c, tenant_id, app_class);
    if (!source.ok()) return source.status();
    if (patch.display_name) {
      AIH_RETURN_IF_ERROR(Query(c, "UPDATE directory_sources SET display_name = ?3 WHERE tenant_id = ?1 AND app_class = ?2",
                                {tenant_id, app_class, *patch.display_name}));
    }
    if (patch.export_enabled) {
      AIH_RETURN_IF_ERROR(Query(c,
                                "UPDATE directory_sources SET export_enabled = ?3 WHERE tenant_id = ?1 AND app_class = ?2",
                                {tenant_id, app_class, static_cast<int64_t>(*patch.export_enabled)}));
    }
    auto after = ReadSource(c, tenant_id, app_class);
    if (!after.ok()) return after.status();
    updated = std::move(*after);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return updated;
}

Status SqliteDirectory::AddSourceWriter(const std::string& tenant_id, const std::string& app_class,
                                        const std::string& client_id) {
  return db_.Write([&](Connection& c) {
    auto source = ReadSource(c, tenant_id, app_class);
    if (!source.ok()) return source.status();
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return Query(c,
                 "INSERT INTO directory_source_writers (tenant_id, app_class, client_id) VALUES (?1, ?2, ?3)"
                 " ON CONFLICT DO NOTHING",
                 {tenant_id, app_class, client_id});
  });
}

Status SqliteDirectory::RemoveSourceWriter(const std::string& tenant_id, const std::string& app_class,
                                           const std::string& client_id) {
  return db_.Write([&](Connection& c) {
    auto source = ReadSource(c, tenant_id, app_class);
    if (!source.ok()) return source.status();
    return Query(c, "DELETE FROM directory_source_writers WHERE tenant_id = ?1 AND app_class = ?2 AND client_id = ?3",
                 {tenant_id, app_class, client_id});
  });
}

Result<std::vector<std::string>> SqliteDirectory::HiddenAppClasses(const std::string& tenant_id) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  std::vector<std::string> out;
  Status s = Query(**conn,
                   "SELECT app_class FROM directory_sources WHERE tenant_id = ?1 AND export_enabled = 0 ORDER BY app_class",
                   {tenant_id}, [&](const Statement& row) { out.push_back(Text(row, 0)); });
  if (!s.ok()) return s;
  return out;
}

}  // namespace aih::store::sqlite
