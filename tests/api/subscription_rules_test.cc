// Graph's subscription rules as documented in 2026 (section 7), through POST/GET /subscriptions over
// the real store of each engine: a near expiration is raised to 45 minutes, latestSupportedTlsVersion
// and notificationUrlAppId are kept and returned, and Web Push properties on a webhook are refused
// without storing anything.
#include <chrono>
#include <memory>

#include "directory_fixture.h"
#include "http/server.h"
#include "model/timestamp.h"
#include "odata/percent_encoding.h"

namespace aih::testing {
namespace {

// A receiver that passes the validation handshake (echoes the decoded token) and accepts the rest.
class EchoReceiver {
 public:
  EchoReceiver() {
    http::ServerOptions o;
    o.http_port = 0;
    o.worker_threads = 2;
    server_ = std::move(*http::Server::Start(o, [](const http::Request& r) {
      http::Response response;
      const std::string_view query = r.query();
      const size_t at = query.find("validationToken=");
      if (at == std::string_view::npos) {
        response.status = 202;
        return response;
      }
      auto token = odata::PercentDecode(query.substr(at + 16), false);
      response.content_type = "text/plain";
      response.body = token.ok() ? *token : "";
      return response;
    }));
  }
  ~EchoReceiver() { server_->Stop(); }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server_->http_port()) + "/notify"; }

 private:
  std::unique_ptr<http::Server> server_;
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
std::string At(int64_t ms) { return model::Timestamp::FromUnixMillis(ms).ToString(); }
int64_t Ms(const std::string& text) {
  auto ts = model::Timestamp::Parse(text);
  return ts.ok() ? ts->UnixMillis() : -1;
}

constexpr int64_t kMinute = 60'000;

class SubscriptionRulesTest : public DirectoryApiTest {
 protected:
  http::Response Subscribe(int64_t expires_ms, const std::string& extra = "") {
    return Send("POST", "/v1.0/subscriptions",
                "{\"changeType\":\"created\",\"notificationUrl\":\"" + receiver_.Url() +
                    "\",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                    "\"expirationDateTime\":\"" + At(expires_ms) + "\"" + extra + "}",
                "exporter-a", {{"content-type", "application/json"}});
  }
  size_t Listed() { return JsonArraySize(Send("GET", "/v1.0/subscriptions", "", "exporter-a").body, "value"); }

  EchoReceiver receiver_;
};

TEST_P(SubscriptionRulesTest, ANearExpirationIsRaisedToFortyFiveMinutes) {
  const int64_t before = NowMs();
  http::Response r = Subscribe(before + 10 * kMinute);
  ASSERT_EQ(r.status, 201) << r.body;
  const int64_t kept = Ms(JsonAt(r.body, "expirationDateTime"));
  const int64_t after = NowMs();
  EXPECT_GE(kept, before + 45 * kMinute - 1000);  // the answer's time is whole milliseconds or coarser
  EXPECT_LE(kept, after + 45 * kMinute + 1000);
  http::Response renewed = Send("PATCH", "/v1.0/subscriptions/" + JsonAt(r.body, "id"),
                                "{\"expirationDateTime\":\"" + At(NowMs() - kMinute) + "\"}", "exporter-a",
                                {{"content-type", "application/json"}});
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  EXPECT_GE(Ms(JsonAt(renewed.body, "expirationDateTime")), before + 45 * kMinute - 1000);
}

TEST_P(SubscriptionRulesTest, TlsVersionAndNotificationUrlAppIdAreKeptAndReturned) {
  const std::string app_id = "0f7c1b2a-3d4e-4f50-8a9b-0c1d2e3f4a5b";
  http::Response r = Subscribe(NowMs() + 50 * kMinute, ",\"latestSupportedTlsVersion\":\"v1_3\",\"notificationUrlAppId\":\"" +
                                                           app_id + "\"");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(JsonAt(r.body, "latestSupportedTlsVersion"), "v1_3");
  EXPECT_EQ(JsonAt(r.body, "notificationUrlAppId"), app_id);
  http::Response got = Send("GET", "/v1.0/subscriptions/" + JsonAt(r.body, "id"), "", "exporter-a");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(JsonAt(got.body, "latestSupportedTlsVersion"), "v1_3");
  EXPECT_EQ(JsonAt(got.body, "notificationUrlAppId"), app_id);
}

TEST_P(SubscriptionRulesTest, TheDefaultsAreTls12AndNoAppId) {
  http::Response r = Subscribe(NowMs() + 50 * kMinute);
  ASSERT_EQ(r.status, 201) << r.body;
  http::Response got = Send("GET", "/v1.0/subscriptions/" + JsonAt(r.body, "id"), "", "exporter-a");
  EXPECT_EQ(JsonAt(got.body, "latestSupportedTlsVersion"), "v1_2");
  EXPECT_EQ(JsonAt(got.body, "notificationUrlAppId"), "<null>");
}

TEST_P(SubscriptionRulesTest, WebPushPropertiesOnAWebhookAreRefusedAndNothingIsStored) {
  for (const char* member : {"vapidPublicKey", "webPushEncryptionP256dhPublicKey", "webPushEncryptionSecret"}) {
    http::Response r = Subscribe(NowMs() + 50 * kMinute, ",\"" + std::string(member) + "\":\"BNcRdreALRFXTkOOUHK1\"");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(JsonAt(r.body, "error.code"), "BadRequest");
    EXPECT_NE(JsonAt(r.body, "error.message").find(member), std::string::npos) << r.body;
  }
  http::Response tls = Subscribe(NowMs() + 50 * kMinute, ",\"latestSupportedTlsVersion\":\"v1_4\"");
  EXPECT_EQ(tls.status, 400) << tls.body;
  EXPECT_EQ(Listed(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, SubscriptionRulesTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
