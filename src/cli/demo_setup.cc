// `aihistory demo-setup`: the demo tenant the README runs against. It holds
//   - a licensed work account, an unlicensed work account, and a personal account (also licensed, to
//     show that the account type, not the license, keeps it out);
//   - the first-party Copilot sources (export on) and a third-party source with export off;
//   - an exporter app (AiEnterpriseInteraction.Read.All consented) and a writer app (Write.All
//     consented, writer of every demo source);
//   - a small synthetic history for both work accounts, in first-party and third-party appClasses.
// It writes the credentials to <store>/demo-credentials.json (mode 0600; format below) and prints
// them. Ids are fixed, so running it again changes nothing but adds a fresh secret to each app (a
// secret cannot be shown twice: only its hash is kept).
//
// demo-credentials.json:
//   {"tenantId":..., "adminKey":..., "tokenPath":"/<tenantId>/oauth2/v2.0/token",
//    "users":{"licensed":{"id","userPrincipalName"},"unlicensed":{...},"personal":{...}},
//    "sources":{"firstParty":[appClass...],"thirdParty":appClass},
//    "exporter":{"clientId","clientSecret","roles":[...]}, "writer":{"clientId","clientSecret","roles":[...]}}
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include "api/admin_key.h"
#include "base/files.h"
#include "api/app_registration.h"
#include "auth/principal.h"
#include "cli/commands.h"
#include "cli/seed_directory.h"
#include "policy/directory_policy.h"
#include "ingest/pipeline.h"
#include "model/interaction_writer.h"
#include "seed/synthetic_history.h"
#include "store/page_sql.h"
#include "store/store.h"
#include "store/store_location.h"

namespace aih::cli {
namespace {

constexpr uint64_t kDemoSeed = 0xde30;  // fixes every demo id
constexpr const char* kThirdPartyAppClass = "Contoso.Agents.HRAssistant";

struct DemoUser {
  std::string id, upn, name;
  store::AccountType type;
  bool licensed;
};

struct DemoApp {
  std::string client_id, secret;
  std::string role;
};

// The app with the fixed `client_id`: registered on first run, given a fresh secret afterwards.
Result<DemoApp> EnsureApp(store::DirectoryStore& dir, const std::string& client_id, const std::string& name,
                          const std::string& tenant_id, const char* role) {
  DemoApp app{client_id, {}, role};
  auto existing = dir.GetApplication(client_id);
  if (existing.ok()) {
    auto secret = api::AddClientSecret(dir, client_id);
    if (!secret.ok()) return secret.status();
    app.secret = secret->secret_text;
  } else if (existing.status().code() == Code::kNotFound) {
    auto registered = api::RegisterApplication(dir, name, tenant_id, 0, client_id);
    if (!registered.ok()) return registered.status();
    app.secret = registered->secret.secret_text;
  } else {
    return existing.status();
  }
  AIH_RETURN_IF_ERROR(dir.GrantConsent(tenant_id, client_id, {role}));
  return app;
}

// A small history for `user` in `app_classes`, starting at `start_millis`.
std::vector<model::ParsedItem> History(const std::string& tenant_id, const DemoUser& user,
                                        std::vector<std::string> app_classes, int count, int64_t start_millis,
                                        uint64_t seed) {
  seed::SyntheticOptions so;
  so.seed = seed;
  so.tenant_id = tenant_id;
  so.users = 1;
  so.interactions_per_user = count;
  so.start_unix_millis = start_millis;
  so.app_classes = std::move(app_classes);
  seed::SyntheticHistory history(so);
  std::vector<model::ParsedItem> out;
  for (model::WriteItem& item : history.InteractionsOf(0)) {
    auto& from = item.interaction.from;
    if (from && from->user) {  // the prompt comes from the demo user, not the generator's own
      from->user->id = user.id;
      from->user->display_name = user.name;
    }
    item.user_id = user.id;
    out.push_back(model::ParsedItem{Status::Ok(), std::move(item)});
  }
  return out;
}

void AppendUser(std::string& out, const char* role, const DemoUser& u) {
  out += "\"";
  out += role;
  out += "\":{\"id\":";
  model::AppendJsonString(out, u.id);
  out += ",\"userPrincipalName\":";
  model::AppendJsonString(out, u.upn);
  out += "}";
}

void AppendApp(std::string& out, const char* name, const DemoApp& app) {
  out += ",\"";
  out += name;
  out += "\":{\"clientId\":";
  model::AppendJsonString(out, app.client_id);
  out += ",\"clientSecret\":";
  model::AppendJsonString(out, app.secret);
  out += ",\"roles\":[";
  model::AppendJsonString(out, app.role);
  out += "]}";
}

Status Setup(const DemoSetupOptions& o, store::Store& store, std::string* credentials) {
  store::DirectoryStore& dir = store.directory();
  const std::string& tenant = o.tenant_id;
  AIH_RETURN_IF_ERROR(EnsureTenant(dir, tenant, "Contoso (demo)"));

  const std::vector<DemoUser> users = {
      {seed::DeterministicGuid(kDemoSeed, 1), "adele.vance@" + o.domain, "Adele Vance", store::AccountType::kWork, true},
      {seed::DeterministicGuid(kDemoSeed, 2), "lee.gu@" + o.domain, "Lee Gu", store::AccountType::kWork, false},
      {seed::DeterministicGuid(kDemoSeed, 3), "pat.consumer@outlook.example", "Pat Consumer (personal account)",
       store::AccountType::kPersonal, true},
  };
  std::vector<store::UserImport> rows;
  for (const DemoUser& u : users) {
    store::UserImport row{u.id, u.upn, u.name, u.type, std::vector<std::string>{}};
    if (u.licensed) row.service_plans->push_back(store::kCopilotServicePlanId);
    rows.push_back(std::move(row));
  }
  auto imported = dir.ImportUsers(tenant, rows);
  if (!imported.ok()) return imported.status();

  auto exporter = EnsureApp(dir, seed::DeterministicGuid(kDemoSeed, 10), "Demo exporter (compliance tool)", tenant,
                            auth::kReadAll);
  if (!exporter.ok()) return exporter.status();
  auto writer = EnsureApp(dir, seed::DeterministicGuid(kDemoSeed, 11), "Demo writer (AI experience)", tenant,
                          auth::kWriteAll);
  if (!writer.ok()) return writer.status();

  const std::vector<std::string>& first_party = seed::FirstPartyAppClasses();
  for (const std::string& app_class : first_party) {
    AIH_RETURN_IF_ERROR(EnsureSource(dir, store::Source{tenant, app_class, store::SourceKind::kFirstParty, app_class,
                                                        true, {writer->client_id}}));
  }
  AIH_RETURN_IF_ERROR(EnsureSource(dir, store::Source{tenant, kThirdPartyAppClass, store::SourceKind::kThirdParty,
                                                      "Contoso HR assistant (third-party agent)", false,
                                                      {writer->client_id}}));

  // Both work accounts get a history; the personal account gets none (it would be refused).
  constexpr int kFirstParty = 40, kThirdParty = 10, kUnlicensed = 20;
  std::vector<model::ParsedItem> items =
      History(tenant, users[0], first_party, kFirstParty, 1767225600000, kDemoSeed + 1);  // from 2026-01-01
  for (auto& item : History(tenant, users[0], {kThirdPartyAppClass}, kThirdParty, 1769904000000, kDemoSeed + 2)) {
    items.push_back(std::move(item));  // from 2026-02-01
  }
  for (auto& item : History(tenant, users[1], first_party, kUnlicensed, 1767225600000, kDemoSeed + 3)) {
    items.push_back(std::move(item));
  }
  // Written as the generator: the directory above was registered for it.
  policy::DirectoryPolicy policy(dir);
  auto written = ingest::Ingest(store.interactions(), policy, ingest::Writer::Generator(tenant), {}, std::move(items));
  if (!written.ok()) return written.status();

  auto admin_key = api::LoadAdminKey(store);
  if (!admin_key.ok()) return admin_key.status();

  std::string& out = *credentials;
  out = "{\"tenantId\":";
  model::AppendJsonString(out, tenant);
  out += ",\"adminKey\":";
  model::AppendJsonString(out, *admin_key);
  out += ",\"tokenPath\":";
  model::AppendJsonString(out, "/" + tenant + "/oauth2/v2.0/token");
  out += ",\"users\":{";
  AppendUser(out, "licensed", users[0]);
  out += ',';
  AppendUser(out, "unlicensed", users[1]);
  out += ',';
  AppendUser(out, "personal", users[2]);
  out += "},\"sources\":{\"firstParty\":[";
  for (size_t i = 0; i < first_party.size(); ++i) {
    if (i) out += ',';
    model::AppendJsonString(out, first_party[i]);
  }
  out += "],\"thirdParty\":";
  model::AppendJsonString(out, kThirdPartyAppClass);
  out += '}';
  AppendApp(out, "exporter", *exporter);
  AppendApp(out, "writer", *writer);
  out += "}\n";

  std::printf("demo tenant %s\n", tenant.c_str());
  std::printf("  licensed user    %s  %s (%d first-party interactions; %d of %s, whose export is off)\n",
              users[0].id.c_str(), users[0].upn.c_str(), kFirstParty, kThirdParty, kThirdPartyAppClass);
  std::printf("  unlicensed user  %s  %s (%d interactions; export refused: no Copilot license)\n", users[1].id.c_str(),
              users[1].upn.c_str(), kUnlicensed);
  std::printf("  personal account %s  %s (never stored nor exported)\n", users[2].id.c_str(), users[2].upn.c_str());
  std::printf("  exporter app     client id %s  secret %s  (%s)\n", exporter->client_id.c_str(), exporter->secret.c_str(),
              auth::kReadAll);
  std::printf("  writer app       client id %s  secret %s  (%s)\n", writer->client_id.c_str(), writer->secret.c_str(),
              auth::kWriteAll);
  std::printf("  token endpoint   POST /%s/oauth2/v2.0/token (grant_type=client_credentials)\n", tenant.c_str());
  std::printf("  admin key        %s\n", admin_key->c_str());
  return Status::Ok();
}

}  // namespace

int RunDemoSetup(const DemoSetupOptions& o) {
  auto store = store::OpenStore(o.store);
  if (!store.ok()) {
    std::cerr << "aihistory demo-setup: " << store.status().message() << "\n";
    return 2;
  }
  std::string path = o.out;
  if (path.empty()) {
    const store::StoreLocation at = store::StoreLocation::Parse(o.store);
    if (at.postgres) {
      std::cerr << "aihistory demo-setup: pass --out FILE for the credentials (the store is not a directory)\n";
      return 1;
    }
    path = at.directory + "/demo-credentials.json";
  }
  std::string credentials;
  Status s = Setup(o, **store, &credentials);
  if (!s.ok()) {
    std::cerr << "aihistory demo-setup: " << s.message() << "\n";
    return s.code() == Code::kUnavailable || s.code() == Code::kInternal ? 2 : 1;
  }
  // The file holds secrets: readable by its owner only, from its creation on.
  if (Status written = WriteOwnerOnlyFile(path, credentials); !written.ok()) {
    std::cerr << "aihistory demo-setup: " << written.message() << "\n";
    return 2;
  }
  std::printf("  credentials      %s\n", path.c_str());
  return 0;
}

}  // namespace aih::cli
