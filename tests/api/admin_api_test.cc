// The admin API: its own credential, and each route's effect and validation.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api/admin_resource.h"
#include "auth/secret_hash.h"
#include "directory_fixture.h"
#include "http/self_signed_certificate.h"
#include "model/interaction_writer.h"
#include "store/page_sql.h"

namespace aih::testing {
namespace {

std::string ErrorCode(const http::Response& r) { return JsonAt(r.body, "error.code"); }
std::string ErrorMessage(const http::Response& r) { return JsonAt(r.body, "error.message"); }

class AdminApiTest : public DirectoryApiTest {
 protected:
  std::string Tenant(const std::string& rest = "") { return std::string("/admin/tenants/") + kTenantA + rest; }
};

TEST_P(AdminApiTest, OnlyTheAdminKeyOpensTheAdminApi) {
  struct Case {
    const char* what;
    std::vector<std::pair<std::string, std::string>> headers;
  } refused[] = {
      {"no credential", {}},
      {"a wrong key", {{"x-aihistory-admin-key", "wrong"}}},
      {"the key with one character changed", {{"x-aihistory-admin-key", std::string(kAdminKey).substr(0, 47) + "0"}}},
      {"a longer key", {{"authorization", std::string("Bearer ") + kAdminKey + "x"}}},
      {"an export token", {{"authorization", "Bearer exporter-a"}}},
      {"a writer token", {{"authorization", "Bearer writer-a"}}},
      {"the key under another scheme", {{"authorization", std::string("Basic ") + kAdminKey}}},
  };
  int from = 0;
  for (const Case& c : refused) {
    remote_address_ = "198.51.100." + std::to_string(++from);  // each its own, below any lockout
    for (const char* method : {"GET", "POST"}) {
      auto r = Send(method, "/admin/tenants", "{\"displayName\":\"Evil\"}", "", c.headers);
      EXPECT_EQ(r.status, 401) << c.what;
      EXPECT_EQ(ErrorCode(r), "InvalidAuthenticationToken") << c.what;
      bool has_challenge = false;
      for (auto& [name, value] : r.headers) has_challenge |= name == "WWW-Authenticate";
      EXPECT_TRUE(has_challenge) << c.what;
    }
  }
  EXPECT_EQ(store_->directory().ListTenants()->size(), 2u) << "no refused request created a tenant";
  remote_address_ = "192.0.2.1";
  EXPECT_EQ(Send("GET", "/admin/tenants", "", "", {{"x-aihistory-admin-key", kAdminKey}}).status, 200);
  EXPECT_EQ(Send("GET", "/admin/tenants", "", "", {{"authorization", std::string("Bearer ") + kAdminKey}}).status, 200);
  EXPECT_EQ(Send("GET", "/admin/tenants", "", "", {{"authorization", std::string("bearer ") + kAdminKey}}).status, 200);
  // And the admin key is no token for the Graph API.
  EXPECT_EQ(Send("GET", "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions", "", kAdminKey).status, 401);
}

TEST_P(AdminApiTest, GuessingTheAdminKeyIsThrottledPerAddressAndLogged) {
  const std::vector<std::pair<std::string, std::string>> wrong = {{"x-aihistory-admin-key", "guess-of-the-key"}};
  const std::vector<std::pair<std::string, std::string>> right = {{"x-aihistory-admin-key", kAdminKey}};
  remote_address_ = "203.0.113.66";
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Send("GET", "/admin/tenants", "", "", wrong).status, 401) << i;
  // Locked out: not even the right key is checked from this address now.
  http::Response locked = Send("GET", "/admin/tenants", "", "", right);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(ErrorCode(locked), "TooManyRequests");
  bool retry_after = false;
  for (auto& [name, value] : locked.headers) retry_after |= name == "Retry-After" && std::stoi(value) >= 1;
  EXPECT_TRUE(retry_after);
  // Every failure is in the log, with the address and the request id, and never the key tried.
  size_t failures = 0;
  for (size_t at = log.find(R"("event":"admin_authentication_failed","remote":"203.0.113.66","request_id":"req")"); at != std::string::npos;
       at = log.find(R"("event":"admin_authentication_failed","remote":"203.0.113.66","request_id":"req")", at + 1)) {
    ++failures;
  }
  EXPECT_EQ(failures, 5u) << log;
  EXPECT_EQ(log.find("guess-of-the-key"), std::string::npos) << log;
  EXPECT_EQ(log.find(kAdminKey), std::string::npos) << log;
  // Another address (the operator's) is not locked out.
  remote_address_ = "192.0.2.9";
  EXPECT_EQ(Send("GET", "/admin/tenants", "", "", right).status, 200);
}

TEST_P(AdminApiTest, TheStoresAdminKeyIsMadeOnceAndSharedAndAKeyFileOverridesIt) {
  auto first = api::LoadAdminKey(*store_);
  auto second = api::LoadAdminKey(*store_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 64u);
  EXPECT_EQ(*first, *second);
  const std::string dir = NewStoreLocation("sqlite", "aih-admin-key");  // a scratch directory
  const std::string file = dir + "/admin.key";
  std::ofstream(file) << "  short\n";
  EXPECT_EQ(api::LoadAdminKey(*store_, file).status().code(), Code::kBadRequest);
  std::ofstream(file) << "\n" << kAdminKey << "\n";
  EXPECT_EQ(*api::LoadAdminKey(*store_, file), kAdminKey);
  EXPECT_FALSE(api::LoadAdminKey(*store_, dir + "/missing.key").ok());
  RemoveStoreLocation(dir);

  // A service without a configured key uses the store's.
  api::Service own(api::ServiceOptions{}, *store_, auth_, *policy_, odata::CursorSigner(std::string(32, 'k')));
  http::Request r;
  r.method = "GET";
  r.target = "/admin/tenants";
  r.headers = {{"x-aihistory-admin-key", *first}};
  EXPECT_EQ(own.Handle(r).status, 200);
  r.headers = {{"x-aihistory-admin-key", kAdminKey}};
  EXPECT_EQ(own.Handle(r).status, 401);
}

TEST_P(AdminApiTest, TenantsAreCreatedWithValidatedInput) {
  auto created = Admin("POST", "/admin/tenants", "{\"displayName\":\"Northwind\"}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonAt(created.body, "id");
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(JsonAt(Admin("GET", "/admin/tenants/" + id).body, "displayName"), "Northwind");
  EXPECT_EQ(JsonArraySize(Admin("GET", "/admin/tenants").body, "value"), 3u);
  auto fixed = Admin("POST", "/admin/tenants", "{\"id\":\"DDDDDDDD-0000-4000-8000-000000000000\",\"displayName\":\"D\"}");
  ASSERT_EQ(fixed.status, 201) << fixed.body;
  EXPECT_EQ(JsonAt(fixed.body, "id"), "dddddddd-0000-4000-8000-000000000000");

  struct Case {
    const char* body;
    int status;
    const char* says;
  } bad[] = {
      {"{\"id\":\"dddddddd-0000-4000-8000-000000000000\",\"displayName\":\"Again\"}", 409, "already exists"},
      {"{\"id\":\"' OR 1=1 --\",\"displayName\":\"X\"}", 400, "is not a GUID"},
      {"{}", 400, "displayName\" is required"},
      {"{\"displayName\":\"\"}", 400, "must not be empty"},
      {"{\"displayName\":\"X\",\"region\":\"eu\"}", 400, "unknown member \"region\""},
      {"{\"displayName\":7}", 400, "must be a string"},
      {"not json", 400, "not valid JSON"},
      {"", 400, "needs a JSON object body"},
  };
  for (const Case& c : bad) {
    auto r = Admin("POST", "/admin/tenants", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << ": " << r.body;
    EXPECT_NE(ErrorMessage(r).find(c.says), std::string::npos) << r.body;
  }
  EXPECT_EQ(Admin("GET", "/admin/tenants/' OR 1=1 --").status, 400);
  EXPECT_EQ(Admin("GET", "/admin/tenants/eeeeeeee-0000-4000-8000-000000000000").status, 404);
  EXPECT_EQ(JsonArraySize(Admin("GET", "/admin/tenants").body, "value"), 4u);
}

TEST_P(AdminApiTest, UsersAreImportedInBulkFromJsonOrCsvAllOrNothing) {
  auto json = Admin("POST", Tenant("/users"),
                    "[{\"userPrincipalName\":\"dan@contoso.example\",\"servicePlans\":[\"3f30311c-6b1e-48a4-ab79-725b469da960\"]},"
                    "{\"userPrincipalName\":\"ALICE@contoso.example\",\"displayName\":\"Alice Renamed\"}]");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(JsonAt(json.body, "created"), "1");
  EXPECT_EQ(JsonAt(json.body, "updated"), "1");
  EXPECT_EQ(JsonAt(json.body, "value.0.copilotLicensed"), "true");
  EXPECT_EQ(JsonAt(json.body, "value.1.id"), licensed_.id);
  EXPECT_EQ(JsonAt(json.body, "value.1.copilotLicensed"), "true") << "licenses stay when servicePlans is absent";

  auto csv = Admin("POST", Tenant("/users"),
                   "userPrincipalName,displayName,accountType,servicePlans\n"
                   "erin@contoso.example,\"Erin, E.\",work,3f30311c-6b1e-48a4-ab79-725b469da960\n"
                   "sam@outlook.example,Sam,personal,\n",
                   "text/csv; charset=utf-8");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(JsonAt(csv.body, "created"), "2");
  EXPECT_EQ(JsonAt(csv.body, "value.0.displayName"), "Erin, E.");
  EXPECT_EQ(JsonAt(csv.body, "value.1.accountType"), "personal");

  const size_t before = store_->directory().ListUsers(kTenantA, "", 100)->size();
  auto bad_row = Admin("POST", Tenant("/users"),
                       "userPrincipalName,accountType\nfrank@contoso.example,work\nbad upn,work\n", "text/csv");
  EXPECT_EQ(bad_row.status, 400) << bad_row.body;
  EXPECT_NE(ErrorMessage(bad_row).find("line 3"), std::string::npos) << bad_row.body;
  auto conflict = Admin("POST", Tenant("/users"),
                        "[{\"userPrincipalName\":\"gina@contoso.example\"},"
                        "{\"id\":\"dddddddd-0000-4000-8000-000000000000\",\"userPrincipalName\":\"bob@contoso.example\"}]");
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(Admin("POST", Tenant("/users"), "userPrincipalName\nx@y.example\n", "text/plain").status, 415);
  EXPECT_EQ(Admin("POST", Tenant("/users"), "[]").status, 400);
  EXPECT_EQ(Admin("POST", "/admin/tenants/eeeeeeee-0000-4000-8000-000000000000/users", "[{\"userPrincipalName\":\"x@y.example\"}]").status, 404);
  EXPECT_EQ(store_->directory().ListUsers(kTenantA, "", 100)->size(), before) << "a refused import changes nothing";
}

TEST_P(AdminApiTest, UsersAreReadPatchedLicensedAndDeleted) {
  auto got = Admin("GET", Tenant("/users/BOB@contoso.example"));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(JsonAt(got.body, "id"), unlicensed_.id);
  EXPECT_EQ(JsonAt(got.body, "servicePlans"), "[]");
  EXPECT_EQ(Admin("GET", std::string("/admin/tenants/") + kTenantB + "/users/" + unlicensed_.id).status, 404);

  auto patched = Admin("PATCH", Tenant("/users/" + unlicensed_.id), "{\"displayName\":\"Robert\",\"userPrincipalName\":\"robert@contoso.example\"}");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(JsonAt(patched.body, "userPrincipalName"), "robert@contoso.example");
  EXPECT_EQ(Admin("PATCH", Tenant("/users/robert@contoso.example"), "{\"accountType\":\"personal\"}").status, 400);
  EXPECT_EQ(Admin("PATCH", Tenant("/users/robert@contoso.example"), "{\"accountType\":\"work\"}").status, 200);
  EXPECT_EQ(Admin("PATCH", Tenant("/users/robert@contoso.example"), "{\"userPrincipalName\":\"alice@contoso.example\"}").status, 409);
  EXPECT_EQ(Admin("PATCH", Tenant("/users/robert@contoso.example"), "{\"userPrincipalName\":\"no at sign\"}").status, 400);

  const std::string plan = std::string("/licenses/") + store::kCopilotServicePlanId;
  EXPECT_EQ(Admin("PUT", Tenant("/users/robert@contoso.example" + plan)).status, 204);
  EXPECT_EQ(JsonAt(Admin("GET", Tenant("/users/" + unlicensed_.id)).body, "copilotLicensed"), "true");
  EXPECT_EQ(Admin("PUT", Tenant("/users/robert@contoso.example/licenses/copilot")).status, 400);
  EXPECT_EQ(Admin("PUT", Tenant("/users/nobody@contoso.example" + plan)).status, 404);
  EXPECT_EQ(Admin("DELETE", Tenant("/users/" + unlicensed_.id + plan)).status, 204);
  EXPECT_EQ(JsonAt(Admin("GET", Tenant("/users/" + unlicensed_.id)).body, "copilotLicensed"), "false");

  EXPECT_EQ(Admin("DELETE", Tenant("/users/" + unlicensed_.id)).status, 204);
  EXPECT_EQ(Admin("GET", Tenant("/users/" + unlicensed_.id)).status, 404);
  auto list = Admin("GET", Tenant("/users?top=2"));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(JsonArraySize(list.body, "value"), 2u);
  std::string next = JsonAt(list.body, "nextLink");
  ASSERT_NE(next, "<missing>");
  auto rest = Admin("GET", next);
  EXPECT_EQ(JsonArraySize(rest.body, "value"), 1u) << rest.body;
  EXPECT_EQ(Admin("GET", Tenant("/users?top=0")).status, 400);
  EXPECT_EQ(Admin("GET", Tenant("/users?top=abc")).status, 400);
}

TEST_P(AdminApiTest, ApplicationsGetASecretShownOnceAndKeptAsAHash) {
  auto created = Admin("POST", "/admin/applications",
                       std::string("{\"displayName\":\"Compliance tool\",\"homeTenantId\":\"") + kTenantA + "\"}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string client = JsonAt(created.body, "clientId");
  const std::string secret = JsonAt(created.body, "clientSecret.secretText");
  EXPECT_GE(secret.size(), 32u);
  EXPECT_EQ(JsonAt(created.body, "clientSecret.expiresDateTime"), "<null>");

  auto stored = store_->directory().ListSecrets(client);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].secret_hash.find(secret), std::string::npos) << "only a hash is stored";
  EXPECT_TRUE(*auth::VerifyClientSecret(secret, (*stored)[0].secret_hash));

  auto got = Admin("GET", "/admin/applications/" + client);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.find(secret), std::string::npos) << "a secret is never shown again";
  EXPECT_EQ(JsonAt(got.body, "secrets.0.hint"), secret.substr(0, 3));

  auto second = Admin("POST", "/admin/applications/" + client + "/secrets", "{\"lifetimeDays\":30}");
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_NE(JsonAt(second.body, "secretText"), secret);
  EXPECT_NE(JsonAt(second.body, "expiresDateTime"), "<null>");
  EXPECT_EQ(Admin("POST", "/admin/applications/" + client + "/secrets", "{\"lifetimeDays\":-1}").status, 400);
  EXPECT_EQ(Admin("DELETE", "/admin/applications/" + client + "/secrets/" + JsonAt(second.body, "secretId")).status, 204);
  EXPECT_EQ(store_->directory().ListSecrets(client)->size(), 1u);

  auto cert = http::MakeSelfSignedCertificate();
  ASSERT_TRUE(cert.ok());
  std::string body = "{\"certificate\":";
  model::AppendJsonString(body, cert->certificate_pem);
  auto added = Admin("POST", "/admin/applications/" + client + "/certificates", body + "}");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(JsonAt(added.body, "thumbprint").size(), 40u);
  EXPECT_EQ(Admin("POST", "/admin/applications/" + client + "/certificates", "{\"certificate\":\"not a pem\"}").status, 400);

  EXPECT_EQ(Admin("POST", "/admin/applications", "{\"displayName\":\"X\",\"homeTenantId\":\"eeeeeeee-0000-4000-8000-000000000000\"}").status, 404);
  EXPECT_EQ(Admin("POST", "/admin/applications", "{\"displayName\":\"X\"}").status, 400);
  EXPECT_EQ(Admin("GET", "/admin/applications/eeeeeeee-0000-4000-8000-000000000000").status, 404);
  EXPECT_EQ(JsonArraySize(Admin("GET", "/admin/applications").body, "value"), 5u);
}

TEST_P(AdminApiTest, ConsentGrantsOnlyKnownApplicationRoles) {
  const std::string consents = Tenant("/consents");
  auto bad_role = Admin("POST", consents, std::string("{\"clientId\":\"") + kWriterA2 + "\",\"roles\":[\"Directory.ReadWrite.All\"]}");
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_NE(ErrorMessage(bad_role).find("AiEnterpriseInteraction.Read.All"), std::string::npos);
  EXPECT_EQ(Admin("POST", consents, std::string("{\"clientId\":\"") + kWriterA2 + "\",\"roles\":[]}").status, 400);
  EXPECT_EQ(Admin("POST", consents, "{\"clientId\":\"eeeeeeee-0000-4000-8000-000000000000\",\"roles\":[\"AiEnterpriseInteraction.Read.All\"]}").status, 404);
  auto granted = Admin("POST", consents, std::string("{\"clientId\":\"") + kWriterA2 + "\",\"roles\":[\"AiEnterpriseInteraction.Read.All\"]}");
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(JsonAt(granted.body, "roles"), "[\"AiEnterpriseInteraction.Read.All\",\"AiEnterpriseInteraction.Write.All\"]");
  EXPECT_EQ(Admin("DELETE", consents + "/" + kWriterA2 + "/AiEnterpriseInteraction.Nope").status, 400);
  EXPECT_EQ(Admin("DELETE", consents + "/" + kWriterA2 + "/AiEnterpriseInteraction.Read.All").status, 204);
  auto list = Admin("GET", consents);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(JsonArraySize(list.body, "value"), 3u);
}

TEST_P(AdminApiTest, SourcesAreRegisteredValidatedAndToggled) {
  const std::string sources = Tenant("/sources");
  auto third = Admin("POST", sources, std::string("{\"appClass\":\"Northwind.Bot\",\"kind\":\"third-party\",\"writers\":[\"") + kWriterA2 + "\"]}");
  ASSERT_EQ(third.status, 201) << third.body;
  EXPECT_EQ(JsonAt(third.body, "exportEnabled"), "false") << "third-party export is opt-in";
  EXPECT_EQ(JsonAt(third.body, "writers.0"), kWriterA2);
  auto first = Admin("POST", sources, "{\"appClass\":\"IPM.SkypeTeams.Message.Copilot.Word\",\"kind\":\"first-party\"}");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(JsonAt(first.body, "exportEnabled"), "true");

  struct Case {
    const char* body;
    int status;
  } bad[] = {
      {"{\"appClass\":\"Northwind.Bot\",\"kind\":\"third-party\"}", 409},
      {"{\"appClass\":\"Northwind.Other\",\"kind\":\"first-party\"}", 400},
      {"{\"appClass\":\"Northwind.Other\"}", 400},
      {"{\"appClass\":\"Northwind.Other\",\"kind\":\"third-party\",\"writers\":[\"eeeeeeee-0000-4000-8000-000000000000\"]}", 404},
      {"{\"appClass\":\"Northwind.Other\",\"kind\":\"third-party\",\"writers\":[\"not-a-guid\"]}", 400},
      {"{\"appClass\":\"bad class; DROP TABLE\",\"kind\":\"third-party\"}", 400},
      {"{\"appClass\":\"Northwind.Other\",\"kind\":\"third-party\",\"exportEnabled\":\"yes\"}", 400},
  };
  for (const Case& c : bad) EXPECT_EQ(Admin("POST", sources, c.body).status, c.status) << c.body;
  EXPECT_EQ(store_->directory().ListSources(kTenantA)->size(), 6u);

  auto on = Admin("PATCH", sources + "/Northwind.Bot", "{\"exportEnabled\":true,\"displayName\":\"Northwind bot\"}");
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(JsonAt(on.body, "exportEnabled"), "true");
  EXPECT_EQ(JsonAt(Admin("GET", sources + "/Northwind.Bot").body, "displayName"), "Northwind bot");
  EXPECT_EQ(Admin("PATCH", sources + "/Missing.Bot", "{\"exportEnabled\":true}").status, 404);
  EXPECT_EQ(Admin("PUT", sources + "/Northwind.Bot/writers/" + kWriterA).status, 204);
  EXPECT_EQ(Admin("DELETE", sources + "/Northwind.Bot/writers/" + kWriterA2).status, 204);
  EXPECT_EQ(JsonAt(Admin("GET", sources + "/Northwind.Bot").body, "writers"), std::string("[\"") + kWriterA + "\"]");
  EXPECT_EQ(JsonArraySize(Admin("GET", sources).body, "value"), 6u);
}

TEST_P(AdminApiTest, InteractionsAreDeletedOneOrAllWithDeletedChanges) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "," + Item(licensed_.id, kFirstParty, "2") + "," +
                  Item(licensed_.id, kFirstParty, "3") + "," + Item(unlicensed_.id, kFirstParty, "1") + "]").status, 200);
  auto before = store_->changes().Peek(1000);
  ASSERT_TRUE(before.ok());
  const size_t created = before->size();

  auto one = Admin("DELETE", Tenant("/users/" + licensed_.upn + "/interactions/2"));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(JsonAt(one.body, "deleted"), "1");
  EXPECT_EQ(Admin("DELETE", Tenant("/users/" + licensed_.upn + "/interactions/2")).status, 404);
  auto all = Admin("DELETE", Tenant("/users/" + licensed_.id + "/interactions"));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(JsonAt(all.body, "deleted"), "2");
  EXPECT_EQ(StoredCount(kTenantA), 1) << "the other user's history stays";

  auto changes = store_->changes().Peek(1000);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), created + 3);
  for (size_t i = created; i < changes->size(); ++i) {
    EXPECT_EQ((*changes)[i].type, store::ChangeType::kDeleted);
    EXPECT_EQ((*changes)[i].user_id, licensed_.id);
  }
  // A user already removed from the directory can still be purged by object id.
  ASSERT_EQ(Admin("DELETE", Tenant("/users/" + unlicensed_.id)).status, 204);
  auto purge = Admin("DELETE", Tenant("/users/" + unlicensed_.id + "/interactions"));
  ASSERT_EQ(purge.status, 200) << purge.body;
  EXPECT_EQ(JsonAt(purge.body, "deleted"), "1");
  EXPECT_EQ(Admin("DELETE", Tenant("/users/nobody@contoso.example/interactions")).status, 404);
  EXPECT_EQ(Admin("DELETE", Tenant("/users/' OR 1=1 --/interactions")).status, 404);
  EXPECT_EQ(StoredCount(kTenantA), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, AdminApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
