// The service over real HTTP: headers, limits, errors on the wire, keep-alive.
#include "integration_fixture.h"

namespace aih::testing {
namespace {

TEST_P(ServerTest, HealthAndRequestIds) {
  auto r = client_->Send("GET", "/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(JsonValue(r.body, "status"), "ok");
  auto e = client_->Send("GET", "/v1.0/copilot/users/" + demo_.licensed_user + "/interactionHistory/getAllEnterpriseInteractions",
                         {{"Authorization", "Bearer " + exporter_token_}, {"client-request-id", "abc-123"}});
  EXPECT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.headers["client-request-id"], "abc-123");
  EXPECT_EQ(e.headers["request-id"].size(), 36u);
  EXPECT_NE(e.headers["content-type"].find("application/json"), std::string::npos);
}

TEST_P(ServerTest, WriteThenExportOverTheWireWithAbsoluteNextLink) {
  std::string batch = "[";
  for (int i = 0; i < 25; ++i) batch += (i ? "," : "") + Item("w" + std::to_string(i), "2026-02-01T10:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "Z");
  batch += "]";
  auto w = Write(batch);
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(JsonValue(w.body, "stored"), "25");
  auto page = Export("?$top=10&$filter=appClass%20eq%20'" + demo_.first_party_app_class + "'");
  ASSERT_EQ(page.status, 200) << page.body;
  std::string next = JsonValue(page.body, "@odata.nextLink");
  std::string base = "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1.0/";
  EXPECT_EQ(next.rfind(base, 0), 0u) << next;
}

TEST_P(ServerTest, OversizedBodyIs413BeforeItIsRead) {
  std::string body(10 * 1024 * 1024, ' ');
  auto r = Write(body);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(JsonValue(r.body, "error.code"), "RequestEntityTooLarge");
  EXPECT_NE(r.headers["content-type"].find("application/json"), std::string::npos);
  // The server is still fine afterwards.
  HttpClient fresh(server_->port());
  EXPECT_EQ(fresh.Send("GET", "/health").status, 200);
}

TEST_P(ServerTest, MalformedHttpGetsAGraphShaped400) {
  HttpClient raw(server_->port());
  auto r = raw.SendRaw("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonValue(r.body, "error.code"), "BadRequest");
}

TEST_P(ServerTest, ErrorsOnTheWireCarryJsonContentTypeAndAuthenticateHeader) {
  auto r = client_->Send("GET", "/v1.0/copilot/users/" + demo_.licensed_user + "/interactionHistory/getAllEnterpriseInteractions");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.headers["www-authenticate"].find("Bearer"), std::string::npos);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  auto nf = client_->Send("GET", "/v1.0/nowhere", {{"Authorization", "Bearer " + exporter_token_}});
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(JsonValue(nf.body, "error.code"), "ResourceNotFound");
  auto m = client_->Send("DELETE", "/v1.0/copilot/users/" + demo_.licensed_user + "/interactionHistory/getAllEnterpriseInteractions",
                         {{"Authorization", "Bearer " + exporter_token_}});
  EXPECT_EQ(m.status, 405);
}

TEST_P(ServerTest, ExpectContinueIsHonoured) {
  auto r = client_->Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                         {{"Authorization", "Bearer " + writer_token_}, {"Content-Type", "application/json"}, {"Expect", "100-continue"}},
                         "[" + Item("e1") + "]");
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_P(ServerTest, NdjsonOverTheWire) {
  auto r = Write(Item("n1") + "\n" + Item("n2") + "\n", "application/x-ndjson");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonValue(r.body, "stored"), "2");
}

INSTANTIATE_TEST_SUITE_P(Engines, ServerTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
