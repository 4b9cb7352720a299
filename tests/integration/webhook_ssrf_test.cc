// Server-side request forgery through change notifications (docs/notifications.md, "Which receivers"):
// by default a subscriber cannot make the server call loopback, private, link-local or any other
// non-public address, in any spelling, nor a plain http URL; `serve --webhook-allow-network` and
// `--webhook-allow-http` let such receivers through; and every delivery checks the address it
// connects to again, so a receiver that is no longer allowed gets nothing.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration_fixture.h"
#include "model/timestamp.h"
#include "support/webhook_receiver.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string In(std::chrono::minutes m) {
  auto at = std::chrono::system_clock::now() + m;
  return model::Timestamp::FromUnixMillis(
             std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count())
      .ToString();
}

class WebhookSsrfTest : public ServerTest {
 protected:
  // Restarts the server on the same store with the default receiver policy plus `extra`.
  void Restart(const std::vector<std::string>& extra) {
    client_.reset();
    server_.reset();
    StartServer(extra, /*loopback_receivers=*/false);
  }
  HttpResult Subscribe(const std::string& url, const std::string& lifecycle_url = "") {
    std::string body = "{\"changeType\":\"created\",\"notificationUrl\":" + Quote(url) +
                       ",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                       "\"expirationDateTime\":" + Quote(In(50min));
    if (!lifecycle_url.empty()) body += ",\"lifecycleNotificationUrl\":" + Quote(lifecycle_url);
    return client_->Send("POST", "/v1.0/subscriptions",
                         {{"Authorization", "Bearer " + exporter_token_}, {"Content-Type", "application/json"}},
                         body + "}");
  }
  size_t Stored() {
    return JsonLength(client_->Send("GET", "/v1.0/subscriptions", {{"Authorization", "Bearer " + exporter_token_}}).body,
                      "value");
  }
};

TEST_P(WebhookSsrfTest, EverySpellingOfANonPublicReceiverIsRefusedAtCreate) {
  // Plain http allowed, so that each spelling of loopback would reach the receiver were it not refused.
  Restart({"--webhook-allow-http"});
  WebhookReceiver receiver;  // on loopback: nothing may reach it
  const std::string p = ":" + std::to_string(receiver.port());
  const std::string own = ":" + std::to_string(server_->port());
  const std::vector<std::string> urls = {
      "http://127.0.0.1" + p + "/notify",  "http://127.1" + p + "/notify",
      "http://2130706433" + p + "/notify", "http://0x7f000001" + p + "/notify",
      "http://0177.0.0.1" + p + "/notify", "http://0.0.0.0" + p + "/notify",
      "http://[::ffff:127.0.0.1]" + p + "/notify", "http://[::1]" + p + "/notify",
      "http://localhost" + p + "/notify",  "http://LocalHost." + p + "/notify",
      "http://127.0.0.1" + own + "/admin/tenants",  // the server's own admin routes
      "http://169.254.169.254/latest/meta-data/",   // the cloud metadata service
      "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/",
      "http://[fd00::1]/", "http://[fe80::1]/", "http://224.0.0.1/", "http://[::ffff:10.0.0.1]/"};
  for (const std::string& url : urls) {
    auto r = Subscribe(url);
    EXPECT_EQ(r.status, 400) << url << " " << r.body;
    const std::string message = JsonValue(r.body, "error.message");
    EXPECT_NE(message.find("notificationUrl"), std::string::npos) << message;
    EXPECT_NE(message.find("--webhook-allow-network"), std::string::npos) << message;
    // The same as the lifecycle URL (checked before any receiver is called).
    auto lifecycle = Subscribe("https://receiver.invalid/notify", url);
    EXPECT_EQ(lifecycle.status, 400) << url << " " << lifecycle.body;
    EXPECT_NE(JsonValue(lifecycle.body, "error.message").find("lifecycleNotificationUrl"), std::string::npos)
        << lifecycle.body;
  }
  EXPECT_EQ(receiver.handshakes(), 0);
  // By default plain http is refused too, wherever it points.
  Restart({});
  auto http = Subscribe("http://receiver.invalid/notify");
  EXPECT_EQ(http.status, 400);
  EXPECT_NE(JsonValue(http.body, "error.message").find("https"), std::string::npos) << http.body;
  EXPECT_NE(JsonValue(http.body, "error.message").find("--webhook-allow-http"), std::string::npos) << http.body;
  EXPECT_EQ(receiver.handshakes(), 0);
  EXPECT_EQ(Stored(), 0u);
}

TEST_P(WebhookSsrfTest, TheAllowListLetsLoopbackThroughAndEveryDeliveryChecksAgain) {
  WebhookReceiver receiver;
  Restart({"--webhook-allow-http"});
  EXPECT_EQ(Subscribe(receiver.Url()).status, 400);  // loopback, not allowed
  EXPECT_EQ(receiver.handshakes(), 0);

  Restart({"--webhook-allow-http", "--webhook-allow-network", "127.0.0.1/32"});
  auto created = Subscribe(receiver.Url());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(receiver.handshakes(), 1);
  const std::string id = JsonValue(created.body, "id");

  // The allowance withdrawn, the stored receiver is not called: the address is checked at delivery.
  Restart({"--webhook-allow-http"});
  auto written = Write(Item("ssrf-1"));
  ASSERT_EQ(written.status, 200) << written.body;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  auto refused = [&] {
    const std::string log = server_->Log();
    const size_t at = log.find("\"event\":\"notification_delivery_failed\"");
    const size_t line_end = at == std::string::npos ? at : log.find('\n', at);
    const std::string line = at == std::string::npos ? "" : log.substr(at, line_end - at);
    return line.find("\"subscription\":\"" + id + "\"") != std::string::npos &&
           line.find("loopback") != std::string::npos;
  };
  while (!refused() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(refused()) << server_->Log();
  EXPECT_EQ(receiver.count(), 0u);

  // Allowed again, the change is delivered after all (it was kept for a retry).
  Restart({"--webhook-allow-http", "--webhook-allow-network", "127.0.0.0/8"});
  EXPECT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 1; }));
}

TEST_P(WebhookSsrfTest, AnAllowedRangeMustParse) {
  std::string output;
  EXPECT_EQ(RunAihistory({"serve", "--store", store_, "--port", "0", "--webhook-allow-network", "10.0.0/8"}, &output), 2)
      << output;
  EXPECT_NE(output.find("--webhook-allow-network"), std::string::npos) << output;
  EXPECT_NE(output.find("CIDR"), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(Engines, WebhookSsrfTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
