// Several `aihistory serve` processes over one PostgreSQL database, over real HTTP (docs/scale-out.md):
// any server answers any request. A token issued by one server is accepted by another (the signing
// keys are rows of the database, and the servers share --public-url, hence one issuer); a write
// acknowledged by one is in the next export of another; a nextLink from one continues on another;
// the servers' notification workers share the work, each change told once, and what a killed server
// left pending is delivered by the other; when PostgreSQL itself restarts under load, the servers
// answer 503 with Retry-After, lose no acknowledged write and recover without a restart.
// PostgreSQL only: skipped without AIH_TEST_POSTGRES_URL. The store-level twins (several Store
// objects in one process) are in tests/store/postgres_store_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "model/timestamp.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/postgres_server.h"
#include "support/server_process.h"
#include "support/store_engines.h"
#include "support/webhook_receiver.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

// The URL clients use: a load balancer in front of the servers. Every server of a deployment is
// started with it, so they sign tokens as one issuer and write the same nextLinks.
constexpr const char* kPublicUrl = "http://history.aihistory.test";

// One `aihistory serve` of the deployment and a client of its port.
struct Server {
  std::unique_ptr<ServerProcess> process;
  std::unique_ptr<HttpClient> client;
  explicit operator bool() const { return process != nullptr; }
};

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// The path and query of an absolute nextLink, to send to whichever server.
std::string PathOf(const std::string& link) {
  const size_t scheme = link.find("://");
  const size_t path = scheme == std::string::npos ? 0 : link.find('/', scheme + 3);
  return path == std::string::npos ? link : link.substr(path);
}

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresServerUrl().empty()) GTEST_SKIP() << "AIH_TEST_POSTGRES_URL is not set";
    Deploy(CreateThrowawaySchema());
  }
  void TearDown() override {
    a_ = {};
    b_ = {};
    if (!store_.empty()) RemoveStoreLocation(store_);
    std::error_code ec;
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
  }

  // The demo tenant in `store` (a throwaway schema), servers A and B over it, and tokens from A.
  void Deploy(const std::string& store) {
    store_ = store;
    ASSERT_FALSE(store_.empty());
    data_dir_ = MakeTempDir("aih-scale-out");
    demo_ = DemoTenant::Create(store_, data_dir_);
    ASSERT_NE(demo_.tenant_id, "<missing>");
    a_ = StartServer();
    b_ = StartServer();
    ASSERT_TRUE(a_ && b_);
    exporter_token_ = FetchToken(*a_.client, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret);
    writer_token_ = FetchToken(*a_.client, demo_.tenant_id, demo_.writer_id, demo_.writer_secret);
    ASSERT_FALSE(exporter_token_.empty());
    ASSERT_FALSE(writer_token_.empty());
  }
  Server StartServer(const std::string& public_url = kPublicUrl) {
    Server s;
    s.process = ServerProcess::Start(store_, {"--public-url", public_url});
    if (s.process) s.client = std::make_unique<HttpClient>(s.process->port());
    return s;
  }

  HttpResult Export(Server& server, const std::string& query, const std::string& token = "") {
    return server.client->Send("GET",
                               "/v1.0/copilot/users/" + demo_.licensed_user +
                                   "/interactionHistory/getAllEnterpriseInteractions" + query,
                               {{"Authorization", "Bearer " + (token.empty() ? exporter_token_ : token)}});
  }
  HttpResult Write(Server& server, const std::string& body) {
    return server.client->Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                               {{"Authorization", "Bearer " + writer_token_}, {"Content-Type", "application/json"}},
                               body);
  }
  // An aiInteraction of the demo's licensed user in the first-party appClass.
  std::string Item(const std::string& id, const std::string& created, const std::string& content = "") {
    return "{\"@aihistory.userId\":" + Quote(demo_.licensed_user) + ",\"id\":" + Quote(id) +
           ",\"appClass\":" + Quote(demo_.first_party_app_class) +
           ",\"interactionType\":\"userPrompt\",\"createdDateTime\":" + Quote(created) +
           ",\"body\":{\"contentType\":\"text\",\"content\":" + Quote(content.empty() ? "prompt " + id : content) +
           "}}";
  }
  // Every id the licensed user has in [from, to), read page by page from `server`.
  std::vector<std::string> IdsBetween(Server& server, const std::string& from, const std::string& to) {
    std::vector<std::string> ids;
    std::string target = "/v1.0/copilot/users/" + demo_.licensed_user +
                         "/interactionHistory/getAllEnterpriseInteractions?$top=1000&$filter=createdDateTime%20ge%20" +
                         from + "%20and%20createdDateTime%20lt%20" + to;
    while (!target.empty()) {
      auto r = server.client->Send("GET", target, {{"Authorization", "Bearer " + exporter_token_}});
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      for (size_t i = 0; i < JsonLength(r.body, "value"); ++i) ids.push_back(JsonValue(r.body, "value." + std::to_string(i) + ".id"));
      const std::string next = JsonValue(r.body, "@odata.nextLink");
      target = next == "<missing>" ? "" : PathOf(next);
    }
    return ids;
  }

  std::string store_, data_dir_;
  DemoTenant demo_;
  Server a_, b_;
  std::string exporter_token_, writer_token_;  // issued by A
};

TEST_F(ScaleOutTest, ATokenIssuedByOneServerIsAcceptedByTheOther) {
  const std::string from_b = FetchToken(*b_.client, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret);
  ASSERT_FALSE(from_b.empty());
  EXPECT_EQ(Export(b_, "?$top=1", exporter_token_).status, 200);  // A's token at B
  EXPECT_EQ(Export(a_, "?$top=1", from_b).status, 200);           // and B's at A
  auto written = Write(b_, Item("token-1", "2026-02-02T00:00:00Z"));
  EXPECT_EQ(written.status, 200) << written.body;  // A's writer token too

  // One issuer, one key set: a client or a receiver verifying tokens may ask either server.
  const std::string discovery = "/" + demo_.tenant_id + "/v2.0/.well-known/openid-configuration";
  auto config_a = a_.client->Send("GET", discovery), config_b = b_.client->Send("GET", discovery);
  ASSERT_EQ(config_a.status, 200);
  EXPECT_EQ(JsonValue(config_a.body, "issuer"), std::string(kPublicUrl) + "/" + demo_.tenant_id + "/v2.0");
  EXPECT_EQ(JsonValue(config_b.body, "issuer"), JsonValue(config_a.body, "issuer"));
  const std::string jwks = "/" + demo_.tenant_id + "/discovery/v2.0/keys";
  auto keys_a = a_.client->Send("GET", jwks), keys_b = b_.client->Send("GET", jwks);
  ASSERT_EQ(keys_a.status, 200);
  EXPECT_EQ(keys_b.body, keys_a.body);

  // Why every server must be given the same --public-url (or --issuer): a server that names itself
  // otherwise is another issuer, and refuses the deployment's tokens though it holds their keys.
  Server elsewhere = StartServer("http://other.aihistory.test");
  ASSERT_TRUE(elsewhere);
  auto refused = Export(elsewhere, "?$top=1", exporter_token_);
  EXPECT_EQ(refused.status, 401) << refused.body;
}

TEST_F(ScaleOutTest, AWriteAcknowledgedByOneServerIsInTheNextExportOfTheOther) {
  for (int i = 0; i < 10; ++i) {
    Server& writer = i % 2 ? b_ : a_;
    Server& reader = i % 2 ? a_ : b_;
    const std::string id = "seen-" + std::to_string(i);
    auto w = Write(writer, Item(id, "2026-02-03T00:00:0" + std::to_string(i) + "Z"));
    ASSERT_EQ(w.status, 200) << w.body;
    auto r = Export(reader, "?$filter=id%20eq%20'" + id + "'");  // at once: no wait, no retry
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(JsonLength(r.body, "value"), 1u) << id << " written through one server is missing from the other";
    EXPECT_EQ(JsonValue(r.body, "value.0.body.content"), "prompt " + id);
  }
  // An update through B is what A exports next, with the etag B acknowledged.
  auto updated = Write(b_, Item("seen-0", "2026-02-03T00:00:00Z", "edited through B"));
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(JsonValue(updated.body, "value.0.status"), "updated");
  auto r = Export(a_, "?$filter=id%20eq%20'seen-0'");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonValue(r.body, "value.0.body.content"), "edited through B");
  EXPECT_EQ(JsonValue(r.body, "value.0.etag"), JsonValue(updated.body, "value.0.etag"));
}

TEST_F(ScaleOutTest, ANextLinkFromOneServerContinuesOnTheOtherWithoutGapsOrRepeats) {
  // 95 items in one hour of 2026-04-01, many sharing an instant (the cursor orders ties by id),
  // written through both servers.
  std::set<std::string> written;
  for (int batch = 0; batch < 5; ++batch) {
    std::string body = "[";
    for (int i = 0; i < 19; ++i) {
      const int n = batch * 19 + i;
      const std::string id = "page-" + std::to_string(n);
      char created[32];
      std::snprintf(created, sizeof created, "2026-04-01T00:%02d:00Z", n % 30);
      body += (i ? "," : "") + Item(id, created);
      written.insert(id);
    }
    auto w = Write(batch % 2 ? b_ : a_, body + "]");
    ASSERT_EQ(w.status, 200) << w.body;
  }

  // Page through, alternating servers, while more items arrive inside the window through the other
  // server: those may be seen or not (they land before or after the cursor), but never twice, and
  // nothing that was there before paging began is skipped.
  std::string target = "/v1.0/copilot/users/" + demo_.licensed_user +
                       "/interactionHistory/getAllEnterpriseInteractions?$top=10&$filter=createdDateTime%20ge%20"
                       "2026-04-01T00:00:00Z%20and%20createdDateTime%20lt%202026-04-01T01:00:00Z";
  std::vector<std::string> seen;
  std::string last_created = "9999";
  int pages = 0;
  while (!target.empty()) {
    Server& server = pages % 2 ? b_ : a_;
    auto r = server.client->Send("GET", target, {{"Authorization", "Bearer " + exporter_token_}});
    ASSERT_EQ(r.status, 200) << "page " << pages << ": " << r.body;
    for (size_t i = 0; i < JsonLength(r.body, "value"); ++i) {
      const std::string at = "value." + std::to_string(i);
      seen.push_back(JsonValue(r.body, at + ".id"));
      const std::string created = JsonValue(r.body, at + ".createdDateTime");
      EXPECT_LE(created, last_created) << "newest first, across servers";
      last_created = created;
    }
    const std::string next = JsonValue(r.body, "@odata.nextLink");
    if (next != "<missing>") {
      EXPECT_EQ(next.rfind(kPublicUrl, 0), 0u) << next;
    }
    target = next == "<missing>" ? "" : PathOf(next);
    char created[32];
    std::snprintf(created, sizeof created, "2026-04-01T00:%02d:30Z", (pages * 7) % 30);
    auto w = Write(pages % 2 ? a_ : b_, Item("during-" + std::to_string(pages), created));
    ASSERT_EQ(w.status, 200) << w.body;
    ++pages;
  }
  EXPECT_GE(pages, 10);
  std::map<std::string, int> times;
  for (const auto& id : seen) ++times[id];
  for (const auto& [id, n] : times) EXPECT_EQ(n, 1) << id << " was on " << n << " pages";
  for (const auto& id : written) EXPECT_EQ(times.count(id), 1u) << id << " was skipped";
}

// A tenant-wide subscription to `created` for the exporter, made through `server`; its id.
std::string Subscribe(Server& server, const std::string& token, const WebhookReceiver& receiver) {
  const auto expires = std::chrono::system_clock::now() + 50min;
  const std::string body =
      "{\"changeType\":\"created\",\"notificationUrl\":" + Quote(receiver.Url()) +
      ",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\",\"expirationDateTime\":" +
      Quote(model::Timestamp::FromUnixMillis(
                std::chrono::duration_cast<std::chrono::milliseconds>(expires.time_since_epoch()).count())
                .ToString()) +
      ",\"clientState\":\"scale-out\"}";
  auto r = server.client->Send("POST", "/v1.0/subscriptions",
                               {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, body);
  EXPECT_EQ(r.status, 201) << r.body;
  return JsonValue(r.body, "id");
}

// The resource ids told to `receiver`, each with the notification ids it was told under.
std::map<std::string, std::set<std::string>> NotificationIdsByItem(const WebhookReceiver& receiver) {
  std::map<std::string, std::set<std::string>> ids;
  for (const auto& n : receiver.Received()) ids[n.resource_id].insert(n.id);
  return ids;
}

TEST_F(ScaleOutTest, EachChangeIsNotifiedOnceWhileTwoServersShareTheWork) {
  WebhookReceiver receiver;
  const std::string subscription = Subscribe(a_, exporter_token_, receiver);
  ASSERT_FALSE(subscription.empty());
  std::set<std::string> written;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "told-" + std::to_string(i);
    auto w = Write(i % 2 ? b_ : a_, Item(id, "2026-02-04T00:00:00Z"));
    ASSERT_EQ(w.status, 200) << w.body;
    written.insert(id);
  }
  ASSERT_TRUE(receiver.WaitFor([&] { return NotificationIdsByItem(receiver).size() >= written.size(); }, 180s))
      << NotificationIdsByItem(receiver).size() << " of " << written.size();
  // A last one through B: once it is told, the servers have had time to send any duplicate.
  ASSERT_EQ(Write(b_, Item("told-last", "2026-02-04T00:00:00Z")).status, 200);
  written.insert("told-last");
  ASSERT_TRUE(receiver.WaitFor([&] { return NotificationIdsByItem(receiver).count("told-last") == 1; }, 120s));

  std::map<std::string, int> deliveries;  // by notification id
  for (const auto& n : receiver.Received()) {
    ++deliveries[n.id];
    EXPECT_EQ(n.subscription_id, subscription);
    EXPECT_EQ(n.client_state, "scale-out");
  }
  for (const auto& [id, n] : deliveries) EXPECT_EQ(n, 1) << "notification " << id << " was delivered " << n << " times";
  auto by_item = NotificationIdsByItem(receiver);
  EXPECT_EQ(by_item.size(), written.size());
  for (const auto& id : written) EXPECT_EQ(by_item[id].size(), 1u) << id;
}

TEST_F(ScaleOutTest, WhenAServerIsKilledTheOtherDeliversWhatItLeftPending) {
  WebhookReceiver receiver;
  ASSERT_FALSE(Subscribe(a_, exporter_token_, receiver).empty());
  // The receiver hangs on each POST (past the 3 s a delivery is given) and then fails it: the
  // servers hold their claims on changes and outbox entries when A dies in the middle.
  receiver.SetBehaviour(WebhookReceiver::Behaviour::kStall, 5s, /*handshakes_too=*/false);
  std::set<std::string> written;
  for (int i = 0; i < 30; ++i) {
    const std::string id = "pending-" + std::to_string(i);
    auto w = Write(i % 2 ? b_ : a_, Item(id, "2026-02-05T00:00:00Z"));
    ASSERT_EQ(w.status, 200) << w.body;
    written.insert(id);
  }
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.arrivals() >= 1; }, 120s)) << "no delivery was attempted";
  a_.process->Kill9();
  receiver.SetBehaviour(WebhookReceiver::Behaviour::kNormal);

  // B alone delivers everything: its own work, and A's once A's leases end. Nothing that A sent is
  // recorded (the stalled POSTs failed), so whatever arrives now came from B.
  ASSERT_TRUE(receiver.WaitFor([&] { return NotificationIdsByItem(receiver).size() >= written.size(); }, 240s))
      << NotificationIdsByItem(receiver).size() << " of " << written.size();
  auto by_item = NotificationIdsByItem(receiver);
  for (const auto& id : written) {
    EXPECT_EQ(by_item[id].size(), 1u) << id << ": a retry must keep the notification's id";
  }
  EXPECT_EQ(by_item.size(), written.size());
}

// PostgreSQL restarting under the servers' feet. It runs on a private cluster of its own: the
// shared test cluster serves other test processes at the same time.
class ScaleOutRestartTest : public ScaleOutTest {
 protected:
  static void SetUpTestSuite() {
    if (!PostgresServerUrl().empty()) cluster_ = new PrivateCluster;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    if (!cluster_) GTEST_SKIP() << "AIH_TEST_POSTGRES_URL is not set";
    ASSERT_FALSE(cluster_->url().empty());
    Deploy(CreateThrowawaySchema(cluster_->url()));
  }
  static PrivateCluster* cluster_;
};
PrivateCluster* ScaleOutRestartTest::cluster_ = nullptr;

TEST_F(ScaleOutRestartTest, PostgresRestartingUnderLoadIs503WithRetryAfterAndLosesNoAcknowledgedWrite) {
  // Writers stream batches through both servers and, like Graph's clients, retry a batch after a
  // 503 until it is acknowledged (writes are idempotent: a batch that committed as its connection
  // broke comes back `unchanged`).
  constexpr int kWriters = 4;
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::map<int, int> statuses;  // of failed writes
  std::map<int, std::string> answers;  // one answer of each failed status
  int without_retry_after = 0;
  std::atomic<int> batches{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client((w % 2 ? b_ : a_).process->port());
      for (int b = 0; !stop; ++b) {
        std::vector<std::string> ids;
        std::string body = "[";
        for (int i = 0; i < 20; ++i) {
          ids.push_back("load-" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(i));
          body += (i ? "," : "") + Item(ids.back(), "2026-03-02T00:00:00Z");
        }
        body += "]";
        for (;;) {
          auto r = client.Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                               {{"Authorization", "Bearer " + writer_token_}, {"Content-Type", "application/json"}},
                               body);
          {
            std::lock_guard<std::mutex> lock(mu);
            if (r.status == 200) {
              acknowledged.insert(ids.begin(), ids.end());
              ++batches;
              break;
            }
            ++statuses[r.status];
            answers.emplace(r.status, r.body);
            if (r.status == 503 && r.headers["retry-after"].empty()) ++without_retry_after;
          }
          if (stop) break;  // given up: never acknowledged
          std::this_thread::sleep_for(100ms);
        }
      }
    });
  }
  auto wait_for_batches = [&](int n) {
    for (auto until = std::chrono::steady_clock::now() + 120s; batches < n && std::chrono::steady_clock::now() < until;) {
      std::this_thread::sleep_for(20ms);
    }
    return batches >= n;
  };
  const bool loaded = wait_for_batches(20);
  cluster_->Crash();

  // While it is down, whatever needs the database is 503 with Retry-After, on every server.
  for (Server* server : {&a_, &b_}) {
    auto exported = Export(*server, "?$top=5");
    EXPECT_EQ(exported.status, 503) << exported.body;
    EXPECT_FALSE(exported.headers["retry-after"].empty());
    EXPECT_EQ(JsonValue(exported.body, "error.code"), "ServiceUnavailable");
    auto health = server->client->Send("GET", "/health");
    EXPECT_EQ(health.status, 503) << health.body;
    auto token = server->client->Send(
        "POST", "/" + demo_.tenant_id + "/oauth2/v2.0/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
        "grant_type=client_credentials&client_id=" + demo_.exporter_id + "&client_secret=" + demo_.exporter_secret +
            "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
    EXPECT_EQ(token.status, 503) << token.body;
    EXPECT_FALSE(token.headers["retry-after"].empty());
    // The database's address is for the server's log, not for clients.
    EXPECT_EQ(exported.body.find("127.0.0.1"), std::string::npos) << exported.body;
    EXPECT_EQ(token.body.find("127.0.0.1"), std::string::npos) << token.body;
  }

  cluster_->Start();
  // The same server processes, never restarted, take writes again.
  const int before = batches;
  const bool recovered = wait_for_batches(before + 20);
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_TRUE(loaded) << "the writers made no progress before the restart";
  ASSERT_TRUE(recovered) << "the servers did not recover after PostgreSQL came back";

  EXPECT_GT(statuses[503], 0) << "the restart went unnoticed: the test proves nothing";
  for (const auto& [status, n] : statuses) {
    EXPECT_EQ(status, 503) << n << " writes failed with " << status << ", e.g. " << answers[status];
  }
  EXPECT_EQ(without_retry_after, 0) << "a 503 without Retry-After";
  for (Server* server : {&a_, &b_}) {
    EXPECT_EQ(server->client->Send("GET", "/health").status, 200);
    auto ids = IdsBetween(*server, "2026-03-02T00:00:00Z", "2026-03-02T00:00:01Z");
    const std::set<std::string> found(ids.begin(), ids.end());
    EXPECT_EQ(found.size(), ids.size()) << "an item exported twice";
    size_t missing = 0;
    for (const auto& id : acknowledged) missing += found.count(id) == 0;
    EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged items";
  }
}

}  // namespace
}  // namespace aih::testing
