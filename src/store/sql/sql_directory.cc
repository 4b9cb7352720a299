#include "store/sql/sql_directory.h"

#include <algorithm>
#include <chrono>


namespace aih::store::sql {
namespace {

using directory_rules::AppNotFound;
using directory_rules::NewObjectId;
using directory_rules::SourceNotFound;
using directory_rules::TenantNotFound;
using directory_rules::UpnKey;
using directory_rules::UserNotFound;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Status RequireTenant(Session& c, const std::string& tenant_id) {
  auto found = c.Exists("SELECT 1 FROM directory_tenants WHERE tenant_id = $1", {tenant_id});
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : TenantNotFound(tenant_id);
}

Status RequireApp(Session& c, const std::string& client_id) {
  auto found = c.Exists("SELECT 1 FROM directory_applications WHERE client_id = $1", {client_id});
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : AppNotFound(client_id);
}

Status RequireUser(Session& c, const std::string& tenant_id, const std::string& user_id) {
  auto found = c.Exists("SELECT 1 FROM directory_users WHERE tenant_id = $1 AND user_id = $2", {tenant_id, user_id});
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : UserNotFound();
}

// The columns ReadUserRow reads, the user's service plans joined by spaces.
std::string UserColumns(const Dialect& dialect) {
  return "SELECT tenant_id, user_id, user_principal_name, display_name, account_type, (SELECT " +
         std::string(dialect.string_agg) +
         "(service_plan_id, ' ') FROM directory_licenses l WHERE l.tenant_id = u.tenant_id AND l.user_id = u.user_id)"
         " FROM directory_users u ";
}

DirectoryUser ReadUserRow(const Row& s) {
  DirectoryUser u;
  u.tenant_id = s.String(0);
  u.id = s.String(1);
  u.user_principal_name = s.String(2);
  u.display_name = s.String(3);
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
Result<DirectoryUser> ReadUser(Session& c, const std::string& tenant_id, std::string_view user_ref) {
  if (!c.dialect().CanHold(user_ref)) return UserNotFound();
  const bool by_upn = user_ref.find('@') != std::string_view::npos;
  std::string sql = UserColumns(c.dialect()) +
                    (by_upn ? "WHERE tenant_id = $1 AND upn_key = $2" : "WHERE tenant_id = $1 AND user_id = $2");
  std::optional<DirectoryUser> user;
  Status s = c.Query(sql, {tenant_id, UpnKey(user_ref)}, [&](const Row& row) { user = ReadUserRow(row); });
  if (!s.ok()) return s;
  if (!user) return UserNotFound();
  return *user;
}

Source ReadSourceRow(const Row& s) {
  Source src;
  src.tenant_id = s.String(0);
  src.app_class = s.String(1);
  src.kind = ParseSourceKind(s.Text(2)).value_or(SourceKind::kThirdParty);
  src.display_name = s.String(3);
  src.export_enabled = s.Bool(4);
  return src;
}

Result<Source> ReadSource(Session& c, const std::string& tenant_id, const std::string& app_class) {
  std::optional<Source> source;
  Status s = c.Query(
      "SELECT tenant_id, app_class, kind, display_name, export_enabled FROM directory_sources"
      " WHERE tenant_id = $1 AND app_class = $2",
      {tenant_id, app_class}, [&](const Row& row) { source = ReadSourceRow(row); });
  if (!s.ok()) return s;
  if (!source) return SourceNotFound(app_class);
  s = c.Query(
      "SELECT client_id FROM directory_source_writers WHERE tenant_id = $1 AND app_class = $2"
      " ORDER BY client_id",
      {tenant_id, app_class}, [&](const Row& row) { source->writers.push_back(row.String(0)); });
  if (!s.ok()) return s;
  return *source;
}

// Imports one row inside the caller's transaction; `number` (1-based) names the row in messages.
Status ImportOne(Session& c, const std::string& tenant_id, const UserImport& row, size_t number,
                 ImportSummary* summary) {
  const std::string key = UpnKey(row.user_principal_name);
  const std::string where = "user #" + std::to_string(number) + " ('" + row.user_principal_name + "')";
  std::optional<std::string> upn_owner;
  AIH_RETURN_IF_ERROR(c.Query("SELECT user_id FROM directory_users WHERE tenant_id = $1 AND upn_key = $2",
                              {tenant_id, key}, [&](const Row& s) { upn_owner = s.String(0); }));
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
  // Locked (PostgreSQL): another server importing the same user waits for this transaction.
  AIH_RETURN_IF_ERROR(c.Query("SELECT account_type FROM directory_users WHERE tenant_id = $1 AND user_id = $2" +
                                  std::string(c.dialect().lock_rows),
                              {tenant_id, id}, [&](const Row& s) { old_type = s.String(0); }));
  const std::string type = ToString(row.account_type);
  if (old_type && *old_type != type) {
    return Status::Conflict(where + ": user " + id + " is a " + *old_type +
                            " account and an account type never changes; delete the user and import it again");
  }
  AIH_RETURN_IF_ERROR(
      c.Query("INSERT INTO directory_users (tenant_id, user_id, user_principal_name, upn_key,"
              " display_name, account_type) VALUES ($1, $2, $3, $4, $5, $6)"
              " ON CONFLICT (tenant_id, user_id) DO UPDATE SET"
              " user_principal_name = excluded.user_principal_name, upn_key = excluded.upn_key,"
              " display_name = excluded.display_name",
              {tenant_id, id, row.user_principal_name, key, row.display_name, type}));
  if (row.service_plans) {
    AIH_RETURN_IF_ERROR(
        c.Query("DELETE FROM directory_licenses WHERE tenant_id = $1 AND user_id = $2", {tenant_id, id}));
    for (const std::string& plan : *row.service_plans) {
      AIH_RETURN_IF_ERROR(
          c.Query("INSERT INTO directory_licenses (tenant_id, user_id, service_plan_id)"
                  " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
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

Status SqlDirectory::CreateTenant(const Tenant& tenant) {
  return db_.Transaction([&](Session& c) {
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(
        c.Query("INSERT INTO directory_tenants (tenant_id, display_name) VALUES ($1, $2)"
                " ON CONFLICT DO NOTHING",
                {tenant.id, tenant.display_name}, nullptr, &inserted));
    return inserted ? Status::Ok() : Status::Conflict("tenant '" + tenant.id + "' already exists");
  });
}

Result<Tenant> SqlDirectory::GetTenant(const std::string& tenant_id) {
  std::optional<Tenant> tenant;
  Status s = db_.Read([&](Session& c) {
    return c.Query("SELECT tenant_id, display_name FROM directory_tenants WHERE tenant_id = $1", {tenant_id},
                   [&](const Row& row) {
                     tenant = Tenant{row.String(0), row.String(1)};
                   });
  });
  if (!s.ok()) return s;
  if (!tenant) return TenantNotFound(tenant_id);
  return *tenant;
}

Result<std::vector<Tenant>> SqlDirectory::ListTenants() {
  std::vector<Tenant> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query("SELECT tenant_id, display_name FROM directory_tenants ORDER BY tenant_id", {}, [&](const Row& row) {
      out.push_back(Tenant{row.String(0), row.String(1)});
    });
  });
  if (!s.ok()) return s;
  return out;
}

// ---- Users and licenses ----

Result<DirectoryUser> SqlDirectory::FindUser(const std::string& tenant_id, std::string_view user_ref) {
  std::optional<Result<DirectoryUser>> user;
  Status s = db_.Read([&](Session& c) {
    user.emplace(ReadUser(c, tenant_id, user_ref));
    // Only a failure of the database itself goes to Read (which may retry it).
    return user->ok() || user->status().code() == Code::kNotFound ? Status::Ok() : user->status();
  });
  if (!s.ok()) return s;
  return std::move(*user);
}

Result<std::vector<DirectoryUser>> SqlDirectory::ListUsers(const std::string& tenant_id, const std::string& after_id,
                                                           int limit) {
  std::vector<DirectoryUser> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(UserColumns(c.dialect()) + "WHERE tenant_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3",
                   {tenant_id, after_id, static_cast<int64_t>(limit)},
                   [&](const Row& row) { out.push_back(ReadUserRow(row)); });
  });
  if (!s.ok()) return s;
  return out;
}

Result<ImportSummary> SqlDirectory::ImportUsers(const std::string& tenant_id, const std::vector<UserImport>& rows) {
  ImportSummary summary;
  Status s = db_.Transaction([&](Session& c) {
    summary = ImportSummary{};
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    for (size_t i = 0; i < rows.size(); ++i) {
      AIH_RETURN_IF_ERROR(ImportOne(c, tenant_id, rows[i], i + 1, &summary));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return summary;
}

Result<DirectoryUser> SqlDirectory::UpdateUser(const std::string& tenant_id, const std::string& user_id,
                                               const UserPatch& patch) {
  DirectoryUser updated;
  Status s = db_.Transaction([&](Session& c) {
    auto user = ReadUser(c, tenant_id, user_id);
    if (!user.ok()) return user.status();
    if (patch.user_principal_name) {
      const std::string key = UpnKey(*patch.user_principal_name);
      std::optional<std::string> owner;
      AIH_RETURN_IF_ERROR(c.Query("SELECT user_id FROM directory_users WHERE tenant_id = $1 AND upn_key = $2",
                                  {tenant_id, key}, [&](const Row& row) { owner = row.String(0); }));
      if (owner && *owner != user->id) {
        return Status::Conflict("userPrincipalName '" + *patch.user_principal_name + "' already belongs to user " +
                                *owner + "; a UPN is unique within a tenant");
      }
      AIH_RETURN_IF_ERROR(
          c.Query("UPDATE directory_users SET user_principal_name = $3, upn_key = $4"
                  " WHERE tenant_id = $1 AND user_id = $2",
                  {tenant_id, user->id, *patch.user_principal_name, key}));
    }
    if (patch.display_name) {
      AIH_RETURN_IF_ERROR(c.Query("UPDATE directory_users SET display_name = $3 WHERE tenant_id = $1 AND user_id = $2",
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

Status SqlDirectory::DeleteUser(const std::string& tenant_id, const std::string& user_id) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    AIH_RETURN_IF_ERROR(
        c.Query("DELETE FROM directory_licenses WHERE tenant_id = $1 AND user_id = $2", {tenant_id, user_id}));
    AIH_RETURN_IF_ERROR(
        c.Query("DELETE FROM directory_user_access WHERE tenant_id = $1 AND user_id = $2", {tenant_id, user_id}));
    return c.Query("DELETE FROM directory_users WHERE tenant_id = $1 AND user_id = $2", {tenant_id, user_id});
  });
}

Status SqlDirectory::AssignLicense(const std::string& tenant_id, const std::string& user_id,
                                   const std::string& service_plan_id) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    return c.Query(
        "INSERT INTO directory_licenses (tenant_id, user_id, service_plan_id) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING",
        {tenant_id, user_id, service_plan_id});
  });
}

Status SqlDirectory::RemoveLicense(const std::string& tenant_id, const std::string& user_id,
                                   const std::string& service_plan_id) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    return c.Query("DELETE FROM directory_licenses WHERE tenant_id = $1 AND user_id = $2 AND service_plan_id = $3",
                   {tenant_id, user_id, service_plan_id});
  });
}

Result<bool> SqlDirectory::HasLicense(const std::string& tenant_id, const std::string& user_id,
                                      const std::string& service_plan_id) {
  bool found = false;
  Status s = db_.Read([&](Session& c) {
    auto exists =
        c.Exists("SELECT 1 FROM directory_licenses WHERE tenant_id = $1 AND user_id = $2 AND service_plan_id = $3",
                 {tenant_id, user_id, service_plan_id});
    if (!exists.ok()) return exists.status();
    found = *exists;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

// ---- Applications and credentials ----

Status SqlDirectory::CreateApplication(const Application& app) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, app.home_tenant_id));
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(
        c.Query("INSERT INTO directory_applications (client_id, display_name, home_tenant_id, created_at)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                {app.client_id, app.display_name, app.home_tenant_id, app.created_at ? app.created_at : NowSeconds()},
                nullptr, &inserted));
    return inserted ? Status::Ok() : Status::Conflict("application '" + app.client_id + "' already exists");
  });
}

Result<Application> SqlDirectory::GetApplication(const std::string& client_id) {
  std::optional<Application> app;
  Status s = db_.Read([&](Session& c) {
    return c.Query(
        "SELECT client_id, display_name, home_tenant_id, created_at FROM directory_applications"
        " WHERE client_id = $1",
        {client_id}, [&](const Row& row) {
          app = Application{row.String(0), row.String(1), row.String(2), row.Int(3)};
        });
  });
  if (!s.ok()) return s;
  if (!app) return AppNotFound(client_id);
  return *app;
}

Result<std::vector<Application>> SqlDirectory::ListApplications() {
  std::vector<Application> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(
        "SELECT client_id, display_name, home_tenant_id, created_at FROM directory_applications"
        " ORDER BY client_id",
        {}, [&](const Row& row) {
          out.push_back(Application{row.String(0), row.String(1), row.String(2), row.Int(3)});
        });
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlDirectory::AddSecret(const std::string& client_id, const AppSecret& secret) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return c.Query(
        "INSERT INTO directory_app_secrets (client_id, secret_id, secret_hash, hint, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        {client_id, secret.secret_id, secret.secret_hash, secret.hint,
         secret.created_at ? secret.created_at : NowSeconds(), secret.expires_at});
  });
}

Result<std::vector<AppSecret>> SqlDirectory::ListSecrets(const std::string& client_id) {
  std::vector<AppSecret> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(
        "SELECT secret_id, secret_hash, hint, created_at, expires_at FROM directory_app_secrets"
        " WHERE client_id = $1 ORDER BY created_at, secret_id",
        {client_id}, [&](const Row& row) {
          out.push_back(AppSecret{row.String(0), row.String(1), row.String(2), row.Int(3), row.Int(4)});
        });
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlDirectory::RemoveSecret(const std::string& client_id, const std::string& secret_id) {
  return db_.Transaction([&](Session& c) {
    int64_t removed = 0;
    AIH_RETURN_IF_ERROR(c.Query("DELETE FROM directory_app_secrets WHERE client_id = $1 AND secret_id = $2",
                                {client_id, secret_id}, nullptr, &removed));
    if (removed == 0) return Status::NotFound("application '" + client_id + "' has no secret '" + secret_id + "'");
    return Status::Ok();
  });
}

Status SqlDirectory::AddCertificate(const std::string& client_id, const AppCertificate& certificate) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return c.Query(
        "INSERT INTO directory_app_certificates (client_id, thumbprint, certificate_pem, created_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        {client_id, certificate.thumbprint, certificate.certificate_pem,
         certificate.created_at ? certificate.created_at : NowSeconds()});
  });
}

Result<std::vector<AppCertificate>> SqlDirectory::ListCertificates(const std::string& client_id) {
  std::vector<AppCertificate> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(
        "SELECT thumbprint, certificate_pem, created_at FROM directory_app_certificates"
        " WHERE client_id = $1 ORDER BY created_at, thumbprint",
        {client_id}, [&](const Row& row) {
          out.push_back(AppCertificate{row.String(0), row.String(1), row.Int(2)});
        });
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlDirectory::RemoveCertificate(const std::string& client_id, const std::string& thumbprint) {
  return db_.Transaction([&](Session& c) {
    int64_t removed = 0;
    AIH_RETURN_IF_ERROR(c.Query("DELETE FROM directory_app_certificates WHERE client_id = $1 AND thumbprint = $2",
                                {client_id, thumbprint}, nullptr, &removed));
    if (removed == 0) {
      return Status::NotFound("application '" + client_id + "' has no certificate '" + thumbprint + "'");
    }
    return Status::Ok();
  });
}

// ---- Admin consent ----

Status SqlDirectory::GrantConsent(const std::string& tenant_id, const std::string& client_id,
                                  const std::vector<std::string>& roles) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    const int64_t now = NowSeconds();
    for (const std::string& role : roles) {
      AIH_RETURN_IF_ERROR(
          c.Query("INSERT INTO directory_consents (tenant_id, client_id, role, granted_at)"
                  " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                  {tenant_id, client_id, role, now}));
    }
    return Status::Ok();
  });
}

Status SqlDirectory::RevokeConsent(const std::string& tenant_id, const std::string& client_id,
                                   const std::string& role) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    if (role.empty()) {
      return c.Query("DELETE FROM directory_consents WHERE tenant_id = $1 AND client_id = $2", {tenant_id, client_id});
    }
    return c.Query("DELETE FROM directory_consents WHERE tenant_id = $1 AND client_id = $2 AND role = $3",
                   {tenant_id, client_id, role});
  });
}

Result<std::vector<std::string>> SqlDirectory::ConsentedRoles(const std::string& tenant_id,
                                                              const std::string& client_id) {
  std::vector<std::string> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query("SELECT role FROM directory_consents WHERE tenant_id = $1 AND client_id = $2 ORDER BY role",
                   {tenant_id, client_id}, [&](const Row& row) { out.push_back(row.String(0)); });
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Consent>> SqlDirectory::ListConsents(const std::string& tenant_id) {
  std::vector<Consent> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query("SELECT client_id, role FROM directory_consents WHERE tenant_id = $1 ORDER BY client_id, role",
                   {tenant_id}, [&](const Row& row) {
                     if (out.empty() || out.back().client_id != row.Text(0)) out.push_back(Consent{row.String(0), {}});
                     out.back().roles.push_back(row.String(1));
                   });
  });
  if (!s.ok()) return s;
  return out;
}

// ---- Per-user grants of Read.User ----

Status SqlDirectory::GrantUserAccess(const std::string& tenant_id, const std::string& client_id,
                                     const std::string& user_id) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    AIH_RETURN_IF_ERROR(RequireUser(c, tenant_id, user_id));
    return c.Query(
        "INSERT INTO directory_user_access (tenant_id, client_id, user_id, granted_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        {tenant_id, client_id, user_id, NowSeconds()});
  });
}

Status SqlDirectory::RevokeUserAccess(const std::string& tenant_id, const std::string& client_id,
                                      const std::string& user_id) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, tenant_id));
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return c.Query("DELETE FROM directory_user_access WHERE tenant_id = $1 AND client_id = $2 AND user_id = $3",
                   {tenant_id, client_id, user_id});
  });
}

Result<bool> SqlDirectory::HasUserAccess(const std::string& tenant_id, const std::string& client_id,
                                         const std::string& user_id) {
  bool found = false;
  Status s = db_.Read([&](Session& c) {
    auto exists =
        c.Exists("SELECT 1 FROM directory_user_access WHERE tenant_id = $1 AND client_id = $2 AND user_id = $3",
                 {tenant_id, client_id, user_id});
    if (!exists.ok()) return exists.status();
    found = *exists;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Result<bool> SqlDirectory::HasAnyUserAccess(const std::string& tenant_id, const std::string& client_id) {
  bool found = false;
  Status s = db_.Read([&](Session& c) {
    auto exists = c.Exists("SELECT 1 FROM directory_user_access WHERE tenant_id = $1 AND client_id = $2 LIMIT 1",
                           {tenant_id, client_id});
    if (!exists.ok()) return exists.status();
    found = *exists;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Result<std::vector<std::string>> SqlDirectory::ListUserAccess(const std::string& tenant_id,
                                                              const std::string& user_id) {
  std::vector<std::string> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(
        "SELECT client_id FROM directory_user_access WHERE tenant_id = $1 AND user_id = $2 ORDER BY client_id",
        {tenant_id, user_id}, [&](const Row& row) { out.push_back(row.String(0)); });
  });
  if (!s.ok()) return s;
  return out;
}

// ---- Sources ----

Status SqlDirectory::CreateSource(const Source& source) {
  return db_.Transaction([&](Session& c) {
    AIH_RETURN_IF_ERROR(RequireTenant(c, source.tenant_id));
    int64_t inserted = 0;
    AIH_RETURN_IF_ERROR(
        c.Query("INSERT INTO directory_sources (tenant_id, app_class, kind, display_name, export_enabled)"
                " VALUES ($1, $2, $3, $4, $5 <> 0) ON CONFLICT DO NOTHING",
                {source.tenant_id, source.app_class, std::string(ToString(source.kind)), source.display_name,
                 static_cast<int64_t>(source.export_enabled)},
                nullptr, &inserted));
    if (!inserted) {
      return Status::Conflict(
          "appClass '" + source.app_class +
          "' is already a registered source of this tenant; change it instead of registering it again");
    }
    for (const std::string& writer : source.writers) {
      AIH_RETURN_IF_ERROR(RequireApp(c, writer));
      AIH_RETURN_IF_ERROR(
          c.Query("INSERT INTO directory_source_writers (tenant_id, app_class, client_id)"
                  " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                  {source.tenant_id, source.app_class, writer}));
    }
    return Status::Ok();
  });
}

Result<Source> SqlDirectory::GetSource(const std::string& tenant_id, const std::string& app_class) {
  std::optional<Result<Source>> source;
  Status s = db_.Read([&](Session& c) {
    source.emplace(ReadSource(c, tenant_id, app_class));
    return source->ok() || source->status().code() == Code::kNotFound ? Status::Ok() : source->status();
  });
  if (!s.ok()) return s;
  return std::move(*source);
}

Result<std::vector<Source>> SqlDirectory::ListSources(const std::string& tenant_id) {
  std::vector<Source> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    AIH_RETURN_IF_ERROR(
        c.Query("SELECT tenant_id, app_class, kind, display_name, export_enabled FROM directory_sources"
                " WHERE tenant_id = $1 ORDER BY app_class",
                {tenant_id}, [&](const Row& row) { out.push_back(ReadSourceRow(row)); }));
    size_t next = 0;  // writers come in (app_class, client_id) order, as the sources do
    return c.Query(
        "SELECT app_class, client_id FROM directory_source_writers WHERE tenant_id = $1"
        " ORDER BY app_class, client_id",
        {tenant_id}, [&](const Row& row) {
          while (next < out.size() && out[next].app_class < row.Text(0)) ++next;
          if (next < out.size() && out[next].app_class == row.Text(0)) out[next].writers.push_back(row.String(1));
        });
  });
  if (!s.ok()) return s;
  return out;
}

Result<Source> SqlDirectory::UpdateSource(const std::string& tenant_id, const std::string& app_class,
                                          const SourcePatch& patch) {
  Source updated;
  Status s = db_.Transaction([&](Session& c) {
    auto source = ReadSource(c, tenant_id, app_class);
    if (!source.ok()) return source.status();
    if (patch.display_name) {
      AIH_RETURN_IF_ERROR(
          c.Query("UPDATE directory_sources SET display_name = $3 WHERE tenant_id = $1 AND app_class = $2",
                  {tenant_id, app_class, *patch.display_name}));
    }
    if (patch.export_enabled) {
      AIH_RETURN_IF_ERROR(
          c.Query("UPDATE directory_sources SET export_enabled = ($3 <> 0)"
                  " WHERE tenant_id = $1 AND app_class = $2",
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

Status SqlDirectory::AddSourceWriter(const std::string& tenant_id, const std::string& app_class,
                                     const std::string& client_id) {
  return db_.Transaction([&](Session& c) {
    auto source = ReadSource(c, tenant_id, app_class);
    if (!source.ok()) return source.status();
    AIH_RETURN_IF_ERROR(RequireApp(c, client_id));
    return c.Query(
        "INSERT INTO directory_source_writers (tenant_id, app_class, client_id) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING",
        {tenant_id, app_class, client_id});
  });
}

Status SqlDirectory::RemoveSourceWriter(const std::string& tenant_id, const std::string& app_class,
                                        const std::string& client_id) {
  return db_.Transaction([&](Session& c) {
    auto source = ReadSource(c, tenant_id, app_class);
    if (!source.ok()) return source.status();
    return c.Query("DELETE FROM directory_source_writers WHERE tenant_id = $1 AND app_class = $2 AND client_id = $3",
                   {tenant_id, app_class, client_id});
  });
}

Result<std::vector<std::string>> SqlDirectory::HiddenAppClasses(const std::string& tenant_id) {
  std::vector<std::string> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(
        "SELECT app_class FROM directory_sources WHERE tenant_id = $1 AND NOT export_enabled ORDER BY app_class",
        {tenant_id}, [&](const Row& row) { out.push_back(row.String(0)); });
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace aih::store::sql
