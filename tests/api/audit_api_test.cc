// The audit log through the API (api/audit_resource.h): what each kind of request records, and how
// the log is read, on every engine.
#include <algorithm>

#include "base/clock.h"
#include "directory_fixture.h"
#include "http/server.h"
#include "model/timestamp.h"
#include "odata/percent_encoding.h"

namespace aih::testing {
namespace {

class AuditApiTest : public DirectoryApiTest {
 protected:
  // Writes what the service queued (reads), then reads the log through the admin API.
  http::Response Audit(const std::string& query = "", const std::string& tenant = "",
                       std::vector<std::pair<std::string, std::string>> headers = {}) {
    Status flushed = service_->context().audit->Flush();
    EXPECT_TRUE(flushed.ok()) << flushed.message();
    headers.emplace_back("x-aihistory-admin-key", kAdminKey);
    const std::string path = tenant.empty() ? "/admin/audit" : "/admin/tenants/" + tenant + "/audit";
    return Send("GET", path + query, "", "", std::move(headers));
  }
  // The entries of `action`, as JSON texts.
  std::vector<std::string> Entries(const std::string& action) {
    auto r = Audit("?$top=1000&$filter=" + odata::PercentEncode("action eq '" + action + "'"));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    for (size_t i = 0; i < JsonArraySize(r.body, "value"); ++i) out.push_back(JsonAt(r.body, "value." + std::to_string(i)));
    return out;
  }
};

TEST_P(AuditApiTest, AnAdminChangeIsRecordedWithWhatItChangedBeforeAndAfter) {
  auto patched = Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id,
                       R"({"displayName":"Alice Smith"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto r = Audit("?$filter=" + odata::PercentEncode("action eq 'users.update'"));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(JsonArraySize(r.body, "value"), 1u) << r.body;
  EXPECT_EQ(JsonAt(r.body, "value.0.tenantId"), kTenantA);
  EXPECT_EQ(JsonAt(r.body, "value.0.actorKind"), "adminKey");
  EXPECT_EQ(JsonAt(r.body, "value.0.requestId"), "req");
  EXPECT_EQ(JsonAt(r.body, "value.0.outcome"), "success");
  EXPECT_EQ(JsonAt(r.body, "value.0.status"), "200");
  EXPECT_EQ(JsonAt(r.body, "value.0.details.before.displayName"), "Alice");
  EXPECT_EQ(JsonAt(r.body, "value.0.details.after.displayName"), "Alice Smith");

  // A refused change is on record too, as a failure with nothing after.
  auto refused = Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id, R"({"colour":"red"})");
  ASSERT_EQ(refused.status, 400);
  auto failures = Audit("?$filter=" + odata::PercentEncode("action eq 'users.update' and outcome eq 'failure'"));
  ASSERT_EQ(JsonArraySize(failures.body, "value"), 1u) << failures.body;
  EXPECT_EQ(JsonAt(failures.body, "value.0.status"), "400");

  // License, consent, source and tenant changes come through the same place.
  ASSERT_EQ(Admin("POST", "/admin/tenants", R"({"displayName":"Northwind"})").status, 201);
  ASSERT_EQ(Admin("DELETE", std::string("/admin/tenants/") + kTenantA + "/consents/" + kExporterA).status, 204);
  EXPECT_EQ(Entries("tenants.create").size(), 1u);
  auto consent = Entries("consents.delete");
  ASSERT_EQ(consent.size(), 1u);
  EXPECT_NE(consent[0].find(kExporterA), std::string::npos) << consent[0];  // the before lists the consent
}

TEST_P(AuditApiTest, AClientSecretIsNeverKept) {
  auto app = Admin("POST", "/admin/applications", std::string(R"({"displayName":"x","homeTenantId":")") + kTenantA + "\"}");
  ASSERT_EQ(app.status, 201) << app.body;
  const std::string secret = JsonAt(app.body, "clientSecret.secretText");
  ASSERT_GT(secret.size(), 10u);
  auto entries = Entries("applications.create");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].find(secret), std::string::npos) << entries[0];
  EXPECT_NE(entries[0].find("[redacted]"), std::string::npos) << entries[0];
}

TEST_P(AuditApiTest, AFailedAdminAuthenticationIsRecordedWithoutWhatWasPresented) {
  const std::string guess = "not-the-admin-key-but-a-guess-0123456789";
  EXPECT_EQ(Send("GET", "/admin/tenants", "", guess).status, 401);
  EXPECT_EQ(Send("GET", "/admin/tenants").status, 401);
  EXPECT_EQ(Send("DELETE", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id, "",
                 "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").status, 401);
  auto r = Audit("?$filter=" + odata::PercentEncode("action eq 'admin.authenticationFailed'"));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(JsonArraySize(r.body, "value"), 3u) << r.body;
  EXPECT_EQ(r.body.find(guess), std::string::npos);
  EXPECT_EQ(r.body.find("c2lnbmF0dXJl"), std::string::npos);
  EXPECT_EQ(JsonAt(r.body, "value.0.actorKind"), "anonymous");
  EXPECT_EQ(JsonAt(r.body, "value.0.actorId"), "192.0.2.1");
  EXPECT_EQ(JsonAt(r.body, "value.0.outcome"), "failure");
  EXPECT_EQ(JsonAt(r.body, "value.0.details.credential"), "bearerToken");
  EXPECT_EQ(JsonAt(r.body, "value.1.details.credential"), "none");
  EXPECT_EQ(JsonAt(r.body, "value.2.details.credential"), "bearerJwt");
  EXPECT_EQ(JsonAt(r.body, "value.2.tenantId"), kTenantA);  // the tenant the route names
  // Nothing was changed, so no change is on record.
  EXPECT_EQ(Entries("users.delete").size(), 0u);
}

TEST_P(AuditApiTest, EachExportRequestIsOneEntryWithWhatItAskedAndHowManyItReturned) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "," + Item(licensed_.id, kFirstParty, "2") + "," +
                  Item(licensed_.id, kThirdOn, "3") + "]").status, 200);
  auto page = ExportTenant("exporter-a", "?$top=2&$filter=" + odata::PercentEncode(std::string("appClass eq '") + kFirstParty + "'"));
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(Export(licensed_.id, "exporter-a", "?$search=hello").status, 200);
  EXPECT_EQ(Export(licensed_.id, "writer-exports-a").status, 403);

  auto exports = Entries("interactions.export");
  ASSERT_EQ(exports.size(), 2u);
  EXPECT_EQ(JsonAt(exports[0], "count"), "2");
  EXPECT_EQ(JsonAt(exports[0], "actorKind"), "app");
  EXPECT_EQ(JsonAt(exports[0], "actorId"), kExporterA);
  EXPECT_EQ(JsonAt(exports[0], "tenantId"), kTenantA);
  EXPECT_EQ(JsonAt(exports[0], "details.scope"), "tenant");
  EXPECT_EQ(JsonAt(exports[0], "details.filter"), std::string("appClass eq '") + kFirstParty + "'");
  EXPECT_EQ(JsonAt(exports[0], "details.top"), "2");
  // The refused one: who asked, for whom, and that it was refused.
  EXPECT_EQ(JsonAt(exports[1], "outcome"), "failure");
  EXPECT_EQ(JsonAt(exports[1], "status"), "403");
  EXPECT_EQ(JsonAt(exports[1], "actorId"), kWriterA);
  auto searches = Entries("interactions.search");
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(JsonAt(searches[0], "details.search"), "hello");
  EXPECT_EQ(JsonAt(searches[0], "details.scope"), "user");
  EXPECT_EQ(JsonAt(searches[0], "details.userId"), licensed_.id);
}

TEST_P(AuditApiTest, AnEDiscoverySearchAndItsExportAreEachRecordedWithWhatTheyAskedAndFound) {
  const std::string hello = R"(,"body":{"contentType":"text","content":"hello there"})";
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1", hello) + "," + Item(licensed_.id, kFirstParty, "2", hello) +
                  "," + Item(licensed_.id, kThirdOn, "3", hello) + "," + Item(licensed_.id, kFirstParty, "4") + "]").status,
            200);
  const std::string query = "?$search=hello&$filter=" + odata::PercentEncode(std::string("appClass eq '") + kFirstParty + "'");
  auto statistics = Admin("GET", std::string("/admin/tenants/") + kTenantA + "/search/statistics" + query);
  ASSERT_EQ(statistics.status, 200) << statistics.body;
  auto exported = Admin("GET", std::string("/admin/tenants/") + kTenantA + "/search/export" + query);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(Admin("GET", std::string("/admin/tenants/") + kTenantA + "/search/export?$search=%22open").status, 400);

  auto counted = Entries("interactions.searchStatistics");
  ASSERT_EQ(counted.size(), 1u);
  EXPECT_EQ(JsonAt(counted[0], "count"), "2");
  EXPECT_EQ(JsonAt(counted[0], "actorKind"), "adminKey");
  EXPECT_EQ(JsonAt(counted[0], "tenantId"), kTenantA);
  EXPECT_EQ(JsonAt(counted[0], "details.search"), "hello");
  EXPECT_EQ(JsonAt(counted[0], "details.filter"), std::string("appClass eq '") + kFirstParty + "'");
  auto exports = Entries("interactions.searchExport");
  ASSERT_EQ(exports.size(), 2u);
  EXPECT_EQ(JsonAt(exports[0], "count"), "2");
  EXPECT_EQ(JsonAt(exports[0], "outcome"), "success");
  EXPECT_EQ(JsonAt(exports[0], "details.search"), "hello");
  // The malformed query: refused, and on record as refused.
  EXPECT_EQ(JsonAt(exports[1], "outcome"), "failure");
  EXPECT_EQ(JsonAt(exports[1], "status"), "400");
  EXPECT_EQ(JsonAt(exports[1], "count"), "0");
}

TEST_P(AuditApiTest, AnAdminDeletionIsRecordedByTheRouteAndByTheDeletionWithItsCount) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "," + Item(licensed_.id, kFirstParty, "2") + "]").status, 200);
  auto deleted = Admin("DELETE", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id + "/interactions");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  auto route = Entries("users.interactions.delete");
  ASSERT_EQ(route.size(), 1u);
  EXPECT_EQ(JsonAt(route[0], "details.response.deleted"), "2");
  auto deletion = Entries("interactions.delete");
  ASSERT_EQ(deletion.size(), 1u);
  EXPECT_EQ(JsonAt(deletion[0], "count"), "2");
  EXPECT_EQ(JsonAt(deletion[0], "tenantId"), kTenantA);
  EXPECT_EQ(JsonAt(deletion[0], "requestId"), "req") << "the deletion's entry names the request that asked";
}

TEST_P(AuditApiTest, AnErasureIsRecordedWithTheRequestThatAskedForIt) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "]").status, 200);
  auto erased = Admin("POST", std::string("/admin/tenants/") + kTenantA + "/erasures",
                      R"({"user":")" + licensed_.id + R"("})");
  ASSERT_EQ(erased.status, 200) << erased.body;
  auto erasure = Entries("interactions.erase");
  ASSERT_EQ(erasure.size(), 1u);
  EXPECT_EQ(JsonAt(erasure[0], "count"), "1");
  EXPECT_EQ(JsonAt(erasure[0], "requestId"), "req");
}

// A subscription whose receiver fails the validation handshake is not made, and its refusal is on
// record: a failed subscriptions.create naming what was asked and why it was refused.
TEST_P(AuditApiTest, ASubscriptionRefusedByItsHandshakeIsRecordedAsAFailureWithTheReason) {
  http::ServerOptions o;
  o.http_port = 0;
  o.worker_threads = 1;
  // Answers every handshake 200 with a body that is not the validation token.
  auto receiver = http::Server::Start(o, [](const http::Request&) {
    http::Response response;
    response.content_type = "text/plain";
    response.body = "not the token";
    return response;
  });
  ASSERT_TRUE(receiver.ok()) << receiver.status().message();
  const std::string url = "http://127.0.0.1:" + std::to_string((*receiver)->http_port()) + "/notify";
  auto r = Send("POST", "/v1.0/subscriptions",
                "{\"changeType\":\"created\",\"notificationUrl\":\"" + url +
                    "\",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                    "\"expirationDateTime\":\"" + model::Timestamp::FromUnixMillis(SystemClock().NowMillis() + 3'600'000).ToString() + "\"}",
                "exporter-a", {{"content-type", "application/json"}});
  (*receiver)->Stop();
  ASSERT_EQ(r.status, 400) << r.body;
  auto entries = Entries("subscriptions.create");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(JsonAt(entries[0], "outcome"), "failure");
  EXPECT_EQ(JsonAt(entries[0], "status"), "400");
  EXPECT_EQ(JsonAt(entries[0], "requestId"), "req");
  EXPECT_EQ(JsonAt(entries[0], "details.notificationUrl"), url);
  EXPECT_NE(JsonAt(entries[0], "details.reason").find("notificationUrl"), std::string::npos) << entries[0];
}

TEST_P(AuditApiTest, NoRouteChangesOrDeletesAnEntry) {
  ASSERT_EQ(Admin("POST", "/admin/tenants", R"({"displayName":"Northwind"})").status, 201);
  for (const char* method : {"PUT", "PATCH", "DELETE", "POST"}) {
    for (const std::string& path : {std::string("/admin/audit"), std::string("/admin/tenants/") + kTenantA + "/audit"}) {
      auto r = Admin(method, path, "{}");
      EXPECT_EQ(r.status, 405) << method << " " << path << ": " << r.body;
    }
  }
  EXPECT_EQ(Entries("tenants.create").size(), 1u);
}

TEST_P(AuditApiTest, ATenantsRouteShowsOnlyItsOwnEntries) {
  ASSERT_EQ(Admin("PATCH", std::string("/admin/tenants/") + kTenantB + "/users/" + tenant_b_user_.id,
                  R"({"displayName":"Carol B"})").status, 200);
  ASSERT_EQ(Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id,
                  R"({"displayName":"Alice A"})").status, 200);
  auto a = Audit("?$filter=" + odata::PercentEncode("action eq 'users.update'"), kTenantA);
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_EQ(JsonArraySize(a.body, "value"), 1u) << a.body;
  EXPECT_EQ(JsonAt(a.body, "value.0.tenantId"), kTenantA);
  // Naming the other tenant in the filter does not reach it.
  auto b = Audit("?$filter=" + odata::PercentEncode(std::string("tenantId eq '") + kTenantB + "'"), kTenantA);
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(JsonArraySize(b.body, "value"), 0u) << b.body;
  EXPECT_EQ(a.body.find(kTenantB), std::string::npos);
  // Nor does a cursor of the deployment-wide route.
  auto all = Audit("?$top=1");
  const std::string next = JsonAt(all.body, "@odata.nextLink");
  ASSERT_NE(next.find("$skiptoken="), std::string::npos) << all.body;
  auto stolen = Audit("?" + next.substr(next.find("$skiptoken=")), kTenantA);
  EXPECT_EQ(stolen.status, 400) << stolen.body;
}

TEST_P(AuditApiTest, ABadFilterOrTopIs400NamingTheProblem) {
  auto bad = Audit("?$filter=" + odata::PercentEncode("colour eq 'red'"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(JsonAt(bad.body, "error.message").find("colour"), std::string::npos) << bad.body;
  auto or_filter = Audit("?$filter=" + odata::PercentEncode("action eq 'a' or action eq 'b'"));
  EXPECT_EQ(or_filter.status, 400);
  EXPECT_NE(JsonAt(or_filter.body, "error.message").find("'or'"), std::string::npos) << or_filter.body;
  auto date = Audit("?$filter=" + odata::PercentEncode("createdDateTime ge yesterday"));
  EXPECT_EQ(date.status, 400);
  EXPECT_NE(JsonAt(date.body, "error.message").find("yesterday"), std::string::npos) << date.body;
  EXPECT_EQ(Audit("?$top=0").status, 400);
  EXPECT_EQ(Audit("?$top=1001").status, 400);
  EXPECT_EQ(Audit("?$skiptoken=forged").status, 400);
}

TEST_P(AuditApiTest, PagesFollowTheNextLinkAndNdjsonCarriesItInALinkHeader) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Admin("POST", "/admin/tenants", "{\"displayName\":\"T" + std::to_string(i) + "\"}").status, 201);
  }
  const std::string filter = "?$top=2&$filter=" + odata::PercentEncode("action eq 'tenants.create'");
  std::vector<std::string> names;
  std::string query = filter;
  for (int pages = 0; pages < 10 && !query.empty(); ++pages) {
    auto r = Audit(query);
    ASSERT_EQ(r.status, 200) << r.body;
    for (size_t i = 0; i < JsonArraySize(r.body, "value"); ++i) {
      names.push_back(JsonAt(r.body, "value." + std::to_string(i) + ".details.response.displayName"));
    }
    // An entry appended while paging comes on a later page, never in place of one.
    if (pages == 0) {
      ASSERT_EQ(Admin("POST", "/admin/tenants", R"({"displayName":"T5"})").status, 201);
    }
    const std::string next = JsonAt(r.body, "@odata.nextLink");
    query = next == "<missing>" ? "" : next.substr(next.find('?'));
  }
  EXPECT_EQ(names.size(), 6u);

  auto nd = Audit(filter, "", {{"accept", "application/x-ndjson"}});
  ASSERT_EQ(nd.status, 200) << nd.body;
  EXPECT_NE(nd.content_type.find("application/x-ndjson"), std::string::npos);
  EXPECT_EQ(std::count(nd.body.begin(), nd.body.end(), '\n'), 2);
  EXPECT_EQ(nd.body.rfind("{\"id\":", 0), 0u) << nd.body;  // an entry per line, no envelope
  EXPECT_NE(nd.body.find("\n{\"id\":"), std::string::npos) << nd.body;
  bool link = false;
  for (const auto& [name, value] : nd.headers) link |= name == "Link" && value.find("rel=\"next\"") != std::string::npos;
  EXPECT_TRUE(link);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
