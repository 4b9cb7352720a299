#include "directory_fixture.h"

#include "model/interaction_writer.h"
#include "store/page_sql.h"

namespace aih::testing {
namespace {

auth::Principal App(const std::string& tenant, const std::string& app, std::vector<std::string> roles) {
  auth::Principal p;
  p.kind = auth::Principal::Kind::kApplication;
  p.tenant_id = tenant;
  p.app_id = app;
  p.roles = std::move(roles);
  return p;
}

void Must(const Status& s) { ASSERT_TRUE(s.ok()) << s.message(); }

}  // namespace

void DirectoryApiTest::SetUp() {
  store_ = OpenFreshStore(GetParam(), &location_, "aih-dir-api");
  ASSERT_NE(store_, nullptr);
  store::DirectoryStore& d = store_->directory();
  Must(d.CreateTenant({kTenantA, "Contoso"}));
  Must(d.CreateTenant({kTenantB, "Fabrikam"}));
  for (const char* app : {kExporterA, kWriterA, kWriterA2}) Must(d.CreateApplication({app, "app", kTenantA, 0}));
  Must(d.CreateApplication({kExporterB, "app", kTenantB, 0}));
  Must(d.GrantConsent(kTenantA, kExporterA, {auth::kReadAll}));
  Must(d.GrantConsent(kTenantA, kWriterA, {auth::kWriteAll}));
  Must(d.GrantConsent(kTenantA, kWriterA2, {auth::kWriteAll}));
  Must(d.GrantConsent(kTenantB, kExporterB, {auth::kReadAll}));

  const std::vector<std::string> copilot = {store::kCopilotServicePlanId};
  auto a = d.ImportUsers(kTenantA, {
      {"", "alice@contoso.example", "Alice", store::AccountType::kWork, copilot},
      {"", "bob@contoso.example", "Bob", store::AccountType::kWork, std::vector<std::string>{}},
      {"", "pat@outlook.example", "Pat", store::AccountType::kPersonal, copilot},
      {"", "pam@outlook.example", "Pam", store::AccountType::kPersonal, std::vector<std::string>{}},
  });
  ASSERT_TRUE(a.ok()) << a.status().message();
  licensed_ = {a->users[0].id, a->users[0].user_principal_name};
  unlicensed_ = {a->users[1].id, a->users[1].user_principal_name};
  personal_licensed_ = {a->users[2].id, a->users[2].user_principal_name};
  personal_unlicensed_ = {a->users[3].id, a->users[3].user_principal_name};
  auto b = d.ImportUsers(kTenantB, {{"", "carol@fabrikam.example", "Carol", store::AccountType::kWork, copilot}});
  ASSERT_TRUE(b.ok()) << b.status().message();
  tenant_b_user_ = {b->users[0].id, b->users[0].user_principal_name};

  using store::SourceKind;
  Must(d.CreateSource({kTenantA, kFirstParty, SourceKind::kFirstParty, "Teams", true, {kWriterA}}));
  Must(d.CreateSource({kTenantA, kThirdOn, SourceKind::kThirdParty, "On", true, {kWriterA}}));
  Must(d.CreateSource({kTenantA, kThirdOff, SourceKind::kThirdParty, "Off", false, {kWriterA}}));
  Must(d.CreateSource({kTenantA, kOtherAppsClass, SourceKind::kThirdParty, "Other", true, {kWriterA2}}));
  Must(d.CreateSource({kTenantB, kFirstParty, SourceKind::kFirstParty, "Teams", true, {}}));

  auth_.tokens["Bearer exporter-a"] = App(kTenantA, kExporterA, {auth::kReadAll});
  auth_.tokens["Bearer writer-a"] = App(kTenantA, kWriterA, {auth::kWriteAll});
  auth_.tokens["Bearer writer-a2"] = App(kTenantA, kWriterA2, {auth::kWriteAll});
  auth_.tokens["Bearer exporter-b"] = App(kTenantB, kExporterB, {auth::kReadAll});
  auth_.tokens["Bearer no-role-a"] = App(kTenantA, kExporterA, {});
  // A writer's token carries Write.All only: it cannot export.
  auth_.tokens["Bearer writer-exports-a"] = App(kTenantA, kWriterA, {auth::kWriteAll});
  // Claims Read.All for an app never consented to it (an issuer that is out of date, or forged roles).
  auth_.tokens["Bearer unconsented-a"] = App(kTenantA, kWriterA2, {auth::kReadAll, auth::kWriteAll});
  auth_.tokens["Bearer unknown-tenant"] = App("cccccccc-3333-4333-8333-000000000003", kExporterA, {auth::kReadAll});
  auth::Principal delegated;
  delegated.kind = auth::Principal::Kind::kDelegated;
  delegated.tenant_id = kTenantA;
  delegated.app_id = kExporterA;
  delegated.user_id = licensed_.id;
  delegated.scopes = {auth::kReadDelegated, auth::kReadAll};
  auth_.tokens["Bearer delegated-a"] = delegated;

  policy_ = std::make_unique<policy::DirectoryPolicy>(store_->directory());
  api::ServiceOptions options;
  options.admin_key = kAdminKey;
  // The tests' receivers listen on loopback over plain http.
  options.notifications.webhooks.receivers.allow_http = true;
  options.notifications.webhooks.receivers.allowed_networks = {*notify::IpNetwork::Parse("127.0.0.0/8")};
  service_ = std::make_unique<api::Service>(options, *store_, auth_, *policy_, odata::CursorSigner(std::string(32, 'k')));
}

void DirectoryApiTest::TearDown() {
  service_.reset();
  policy_.reset();
  store_.reset();
  RemoveStoreLocation(location_);
}

http::Response DirectoryApiTest::Send(const std::string& method, const std::string& target, const std::string& body,
                                      const std::string& token,
                                      std::vector<std::pair<std::string, std::string>> headers) {
  http::Request r;
  r.method = method;
  r.target = target;
  r.scheme = "http";
  r.host = "127.0.0.1:8080";
  r.request_id = "req";
  r.remote_address = remote_address_;
  r.body = body;
  r.headers = std::move(headers);
  if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
  return service_->Handle(r);
}

http::Response DirectoryApiTest::Export(const std::string& user_ref, const std::string& token, const std::string& query) {
  return Send("GET", "/v1.0/copilot/users/" + user_ref + "/interactionHistory/getAllEnterpriseInteractions" + query, "",
              token);
}

http::Response DirectoryApiTest::ExportTenant(const std::string& token, const std::string& query) {
  return Send("GET", "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions" + query, "", token);
}

http::Response DirectoryApiTest::Write(const std::string& body, const std::string& token) {
  return Send("POST", "/v1.0/copilot/interactionHistory/interactions", body, token,
              {{"content-type", "application/json"}});
}

http::Response DirectoryApiTest::Admin(const std::string& method, const std::string& target, const std::string& body,
                                       const std::string& content_type) {
  std::vector<std::pair<std::string, std::string>> headers = {{"x-aihistory-admin-key", kAdminKey}};
  if (!content_type.empty()) headers.emplace_back("content-type", content_type);
  return Send(method, target, body, "", std::move(headers));
}

std::string DirectoryApiTest::Item(const std::string& user_ref, const std::string& app_class, const std::string& id,
                                   const std::string& extra) {
  std::string out = "{\"@aihistory.userId\":";
  model::AppendJsonString(out, user_ref);
  out += ",\"id\":\"" + id + "\",\"appClass\":\"" + app_class +
         "\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"2026-01-15T10:30:00Z\"" + extra + "}";
  return out;
}

std::vector<std::string> DirectoryApiTest::Ids(const http::Response& page) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < JsonArraySize(page.body, "value"); ++i) {
    ids.push_back(JsonAt(page.body, "value." + std::to_string(i) + ".id"));
  }
  return ids;
}

int64_t DirectoryApiTest::StoredCount(const std::string& tenant) {
  store::PageQuery q;
  q.tenant_id = tenant;
  auto n = store_->interactions().Count(q);
  EXPECT_TRUE(n.ok());
  return n.ok() ? *n : -1;
}

}  // namespace aih::testing
