// DirectoryStore: the tenants, users, licenses, applications, admin consents and sources that every
// access decision reads (section 2 of the contract).
//
// Every tenant-owned row is keyed with the tenant id first, so a distributed engine can shard the
// directory with the interactions; applications and their credentials are global (one client id
// across tenants: a small reference table). Ids are stored in canonical form (lower-case GUIDs,
// directory/identifiers.h canonicalises what callers send); user principal names are looked up
// case-insensitively. Writes are durable when they return; reads always see the latest committed
// state (nothing is cached), so revoking a consent or a license takes effect on the next request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::store {

enum class AccountType { kWork, kPersonal };
const char* ToString(AccountType type);                   // "work", "personal"
std::optional<AccountType> ParseAccountType(std::string_view text);

enum class SourceKind { kFirstParty, kThirdParty };
const char* ToString(SourceKind kind);                    // "first-party", "third-party"
std::optional<SourceKind> ParseSourceKind(std::string_view text);

struct Tenant {
  std::string id;  // GUID
  std::string display_name;
};

// The service plan of the Microsoft 365 Copilot license: a well-known license of the directory. Which
// decisions ask for it is the policy's (policy/copilot_license.h), not the store's.
inline constexpr const char* kCopilotServicePlanId = "3f30311c-6b1e-48a4-ab79-725b469da960";

struct DirectoryUser {
  std::string tenant_id;
  std::string id;                   // object id (GUID)
  std::string user_principal_name;  // unique per tenant, case-insensitively
  std::string display_name;
  AccountType account_type = AccountType::kWork;
  std::vector<std::string> service_plans;  // licensed service plan ids, sorted
};

// One row of a bulk user import. An empty id means "the user with this UPN, or a new object id".
// service_plans absent leaves the user's licenses as they are; present replaces them.
struct UserImport {
  std::string id;
  std::string user_principal_name;
  std::string display_name;
  AccountType account_type = AccountType::kWork;
  std::optional<std::vector<std::string>> service_plans;
};

struct ImportSummary {
  int created = 0;
  int updated = 0;
  std::vector<DirectoryUser> users;  // every imported user as stored, in input order
};

// Changes to a user; absent members stay as they are. The account type never changes (a personal
// Microsoft account is not a work account that was renamed: delete and re-create instead).
struct UserPatch {
  std::optional<std::string> user_principal_name;
  std::optional<std::string> display_name;
};

struct Application {
  std::string client_id;  // GUID
  std::string display_name;
  std::string home_tenant_id;
  int64_t created_at = 0;  // unix seconds
};

// A client secret: only its hash is kept (auth/secret_hash.h makes and checks it).
struct AppSecret {
  std::string secret_id;    // GUID
  std::string secret_hash;  // the encoded hash string, opaque to the store
  std::string hint;         // the secret's first characters, to tell secrets apart
  int64_t created_at = 0;   // unix seconds
  int64_t expires_at = 0;   // unix seconds; 0: never
};

// A certificate credential (client assertions signed with its key).
struct AppCertificate {
  std::string thumbprint;       // lower-case hex SHA-1 of the DER certificate
  std::string certificate_pem;
  int64_t created_at = 0;
};

struct Consent {
  std::string client_id;
  std::vector<std::string> roles;  // sorted
};

struct Source {
  std::string tenant_id;
  std::string app_class;
  SourceKind kind = SourceKind::kThirdParty;
  std::string display_name;
  bool export_enabled = false;
  std::vector<std::string> writers;  // client ids of the apps that may write it, sorted
};

// Changes to a source; absent members stay as they are.
struct SourcePatch {
  std::optional<std::string> display_name;
  std::optional<bool> export_enabled;
};

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // Tenants. Create fails with kConflict if the id exists.
  virtual Status CreateTenant(const Tenant& tenant) = 0;
  virtual Result<Tenant> GetTenant(const std::string& tenant_id) = 0;  // kNotFound
  virtual Result<std::vector<Tenant>> ListTenants() = 0;

  // Users. `user_ref` is an object id or a user principal name (case-insensitive). A user of
  // another tenant is kNotFound exactly like one that does not exist.
  virtual Result<DirectoryUser> FindUser(const std::string& tenant_id, std::string_view user_ref) = 0;
  // Up to `limit` users with object id > `after_id`, in object id order.
  virtual Result<std::vector<DirectoryUser>> ListUsers(const std::string& tenant_id, const std::string& after_id,
                                                       int limit) = 0;
  // Creates or updates every row in one transaction: all or nothing. kNotFound for an unknown
  // tenant; kConflict when a UPN belongs to another user (naming the row).
  virtual Result<ImportSummary> ImportUsers(const std::string& tenant_id, const std::vector<UserImport>& rows) = 0;
  virtual Result<DirectoryUser> UpdateUser(const std::string& tenant_id, const std::string& user_id,
                                           const UserPatch& patch) = 0;
  // Removes the user and their licenses (their interactions stay: InteractionStore::Delete purges them).
  virtual Status DeleteUser(const std::string& tenant_id, const std::string& user_id) = 0;

  // Licenses, by service plan id. Assigning twice or removing an absent plan is not an error.
  virtual Status AssignLicense(const std::string& tenant_id, const std::string& user_id,
                               const std::string& service_plan_id) = 0;
  virtual Status RemoveLicense(const std::string& tenant_id, const std::string& user_id,
                               const std::string& service_plan_id) = 0;
  virtual Result<bool> HasLicense(const std::string& tenant_id, const std::string& user_id,
                                  const std::string& service_plan_id) = 0;

  // Applications and their credentials. The home tenant must exist.
  virtual Status CreateApplication(const Application& app) = 0;  // kConflict if the client id exists
  virtual Result<Application> GetApplication(const std::string& client_id) = 0;
  virtual Result<std::vector<Application>> ListApplications() = 0;
  virtual Status AddSecret(const std::string& client_id, const AppSecret& secret) = 0;
  virtual Result<std::vector<AppSecret>> ListSecrets(const std::string& client_id) = 0;
  virtual Status RemoveSecret(const std::string& client_id, const std::string& secret_id) = 0;
  virtual Status AddCertificate(const std::string& client_id, const AppCertificate& certificate) = 0;
  virtual Result<std::vector<AppCertificate>> ListCertificates(const std::string& client_id) = 0;
  virtual Status RemoveCertificate(const std::string& client_id, const std::string& thumbprint) = 0;

  // Admin consent: the app roles granted to an application in a tenant. Granting needs the tenant
  // and the application to exist; revoking an absent role is not an error; empty `role` revokes all.
  virtual Status GrantConsent(const std::string& tenant_id, const std::string& client_id,
                              const std::vector<std::string>& roles) = 0;
  virtual Status RevokeConsent(const std::string& tenant_id, const std::string& client_id,
                               const std::string& role) = 0;
  virtual Result<std::vector<std::string>> ConsentedRoles(const std::string& tenant_id,
                                                          const std::string& client_id) = 0;
  virtual Result<std::vector<Consent>> ListConsents(const std::string& tenant_id) = 0;

  // Per-user grants of AiEnterpriseInteraction.Read.User (section 7: "granted for that user"): the
  // application may subscribe to the interactions of exactly the users it is granted, one user per
  // subscription, never to the whole tenant (and never export: that is Read.All's). Granting needs the
  // tenant, the application and the user to exist (kNotFound naming which); revoking needs the tenant
  // and the application. Granting twice or revoking an absent grant is not an error. Deleting a user
  // deletes their grants, so a user re-created under the same id starts with none.
  virtual Status GrantUserAccess(const std::string& tenant_id, const std::string& client_id,
                                 const std::string& user_id) = 0;
  virtual Status RevokeUserAccess(const std::string& tenant_id, const std::string& client_id,
                                  const std::string& user_id) = 0;
  virtual Result<bool> HasUserAccess(const std::string& tenant_id, const std::string& client_id,
                                     const std::string& user_id) = 0;
  // Whether the application is granted at least one user of the tenant: it then exists in the tenant
  // for the token issuer, as an application with admin consent does.
  virtual Result<bool> HasAnyUserAccess(const std::string& tenant_id, const std::string& client_id) = 0;
  // The client ids of the applications granted for one user, sorted.
  virtual Result<std::vector<std::string>> ListUserAccess(const std::string& tenant_id,
                                                          const std::string& user_id) = 0;

  // Sources: the appClasses a tenant's history accepts, who writes them, and whether they export.
  virtual Status CreateSource(const Source& source) = 0;  // kConflict if registered; writers must exist
  virtual Result<Source> GetSource(const std::string& tenant_id, const std::string& app_class) = 0;
  virtual Result<std::vector<Source>> ListSources(const std::string& tenant_id) = 0;
  virtual Result<Source> UpdateSource(const std::string& tenant_id, const std::string& app_class,
                                      const SourcePatch& patch) = 0;
  virtual Status AddSourceWriter(const std::string& tenant_id, const std::string& app_class,
                                 const std::string& client_id) = 0;
  virtual Status RemoveSourceWriter(const std::string& tenant_id, const std::string& app_class,
                                    const std::string& client_id) = 0;
  // The appClasses of the tenant's sources whose export is off, sorted.
  virtual Result<std::vector<std::string>> HiddenAppClasses(const std::string& tenant_id) = 0;
};

// Pieces every engine's DirectoryStore shares, so both answer with the same keys and words.
namespace directory_rules {
// The case-insensitive lookup key of a user principal name: valid UPNs are ASCII
// (directory/identifiers.h), so folding ASCII is exact and the same in every engine.
std::string UpnKey(std::string_view upn);
// A random (version 4) GUID for a user imported without an object id.
Result<std::string> NewObjectId();
Status TenantNotFound(const std::string& tenant_id);
Status AppNotFound(const std::string& client_id);
Status SourceNotFound(const std::string& app_class);
Status UserNotFound();
}  // namespace directory_rules

}  // namespace aih::store
