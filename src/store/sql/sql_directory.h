// SqlDirectory: DirectoryStore written once over the SQL seam (see directory_store.h, database.h).
//
// Every write is one Transaction (all or nothing: a job of SQLite's single writer, or a PostgreSQL
// transaction retried after a deadlock); every read sees the latest commit of any server. Uniqueness
// is enforced by the keys (INSERT ... ON CONFLICT DO NOTHING, then the count of inserted rows), so
// two servers racing to create the same tenant, application or source get one success and one
// kConflict; a user imported twice at once is serialised by the dialect's row lock.
// Thread-safe: it holds nothing but the Database.
#pragma once

#include "store/directory_store.h"
#include "store/sql/database.h"

namespace aih::store::sql {

class SqlDirectory final : public DirectoryStore {
 public:
  explicit SqlDirectory(Database& db) : db_(db) {}

  Status CreateTenant(const Tenant& tenant) override;
  Result<Tenant> GetTenant(const std::string& tenant_id) override;
  Result<std::vector<Tenant>> ListTenants() override;

  Result<DirectoryUser> FindUser(const std::string& tenant_id, std::string_view user_ref) override;
  Result<std::vector<DirectoryUser>> ListUsers(const std::string& tenant_id, const std::string& after_id,
                                               int limit) override;
  Result<ImportSummary> ImportUsers(const std::string& tenant_id, const std::vector<UserImport>& rows) override;
  Result<DirectoryUser> UpdateUser(const std::string& tenant_id, const std::string& user_id,
                                   const UserPatch& patch) override;
  Status DeleteUser(const std::string& tenant_id, const std::string& user_id) override;

  Status AssignLicense(const std::string& tenant_id, const std::string& user_id,
                       const std::string& service_plan_id) override;
  Status RemoveLicense(const std::string& tenant_id, const std::string& user_id,
                       const std::string& service_plan_id) override;
  Result<bool> HasLicense(const std::string& tenant_id, const std::string& user_id,
                          const std::string& service_plan_id) override;

  Status CreateApplication(const Application& app) override;
  Result<Application> GetApplication(const std::string& client_id) override;
  Result<std::vector<Application>> ListApplications() override;
  Status AddSecret(const std::string& client_id, const AppSecret& secret) override;
  Result<std::vector<AppSecret>> ListSecrets(const std::string& client_id) override;
  Status RemoveSecret(const std::string& client_id, const std::string& secret_id) override;
  Status AddCertificate(const std::string& client_id, const AppCertificate& certificate) override;
  Result<std::vector<AppCertificate>> ListCertificates(const std::string& client_id) override;
  Status RemoveCertificate(const std::string& client_id, const std::string& thumbprint) override;

  Status GrantConsent(const std::string& tenant_id, const std::string& client_id,
                      const std::vector<std::string>& roles) override;
  Status RevokeConsent(const std::string& tenant_id, const std::string& client_id, const std::string& role) override;
  Result<std::vector<std::string>> ConsentedRoles(const std::string& tenant_id, const std::string& client_id) override;
  Result<std::vector<Consent>> ListConsents(const std::string& tenant_id) override;

  Status GrantUserAccess(const std::string& tenant_id, const std::string& client_id,
                         const std::string& user_id) override;
  Status RevokeUserAccess(const std::string& tenant_id, const std::string& client_id,
                          const std::string& user_id) override;
  Result<bool> HasUserAccess(const std::string& tenant_id, const std::string& client_id,
                             const std::string& user_id) override;
  Result<bool> HasAnyUserAccess(const std::string& tenant_id, const std::string& client_id) override;
  Result<std::vector<std::string>> ListUserAccess(const std::string& tenant_id, const std::string& user_id) override;

  Status CreateSource(const Source& source) override;
  Result<Source> GetSource(const std::string& tenant_id, const std::string& app_class) override;
  Result<std::vector<Source>> ListSources(const std::string& tenant_id) override;
  Result<Source> UpdateSource(const std::string& tenant_id, const std::string& app_class,
                              const SourcePatch& patch) override;
  Status AddSourceWriter(const std::string& tenant_id, const std::string& app_class,
                         const std::string& client_id) override;
  Status RemoveSourceWriter(const std::string& tenant_id, const std::string& app_class,
                            const std::string& client_id) override;
  Result<std::vector<std::string>> HiddenAppClasses(const std::string& tenant_id) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sql
