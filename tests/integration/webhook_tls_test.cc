// Change notifications to an HTTPS receiver with a self-signed certificate, over the real server:
// trusted with `serve --webhook-ca-file`, refused without it (the handshake fails; deliveries of an
// existing subscription fail and are retried, losing nothing, until the server trusts it again), and
// accepted unverified with `--webhook-verify-tls=false`. A CA file that does not read stops `serve`.
#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <chrono>
#include <set>
#include <thread>

#include "http/self_signed_certificate.h"
#include "http/server.h"
#include "integration_fixture.h"
#include "model/timestamp.h"
#include "odata/percent_encoding.h"
#include "store/store.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

// An HTTPS-only receiver presenting `certificate`: echoes validation tokens, records the resource ids
// of the notifications it accepts.
class HttpsReceiver {
 public:
  explicit HttpsReceiver(const http::CertificateAndKey& certificate) {
    http::ServerOptions o;
    o.https_port = 0;
    o.tls_cert_pem = certificate.certificate_pem;
    o.tls_key_pem = certificate.private_key_pem;
    o.worker_threads = 4;
    auto server = http::Server::Start(o, [this](const http::Request& r) { return Handle(r); });
    EXPECT_TRUE(server.ok()) << server.status().message();
    if (server.ok()) server_ = std::move(*server);
  }
  ~HttpsReceiver() {
    if (server_) server_->Stop();
  }
  std::string Url() const { return "https://127.0.0.1:" + std::to_string(server_->https_port()) + "/notify"; }
  std::set<std::string> Received() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }
  int handshakes() const { return handshakes_; }

  bool WaitFor(const std::function<bool()>& done, std::chrono::seconds deadline = 90s) const {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until && !done()) std::this_thread::sleep_for(50ms);
    return done();
  }

 private:
  http::Response Handle(const http::Request& r) {
    http::Response response;
    const std::string_view query = r.query();
    const size_t at = query.find("validationToken=");
    if (at != std::string_view::npos) {
      ++handshakes_;
      auto token = odata::PercentDecode(query.substr(at + 16), false);
      response.content_type = "text/plain";
      response.body = token.ok() ? *token : "";
      return response;
    }
    // "resourceData":{"id":"<id>", ... : enough to tell which interactions arrived.
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t p = r.body.find("\"resourceData\":{\"id\":\""); p != std::string::npos;
         p = r.body.find("\"resourceData\":{\"id\":\"", p + 1)) {
      const size_t start = p + 22;
      received_.insert(r.body.substr(start, r.body.find('"', start) - start));
    }
    response.status = 202;
    return response;
  }

  std::unique_ptr<http::Server> server_;
  mutable std::mutex mu_;
  std::set<std::string> received_;
  std::atomic<int> handshakes_{0};
};

class WebhookTlsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    auto made = http::MakeSelfSignedCertificate();
    ASSERT_TRUE(made.ok()) << made.status().message();
    certificate_ = *made;
    ca_file_ = data_dir_ + "/receiver-cert.pem";
    std::ofstream(ca_file_) << certificate_.certificate_pem;
  }
  void Restart(const std::vector<std::string>& extra) {
    server_.reset();
    StartServer(extra);
  }
  HttpResult Subscribe(const std::string& url) {
    auto at = std::chrono::system_clock::now() + 50min;
    const std::string expiry = model::Timestamp::FromUnixMillis(
        std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count()).ToString();
    return client_->Send("POST", "/v1.0/subscriptions",
                         {{"Authorization", "Bearer " + exporter_token_}, {"Content-Type", "application/json"}},
                         "{\"changeType\":\"created\",\"notificationUrl\":\"" + url +
                             "\",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                             "\"expirationDateTime\":\"" + expiry + "\"}");
  }
  void TearDown() override {
    observer_.reset();  // before the fixture removes the store
    ServerTest::TearDown();
  }
  // The failed attempts of the subscription's waiting batches, read from the store itself.
  int FailedAttempts(const std::string& subscription_id) {
    if (!observer_) {
      auto store = store::OpenStore(store_);
      EXPECT_TRUE(store.ok()) << store.status().message();
      if (!store.ok()) return -1;
      observer_ = std::move(*store);
    }
    auto pending = observer_->subscriptions().Pending(demo_.tenant_id, subscription_id, 10);
    int attempts = 0;
    if (pending.ok()) {
      for (const auto& e : *pending) attempts = std::max(attempts, e.attempts);
    }
    return attempts;
  }

  http::CertificateAndKey certificate_;
  std::string ca_file_;
  std::unique_ptr<store::Store> observer_;  // the test's own view of the server's store
};

TEST_P(WebhookTlsTest, TheReceiversCertificateIsTrustedWithTheCaFileAndRefusedWithout) {
  HttpsReceiver receiver(certificate_);
  // Not trusted (the fixture's server has no --webhook-ca-file): the handshake fails, nothing is stored.
  auto refused = Subscribe(receiver.Url());
  EXPECT_EQ(refused.status, 400) << refused.body;
  // The client gets the one handshake failure message; the reason is in the server's log.
  EXPECT_NE(JsonValue(refused.body, "error.message").find("validation"), std::string::npos) << refused.body;
  const std::string request_id = refused.headers["request-id"];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto logged = [&] {
    const std::string log = server_->Log();
    const size_t at = log.find("\"request_id\":\"" + request_id + "\"");
    return at != std::string::npos && log.find("TLS", at) != std::string::npos;
  };
  while (!logged() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(logged()) << server_->Log();
  EXPECT_EQ(receiver.handshakes(), 0);

  Restart({"--webhook-ca-file", ca_file_});
  auto created = Subscribe(receiver.Url());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonValue(created.body, "id");
  ASSERT_EQ(Write("[" + Item("tls-1") + "]").status, 200);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.Received().count("tls-1") > 0; }));

  // A server that does not trust it: deliveries fail, and are retried rather than dropped.
  Restart({});
  ASSERT_EQ(Write("[" + Item("tls-2") + "]").status, 200);
  ASSERT_TRUE(receiver.WaitFor([&] { return FailedAttempts(id) >= 2; })) << FailedAttempts(id);
  EXPECT_EQ(receiver.Received(), std::set<std::string>{"tls-1"});

  // Trusted again: what waited arrives.
  Restart({"--webhook-ca-file", ca_file_});
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.Received().count("tls-2") > 0; }));
}

TEST_P(WebhookTlsTest, VerificationCanBeTurnedOffForLocalTests) {
  HttpsReceiver receiver(certificate_);
  Restart({"--webhook-verify-tls=false"});
  auto created = Subscribe(receiver.Url());
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(Write("[" + Item("plain-1") + "]").status, 200);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.Received().count("plain-1") > 0; }));
}

TEST_P(WebhookTlsTest, ACaFileThatDoesNotReadStopsServeSayingSo) {
  server_.reset();
  const std::string not_pem = data_dir_ + "/not-a-certificate.pem";
  std::ofstream(not_pem) << "hello\n";
  for (const std::string& file : {not_pem, data_dir_ + "/missing.pem"}) {
    std::string output;
    EXPECT_EQ(RunAihistory({"serve", "--store", store_, "--port", "0", "--webhook-ca-file", file}, &output), 2)
        << output;
    EXPECT_NE(output.find("--webhook-ca-file"), std::string::npos) << output;
    EXPECT_NE(output.find(file), std::string::npos) << output;
  }
  std::string output;
  EXPECT_EQ(RunAihistory({"serve", "--store", store_, "--port", "0", "--webhook-ca-file", ca_file_,
                          "--webhook-verify-tls=false"},
                         &output),
            2);
  EXPECT_NE(output.find("no effect"), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(Engines, WebhookTlsTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
