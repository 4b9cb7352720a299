// A subscriber cannot hold the request workers with validation handshakes: forty subscription requests
// naming a receiver that accepts connections and never answers (each handshake waits its full 10 s)
// leave another tenant's export as prompt as ever, and the requests over the handshake bounds are
// answered at once with 429 and Retry-After. Before the bounds, the forty held all 32 workers and the
// export waited for the first handshake to time out. A handshake holds no worker at all: with two
// workers and four handshakes waiting, exports, writes and token requests are all answered while
// every handshake still waits.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "integration_fixture.h"
#include "model/timestamp.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// A tenant-wide subscription to created interactions, sent to `url`, for 50 minutes.
std::string SubscriptionTo(const std::string& url) {
  const auto expiration = model::Timestamp::FromUnixMillis(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          (std::chrono::system_clock::now() + 50min).time_since_epoch()).count()).ToString();
  return "{\"changeType\":\"created\",\"notificationUrl\":" + Quote(url) +
         ",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
         "\"expirationDateTime\":" + Quote(expiration) + "}";
}

// A loopback TCP listener that accepts every connection and never says a word.
class SilentReceiver {
 public:
  SilentReceiver() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(fd_, 256), 0);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;  // closed
        std::lock_guard lock(mu_);
        held_.push_back(c);
        ++accepted_;
      }
    });
  }
  ~SilentReceiver() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
    std::lock_guard lock(mu_);
    for (int c : held_) close(c);  // the handshakes still waiting fail at once
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/notify"; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<int> held_;
  std::atomic<int> accepted_{0};
};

class HandshakeIsolationTest : public ServerTest {
 protected:
  HttpResult Admin(const std::string& method, const std::string& target, const std::string& body) {
    return client_->Send(method, target, {{"X-Aihistory-Admin-Key", demo_.admin_key}, {"Content-Type", "application/json"}},
                         body);
  }
  // A new tenant with an app allowed to subscribe to its tenant-wide history; returns the app's token.
  std::string AttackerToken() {
    auto tenant = Admin("POST", "/admin/tenants", "{\"displayName\":\"Fabrikam\"}");
    EXPECT_EQ(tenant.status, 201) << tenant.body;
    const std::string tenant_id = JsonValue(tenant.body, "id");
    auto app = Admin("POST", "/admin/applications", "{\"displayName\":\"subscriber\",\"homeTenantId\":" + Quote(tenant_id) + "}");
    EXPECT_EQ(app.status, 201) << app.body;
    const std::string client_id = JsonValue(app.body, "clientId");
    auto consent = Admin("POST", "/admin/tenants/" + tenant_id + "/consents",
                         "{\"clientId\":" + Quote(client_id) + ",\"roles\":[\"AiEnterpriseInteraction.Read.All\"]}");
    EXPECT_EQ(consent.status, 200) << consent.body;
    return FetchToken(*client_, tenant_id, client_id, JsonValue(app.body, "clientSecret.secretText"));
  }
};

TEST_P(HandshakeIsolationTest, SilentReceiversDoNotDelayAnotherTenantsExport) {
  ASSERT_EQ(Write(Item("victim-1")).status, 200);
  const std::string attacker = AttackerToken();
  ASSERT_FALSE(attacker.empty());
  auto silent_owner = std::make_unique<SilentReceiver>();
  SilentReceiver& silent = *silent_owner;
  const std::string body = SubscriptionTo(silent.Url());
  constexpr int kRequests = 40;
  constexpr int kWorkers = 32;  // serve's default --workers
  std::mutex mu;
  std::vector<HttpResult> answers;
  std::vector<std::thread> subscribers;
  for (int i = 0; i < kRequests; ++i) {
    subscribers.emplace_back([&] {
      HttpClient c(server_->port());
      auto r = c.Send("POST", "/v1.0/subscriptions",
                      {{"Authorization", "Bearer " + attacker}, {"Content-Type", "application/json"}}, body);
      std::lock_guard lock(mu);
      answers.push_back(r);
    });
  }
  // Wait until every request is either in a handshake or answered, or until as many are in
  // handshakes as there are workers (which is where it stood before the bounds).
  auto settled = [&] {
    std::lock_guard lock(mu);
    return silent.accepted() + static_cast<int>(answers.size()) >= kWorkers;
  };
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!settled() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(settled());

  // The handshakes wait 10 s for the silent receiver: an export waiting for them would take that long.
  // Not a timing assertion: a tenth of it is a margin of hundreds over an export's few milliseconds.
  const auto start = std::chrono::steady_clock::now();
  auto exported = Export();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(exported.status, 200) << exported.body;
  EXPECT_LT(took, 1s) << "the export waited " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                      << " ms behind the handshakes";

  {
    std::lock_guard lock(mu);
    ASSERT_FALSE(answers.empty());
    for (const auto& r : answers) {  // those answered already: over the bounds, answered at once
      EXPECT_EQ(r.status, 429) << r.body;
      EXPECT_EQ(r.headers.count("retry-after"), 1u);
      EXPECT_NE(JsonValue(r.body, "error.message").find("validation handshakes in progress"), std::string::npos)
          << r.body;
    }
  }
  EXPECT_LE(silent.accepted(), 4);  // at most serve's default bound per tenant
  silent_owner.reset();  // the handshakes still waiting fail at once
  for (auto& t : subscribers) t.join();
}

TEST_P(HandshakeIsolationTest, WaitingHandshakesHoldNoWorker) {
  server_.reset();
  StartServer({"--workers", "2"});
  ASSERT_EQ(Write(Item("victim-1")).status, 200);
  // Two tenants' subscribers, each at its app's bound of 2: four handshakes, twice the workers.
  const std::vector<std::string> attackers = {AttackerToken(), AttackerToken()};
  auto silent_owner = std::make_unique<SilentReceiver>();
  SilentReceiver& silent = *silent_owner;
  const std::string body = SubscriptionTo(silent.Url());
  std::mutex mu;
  std::vector<HttpResult> answers;
  std::vector<std::thread> subscribers;
  for (const std::string& token : attackers) {
    ASSERT_FALSE(token.empty());
    for (int i = 0; i < 2; ++i) {
      subscribers.emplace_back([&, token] {
        HttpClient c(server_->port());
        auto r = c.Send("POST", "/v1.0/subscriptions",
                        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, body);
        std::lock_guard lock(mu);
        answers.push_back(r);
      });
    }
  }
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (silent.accepted() < 4 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  // Before: the first two handshakes held both workers, and the other two requests never reached theirs.
  ASSERT_EQ(silent.accepted(), 4) << "the handshakes did not all start: they hold the workers";

  // With both workers free, everyone else is served at once. Not a timing assertion: the handshakes
  // time out after 10 s, so were any of these waiting for a worker, a subscription answer would come first.
  auto exported = Export();
  EXPECT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(Write(Item("victim-2")).status, 200);
  EXPECT_FALSE(FetchToken(*client_, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret).empty());
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(answers.empty()) << "a handshake ended before the others were served: " << answers.front().body;
  }
  silent_owner.reset();  // the handshakes still waiting fail at once
  for (auto& t : subscribers) t.join();
  ASSERT_EQ(answers.size(), 4u);
  for (const auto& r : answers) {  // each answered, on its own connection, with the handshake's failure
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.headers.count("request-id"), 1u);
    EXPECT_NE(JsonValue(r.body, "error.message").find("Subscription validation request failed"), std::string::npos)
        << r.body;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, HandshakeIsolationTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
