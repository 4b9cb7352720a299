// `aihistory admin <noun> <verb>`: administer the directory by opening the store directly, with the
// same operations as the admin HTTP API (directory/tenants.h, users.h, consents.h, sources.h): this
// file only reads options and prints results. Whoever can run it can read the database anyway, so it
// needs no admin key; it prints the key for the HTTP API.
// Only `tenant create` may create the store; every other operation needs it to exist (a mistyped
// --store fails naming it). Deleting a user or interactions says what it will delete and asks first
// (cli/confirm.h; --yes does not ask).
// Exit codes: 0 done, 1 refused (the message says why), 2 the store could not be opened or read.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "api/admin_key.h"
#include "api/app_registration.h"
#include "auth/principal.h"
#include "base/clock.h"
#include "base/utf8.h"
#include "cli/admin_holds.h"
#include "cli/commands.h"
#include "cli/confirm.h"
#include "cli/input_file.h"
#include "directory/consents.h"
#include "directory/identifiers.h"
#include "directory/sources.h"
#include "directory/tenants.h"
#include "directory/user_list.h"
#include "directory/users.h"
#include "model/interaction_writer.h"
#include "policy/copilot_license.h"
#include "store/page_sql.h"
#include "store/store.h"

namespace aih::cli {
namespace {

struct Admin {
  const AdminOptions& o;
  store::Store& store;
  store::DirectoryStore& dir() { return store.directory(); }
};

Result<std::string> Guid(const std::string& text, const char* what) {
  if (text.empty()) return Status::BadRequest(std::string("--") + what + " is required");
  return directory::CanonicalGuid(text, what);
}

void PrintUser(const store::DirectoryUser& u) {
  const bool licensed = policy::HoldsCopilotLicense(u);
  std::printf("%s  %-40s  %-8s  %s\n", u.id.c_str(), u.user_principal_name.c_str(), store::ToString(u.account_type),
              licensed ? "copilot-licensed" : "unlicensed");
}

void PrintSource(const store::Source& s) {
  std::string writers;
  for (const auto& w : s.writers) writers += (writers.empty() ? "" : ",") + w;
  std::printf("%-50s  %-11s  export %-3s  writers: %s\n", s.app_class.c_str(), store::ToString(s.kind),
              s.export_enabled ? "on" : "off", writers.empty() ? "(none)" : writers.c_str());
}

Status TenantCreate(Admin& a) {
  std::string id;  // empty: a new one
  if (!a.o.id.empty()) {
    auto canonical = directory::CanonicalGuid(a.o.id, "--id");
    if (!canonical.ok()) return canonical.status();
    id = *canonical;
  }
  if (a.o.name.empty()) return Status::BadRequest("--name is required (the tenant's display name)");
  auto tenant = directory::CreateTenant(a.dir(), id, a.o.name, "--name");
  if (!tenant.ok()) return tenant.status();
  std::printf("created tenant %s (%s)\n", tenant->id.c_str(), tenant->display_name.c_str());
  return Status::Ok();
}

Status TenantList(Admin& a) {
  auto tenants = a.dir().ListTenants();
  if (!tenants.ok()) return tenants.status();
  for (const auto& t : *tenants) std::printf("%s  %s\n", t.id.c_str(), t.display_name.c_str());
  return Status::Ok();
}

Status UsersImport(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  std::string format = a.o.format;
  if (format.empty()) {
    auto ends_with = [&](const char* ext) {
      std::string e(ext);
      return a.o.file.size() >= e.size() && a.o.file.compare(a.o.file.size() - e.size(), e.size(), e) == 0;
    };
    if (ends_with(".csv")) format = "csv";
    else if (ends_with(".json")) format = "json";
    else return Status::BadRequest("cannot tell the format of " + a.o.file + " from its name; pass --format csv or json");
  }
  if (format != "csv" && format != "json") return Status::BadRequest("--format must be csv or json");
  auto text = ReadInput(a.o.file);
  if (!text.ok()) return text.status();
  auto rows = directory::ReadUserList(*text, format == "csv" ? directory::UserListFormat::kCsv
                                                             : directory::UserListFormat::kJson);
  if (!rows.ok()) return rows.status().WithContext(a.o.file);
  if (rows->empty()) return Status::BadRequest(a.o.file + " lists no users");
  auto summary = directory::ImportUsers(a.dir(), *tenant, *rows);
  if (!summary.ok()) return summary.status();
  for (const auto& u : summary->users) PrintUser(u);
  std::printf("imported %zu users into tenant %s: %d created, %d updated\n", summary->users.size(), tenant->c_str(),
              summary->created, summary->updated);
  return Status::Ok();
}

// The users as a user list (directory/user_list.h) that `users import` reads back unchanged.
Status UsersList(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(directory::RequireTenant(a.dir(), *tenant));
  const auto format = a.o.format == "json" ? directory::UserListFormat::kJson : directory::UserListFormat::kCsv;
  std::vector<store::DirectoryUser> all;
  for (std::string after;;) {
    auto page = directory::ListUsers(a.dir(), *tenant, after, 1000);
    if (!page.ok()) return page.status();
    for (auto& u : page->users) all.push_back(std::move(u));
    if (!page->more) break;
    after = all.back().id;
  }
  std::string text = directory::WriteUserList(all, format);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

Status RequireUserOption(Admin& a) {
  if (a.o.user.empty()) return Status::BadRequest("--user is required (an object id or a user principal name)");
  return Status::Ok();
}

Result<store::DirectoryUser> FindUser(Admin& a, const std::string& tenant) {
  AIH_RETURN_IF_ERROR(RequireUserOption(a));
  return directory::FindUser(a.dir(), tenant, a.o.user);
}

Status UserDelete(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  auto user = FindUser(a, *tenant);
  if (!user.ok()) return user.status();
  store::PageQuery stored;
  stored.tenant_id = *tenant;
  stored.user_id = user->id;
  auto interactions = a.store.interactions().Count(stored);
  if (!interactions.ok()) return interactions.status();
  auto access = a.dir().ListUserAccess(*tenant, user->id);
  if (!access.ok()) return access.status();
  AIH_RETURN_IF_ERROR(Confirm("This deletes user " + user->id + " (" + user->user_principal_name + ") from tenant " +
                                  *tenant + " with " + std::to_string(user->service_plans.size()) + " licenses and " +
                                  std::to_string(access->size()) + " per-user application grants; their " +
                                  std::to_string(*interactions) + " stored interactions stay until `aihistory admin "
                                  "interactions delete`.",
                              a.o.yes));
  AIH_RETURN_IF_ERROR(directory::DeleteUser(a.dir(), *tenant, user->id));
  std::printf("deleted user %s from the directory (their interactions stay until `aihistory admin interactions delete`)\n",
              user->id.c_str());
  return Status::Ok();
}

Status License(Admin& a, bool assign) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  auto plan = Guid(a.o.plan, "plan");
  if (!plan.ok()) return plan.status();
  AIH_RETURN_IF_ERROR(RequireUserOption(a));
  auto user = directory::SetLicense(a.dir(), *tenant, a.o.user, *plan, assign);
  if (!user.ok()) return user.status();
  std::printf("%s service plan %s %s user %s\n", assign ? "assigned" : "removed", plan->c_str(), assign ? "to" : "from",
              user->id.c_str());
  return Status::Ok();
}

void PrintSecret(const api::NewSecret& s) {
  std::printf("client secret: %s\n", s.secret_text.c_str());
  std::printf("secret id:     %s\n", s.secret_id.c_str());
  std::printf("(the secret is shown only now: the directory keeps only its hash)\n");
}

Status AppRegister(Admin& a) {
  auto home = Guid(a.o.tenant_id, "tenant");
  if (!home.ok()) return home.status();
  if (a.o.name.empty()) return Status::BadRequest("--name is required (the application's display name)");
  auto app = api::RegisterApplication(a.dir(), a.o.name, *home, a.o.lifetime_days);
  if (!app.ok()) return app.status();
  std::printf("client id:     %s\n", app->application.client_id.c_str());
  PrintSecret(app->secret);
  return Status::Ok();
}

Status AppAddSecret(Admin& a) {
  auto client = Guid(a.o.client_id, "client-id");
  if (!client.ok()) return client.status();
  auto secret = api::AddClientSecret(a.dir(), *client, a.o.lifetime_days);
  if (!secret.ok()) return secret.status();
  PrintSecret(*secret);
  return Status::Ok();
}

// The certificate's private key signs client assertions (docs/tokens.md); only the certificate is kept.
Status AppAddCertificate(Admin& a) {
  auto client = Guid(a.o.client_id, "client-id");
  if (!client.ok()) return client.status();
  auto pem = ReadInput(a.o.file);
  if (!pem.ok()) return pem.status();
  auto certificate = api::AddClientCertificate(a.dir(), *client, *pem);
  if (!certificate.ok()) return certificate.status().WithContext(a.o.file);
  std::printf("certificate %s added to app %s\n", certificate->thumbprint.c_str(), client->c_str());
  return Status::Ok();
}

Status AppList(Admin& a) {
  auto apps = a.dir().ListApplications();
  if (!apps.ok()) return apps.status();
  for (const auto& app : *apps) {
    std::printf("%s  home tenant %s  %s\n", app.client_id.c_str(), app.home_tenant_id.c_str(), app.display_name.c_str());
  }
  return Status::Ok();
}

Status Consent(Admin& a, bool grant) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  auto client = Guid(a.o.client_id, "client-id");
  if (!client.ok()) return client.status();
  Result<std::vector<std::string>> roles = std::vector<std::string>{};
  if (grant) {
    if (a.o.roles.empty()) return Status::BadRequest("--role is required (e.g. --role AiEnterpriseInteraction.Read.All)");
    roles = directory::GrantConsent(a.dir(), *tenant, *client, a.o.roles);
  } else {
    AIH_RETURN_IF_ERROR(directory::RevokeConsent(a.dir(), *tenant, *client, a.o.roles));  // none: every role
    roles = a.dir().ConsentedRoles(*tenant, *client);
  }
  if (!roles.ok()) return roles.status();
  std::string list;
  for (const auto& r : *roles) list += (list.empty() ? "" : ", ") + r;
  std::printf("application %s now holds in tenant %s: %s\n", client->c_str(), tenant->c_str(),
              list.empty() ? "(no roles)" : list.c_str());
  return Status::Ok();
}

Status ConsentList(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  auto consents = directory::ListConsents(a.dir(), *tenant);
  if (!consents.ok()) return consents.status();
  for (const auto& c : *consents) {
    for (const auto& r : c.roles) std::printf("%s  %s\n", c.client_id.c_str(), r.c_str());
  }
  return Status::Ok();
}

// AiEnterpriseInteraction.Read.User for one user (per-user subscriptions).
Status Access(Admin& a, bool grant) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  auto client = Guid(a.o.client_id, "client-id");
  if (!client.ok()) return client.status();
  AIH_RETURN_IF_ERROR(RequireUserOption(a));
  auto user = directory::SetUserAccess(a.dir(), *tenant, a.o.user, *client, grant);
  if (!user.ok()) return user.status();
  std::printf("%s %s %s application %s for user %s%s\n", grant ? "granted" : "revoked", auth::kReadUser,
              grant ? "to" : "from", client->c_str(), user->id.c_str(),
              grant ? "" : " (its subscriptions to the user end within seconds, with subscriptionRemoved)");
  return Status::Ok();
}

Status AccessList(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(RequireUserOption(a));
  auto apps = directory::ListUserAccess(a.dir(), *tenant, a.o.user);
  if (!apps.ok()) return apps.status();
  for (const auto& app : *apps) std::printf("%s  %s\n", app.c_str(), auth::kReadUser);
  return Status::Ok();
}

Status SourceRegister(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  directory::SourceRegistration source{*tenant, a.o.app_class, store::ParseSourceKind(a.o.kind), std::nullopt,
                                       std::nullopt, a.o.writers};
  if (!a.o.name.empty()) source.display_name = a.o.name;
  if (a.o.export_state == "on" || a.o.export_state == "off") {
    source.export_enabled = a.o.export_state == "on";
  } else if (!a.o.export_state.empty()) {
    return Status::BadRequest("--export must be on or off");
  }
  auto stored =
      directory::RegisterSource(a.dir(), source, {"--kind must be first-party or third-party", "--name", "--writer"});
  if (!stored.ok()) return stored.status();
  PrintSource(*stored);
  return Status::Ok();
}

Status SourceList(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  auto sources = directory::ListSources(a.dir(), *tenant);
  if (!sources.ok()) return sources.status();
  for (const auto& s : *sources) PrintSource(s);
  return Status::Ok();
}

Status SourceExport(Admin& a, bool enable) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  store::SourcePatch patch;
  patch.export_enabled = enable;
  auto source = directory::UpdateSource(a.dir(), *tenant, a.o.app_class, patch, "--name");
  if (!source.ok()) return source.status();
  PrintSource(*source);
  return Status::Ok();
}

Status SourceWriter(Admin& a, bool add) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  auto client = Guid(a.o.client_id, "client-id");
  if (!client.ok()) return client.status();
  AIH_RETURN_IF_ERROR(directory::SetSourceWriter(a.dir(), *tenant, a.o.app_class, *client, add));
  auto source = a.dir().GetSource(*tenant, a.o.app_class);
  if (!source.ok()) return source.status();
  PrintSource(*source);
  return Status::Ok();
}

Status InteractionsDelete(Admin& a) {
  auto tenant = Guid(a.o.tenant_id, "tenant");
  if (!tenant.ok()) return tenant.status();
  AIH_RETURN_IF_ERROR(RequireUserOption(a));
  // A user removed from the directory is still purgeable by object id.
  auto found_owner = directory::InteractionOwner(a.dir(), *tenant, a.o.user);
  if (!found_owner.ok()) return found_owner.status();
  const std::string& owner = *found_owner;
  std::optional<std::string> id;
  if (!a.o.interaction_id.empty()) id = a.o.interaction_id;
  int64_t count = 0;
  if (id) {
    auto one = a.store.interactions().GetAppClass(*tenant, owner, *id);
    if (!one.ok() && one.status().code() == Code::kNotFound) {
      return store::InteractionNotFound(owner, *id);
    }
    if (!one.ok()) return one.status();
    count = 1;
  } else {
    store::PageQuery stored;
    stored.tenant_id = *tenant;
    stored.user_id = owner;
    auto n = a.store.interactions().Count(stored);
    if (!n.ok()) return n.status();
    count = *n;
    if (count == 0) {
      std::printf("user %s has no stored interactions: nothing to delete\n", owner.c_str());
      return Status::Ok();
    }
  }
  AIH_RETURN_IF_ERROR(Confirm("This deletes " + std::to_string(count) + (count == 1 ? " interaction" : " interactions") +
                                  " of user " + owner + " in tenant " + *tenant + (id ? " (id " + *id + ")" : "") +
                                  ", for good (subscribers are notified of each deletion).",
                              a.o.yes));
  auto deleted = directory::DeleteInteractions(a.store.interactions(), *tenant, owner, id);
  if (!deleted.ok()) return deleted.status();
  std::printf("deleted %lld interactions of user %s\n", static_cast<long long>(*deleted), owner.c_str());
  return Status::Ok();
}

Status AdminKey(Admin& a) {
  auto key = api::LoadAdminKey(a.store);
  if (!key.ok()) return key.status();
  std::printf("%s\n", key->c_str());
  return Status::Ok();
}

}  // namespace

namespace {

// Records a command that changed the store directly, or read its admin key, in the audit log
// (store/audit_log.h; actor "operator"): the store's owner may do anything, but not unseen. Lists are
// not recorded. A command acts on the store without the admin API, so there is no before and after:
// the entry names the command and the options that say what it touched.
void RecordAdminCommand(store::Store& store, const AdminOptions& o, const Status& outcome) {
  if (o.verb.size() >= 5 && o.verb.compare(o.verb.size() - 5, 5, " list") == 0) return;
  std::string action = "cli." + o.verb;
  for (char& c : action) c = c == ' ' ? '.' : c;
  store::AuditEntry e;
  e.time_ms = SystemClock().NowMillis();
  e.tenant_id = o.tenant_id;
  e.actor_kind = store::AuditActor::kOperator;
  e.actor_id = "aihistory admin";
  e.action = action;
  e.target = !o.user.empty() ? o.user : !o.client_id.empty() ? o.client_id : !o.app_class.empty() ? o.app_class : o.tenant_id;
  e.success = outcome.ok();
  e.details = "{\"command\":";
  model::AppendJsonString(e.details, "aihistory admin " + o.verb);
  const std::pair<const char*, const std::string*> named[] = {
      {"user", &o.user}, {"clientId", &o.client_id}, {"appClass", &o.app_class}, {"interactionId", &o.interaction_id},
      {"name", &o.name}};
  for (const auto& [name, value] : named) {
    if (value->empty()) continue;
    e.details += ",\"";
    e.details += name;
    e.details += "\":";
    model::AppendJsonString(e.details, *value);
  }
  if (!outcome.ok()) {
    e.details += ",\"error\":";
    model::AppendJsonString(e.details, outcome.message());
  }
  e.details += '}';
  Status kept = store.audit().Append({e});
  if (!kept.ok()) std::cerr << "aihistory admin: note: the audit log could not record this: " << kept.message() << "\n";
}

}  // namespace

int RunAdmin(const AdminOptions& o) {
  // Only a new tenant may start a new store: anything else on a missing store is a mistyped location.
  const auto mode = o.verb == "tenant create" ? store::OpenMode::kCreate : store::OpenMode::kMustExist;
  auto store = store::OpenStore(o.store, mode);
  if (!store.ok()) {
    std::cerr << "aihistory admin: " << store.status().message() << "\n";
    return 2;
  }
  Admin a{o, **store};
  static const std::map<std::string, Status (*)(Admin&)> kVerbs = {
      {"key", AdminKey},
      {"tenant create", TenantCreate},
      {"tenant list", TenantList},
      {"users import", UsersImport},
      {"users list", UsersList},
      {"users delete", UserDelete},
      {"license assign", [](Admin& x) { return License(x, true); }},
      {"license remove", [](Admin& x) { return License(x, false); }},
      {"app register", AppRegister},
      {"app add-secret", AppAddSecret},
      {"app add-certificate", AppAddCertificate},
      {"app list", AppList},
      {"consent grant", [](Admin& x) { return Consent(x, true); }},
      {"consent revoke", [](Admin& x) { return Consent(x, false); }},
      {"consent list", ConsentList},
      {"access grant", [](Admin& x) { return Access(x, true); }},
      {"access revoke", [](Admin& x) { return Access(x, false); }},
      {"access list", AccessList},
      {"source register", SourceRegister},
      {"source list", SourceList},
      {"source export enable", [](Admin& x) { return SourceExport(x, true); }},
      {"source export disable", [](Admin& x) { return SourceExport(x, false); }},
      {"source writer add", [](Admin& x) { return SourceWriter(x, true); }},
      {"source writer remove", [](Admin& x) { return SourceWriter(x, false); }},
      {"interactions delete", InteractionsDelete},
  };
  auto verb = kVerbs.find(o.verb);
  if (verb == kVerbs.end() && !HoldVerbs().count(o.verb)) {
    std::cerr << "aihistory admin: unknown operation '" << o.verb << "'; see aihistory admin --help\n";
    return 1;
  }
  Status s = verb != kVerbs.end() ? verb->second(a) : HoldVerbs().at(o.verb)(o, **store);
  RecordAdminCommand(**store, o, s);
  if (!s.ok()) {
    std::cerr << "aihistory admin " << o.verb << ": " << s.message() << "\n";
    return s.code() == Code::kUnavailable || s.code() == Code::kInternal ? 2 : 1;
  }
  return 0;
}

}  // namespace aih::cli
