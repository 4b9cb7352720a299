// The webhook client against real loopback servers: plain and TLS, a refused connection, a receiver
// that answers too late, and the validation handshake's verdicts.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http/self_signed_certificate.h"
#include "http/server.h"
#include "notify/validation_handshake.h"
#include "notify/webhook_client.h"
#include "notify/webhook_url.h"
#include "odata/percent_encoding.h"

namespace aih::notify {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<http::Server> Serve(http::Handler handler, bool tls = false) {
  http::ServerOptions o;
  if (tls) {
    auto cert = http::MakeSelfSignedCertificate();
    o.https_port = 0;
    o.tls_cert_pem = cert->certificate_pem;
    o.tls_key_pem = cert->private_key_pem;
  } else {
    o.http_port = 0;
  }
  auto server = http::Server::Start(o, std::move(handler));
  EXPECT_TRUE(server.ok());
  return std::move(*server);
}

std::string Url(const http::Server& s, const std::string& path = "/hook") {
  return s.http_port() > 0 ? "http://127.0.0.1:" + std::to_string(s.http_port()) + path
                           : "https://localhost:" + std::to_string(s.https_port()) + path;
}

// The decoded validationToken of a request, or empty.
std::string TokenOf(const http::Request& r) {
  std::string_view q = r.query();
  const std::string_view key = "validationToken=";
  size_t at = q.find(key);
  if (at == std::string_view::npos) return {};
  auto decoded = odata::PercentDecode(q.substr(at + key.size()), false);
  return decoded.ok() ? *decoded : std::string();
}

http::Response Text(int status, std::string body, std::string type = "text/plain") {
  http::Response r;
  r.status = status;
  r.content_type = std::move(type);
  r.body = std::move(body);
  return r;
}

TEST(WebhookClient, PostsAndReadsTheAnswer) {
  std::string got_body, got_type, got_target;
  auto server = Serve([&](const http::Request& r) {
    got_body = r.body;
    got_type = std::string(r.Header("content-type"));
    got_target = r.target;
    return Text(202, "thanks");
  });
  WebhookClient client;
  auto response = client.PostAndWait({Url(*server, "/hook?x=1"), "application/json", R"({"value":[]})", {}, 3s});
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 202);
  EXPECT_EQ(response->body, "thanks");
  EXPECT_EQ(got_body, R"({"value":[]})");
  EXPECT_EQ(got_type, "application/json");
  EXPECT_EQ(got_target, "/hook?x=1");
}

TEST(WebhookClient, SpeaksTls) {
  auto server = Serve([](const http::Request&) { return Text(200, "ok"); }, /*tls=*/true);
  WebhookClientOptions trusting;
  trusting.verify_tls = false;  // a self-signed certificate
  WebhookClient client(trusting);
  auto response = client.PostAndWait({Url(*server), "application/json", "{}", {}, 3s});
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->body, "ok");
  // Verifying (the default), the unknown certificate is refused.
  WebhookClient verifying;
  auto refused = verifying.PostAndWait({Url(*server), "application/json", "{}", {}, 3s});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("TLS"), std::string::npos) << refused.status().message();
}

TEST(WebhookClient, ARefusedConnectionIsUnavailable) {
  int port;
  {
    auto server = Serve([](const http::Request&) { return Text(200, ""); });
    port = server->http_port();
  }  // closed: nothing listens there now
  WebhookClient client;
  auto r = client.PostAndWait({"http://127.0.0.1:" + std::to_string(port) + "/", "application/json", "{}", {}, 3s});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
}

TEST(WebhookClient, AReceiverThatAnswersTooLateTimesOut) {
  std::atomic<bool> release{false};
  auto server = Serve([&](const http::Request&) {
    while (!release) std::this_thread::sleep_for(10ms);
    return Text(200, "late");
  });
  WebhookClient client;
  auto r = client.PostAndWait({Url(*server), "application/json", "{}", {}, 300ms});
  release = true;
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did not answer within 300 ms"), std::string::npos) << r.status().message();
}

TEST(WebhookClient, ManyRequestsAtOnce) {
  std::atomic<int> served{0};
  auto server = Serve([&](const http::Request&) {
    ++served;
    return Text(200, "");
  });
  WebhookClient client;
  std::atomic<int> done{0}, ok{0};
  for (int i = 0; i < 50; ++i) {
    client.Post({Url(*server), "application/json", "{}", {}, 5s}, [&](Result<WebhookResponse> r) {
      ok += r.ok() && r->status == 200;
      ++done;
    });
  }
  while (done < 50) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(ok, 50);
  EXPECT_EQ(served, 50);
}

TEST(WebhookUrl, Parts) {
  auto u = WebhookUrl::Parse("HTTPS://Receiver.example.com:8443/a/b?c=d", "notificationUrl");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "Receiver.example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/a/b?c=d");
  auto v6 = WebhookUrl::Parse("http://[::1]:9000", "x");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/");
  EXPECT_EQ(WebhookUrl::Parse("http://h?q=1", "x")->target, "/?q=1");
  EXPECT_EQ(WebhookUrl::Parse("http://h", "x")->port, 80);
  for (const char* bad : {"http://h:", "http://h:0/", "http://:80/", "http://h h/", "http://::1/", "ws://h/"}) {
    EXPECT_FALSE(WebhookUrl::Parse(bad, "x").ok()) << bad;
  }
  EXPECT_EQ(AppendQuery("http://h/p", "validationToken", "a b:c"), "http://h/p?validationToken=a%20b%3Ac");
  EXPECT_EQ(AppendQuery("http://h/p?x=1", "t", "v"), "http://h/p?x=1&t=v");
}

TEST(ValidationHandshake, AReceiverThatEchoesTheTokenPasses) {
  std::string seen;
  auto server = Serve([&](const http::Request& r) {
    seen = TokenOf(r);
    return Text(200, seen, "text/plain; charset=utf-8");
  });
  WebhookClient client;
  Status s = RunValidationHandshake(client, Url(*server, "/hook?tenant=1"), "notificationUrl", 3s);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_NE(seen.find(' '), std::string::npos);  // the token has spaces: the receiver must decode it
}

TEST(ValidationHandshake, EveryOtherAnswerFailsWithAReason) {
  struct Case {
    std::function<http::Response(const http::Request&)> answer;
    std::string reason;
  };
  std::vector<Case> cases = {
      {[](const http::Request& r) { return Text(200, TokenOf(r) + "x"); }, "not the validation token"},
      {[](const http::Request& r) { return Text(200, TokenOf(r), "application/json"); }, "Content-Type"},
      {[](const http::Request& r) { return Text(202, TokenOf(r)); }, "HTTP 202"},
      {[](const http::Request& r) { return Text(200, std::string(r.query())); }, "not the validation token"},  // not decoded
  };
  WebhookClient client;
  for (const auto& c : cases) {
    auto server = Serve(c.answer);
    Status s = RunValidationHandshake(client, Url(*server), "lifecycleNotificationUrl", 3s);
    EXPECT_EQ(s.code(), Code::kBadRequest);
    EXPECT_NE(s.message().find(c.reason), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("lifecycleNotificationUrl"), std::string::npos);
  }
  std::atomic<bool> release{false};
  auto slow = Serve([&](const http::Request& r) {
    while (!release) std::this_thread::sleep_for(10ms);
    return Text(200, TokenOf(r));
  });
  Status late = RunValidationHandshake(client, Url(*slow), "notificationUrl", 300ms);
  release = true;
  EXPECT_EQ(late.code(), Code::kBadRequest);
  EXPECT_NE(late.message().find("did not answer"), std::string::npos) << late.message();
}

}  // namespace
}  // namespace aih::notify
