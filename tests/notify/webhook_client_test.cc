// The webhook client against real loopback servers: plain and TLS, a refused connection, a receiver
// that answers too late, and the validation handshake's verdicts.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <vector>
#include <thread>

#include "http/self_signed_certificate.h"
#include "http/server.h"
#include "notify/validation_handshake.h"
#include "notify/webhook_client.h"
#include "notify/webhook_url.h"
#include "loopback_receivers.h"
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
  WebhookClient client(LoopbackReceivers());
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
  WebhookClientOptions trusting = LoopbackReceivers();
  trusting.verify_tls = false;  // a self-signed certificate
  WebhookClient client(trusting);
  auto response = client.PostAndWait({Url(*server), "application/json", "{}", {}, 3s});
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->body, "ok");
  // Verifying (the default), the unknown certificate is refused.
  WebhookClient verifying(LoopbackReceivers());
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
  WebhookClient client(LoopbackReceivers());
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
  WebhookClient client(LoopbackReceivers());
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
  WebhookClient client(LoopbackReceivers());
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

TEST(WebhookClient, PlainHttpIsRefusedUnlessAllowed) {
  std::atomic<int> served{0};
  auto server = Serve([&](const http::Request&) {
    ++served;
    return Text(200, "");
  });
  WebhookClient client;  // the defaults: https only, public addresses only
  auto r = client.PostAndWait({Url(*server), "application/json", "{}", {}, 3s});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden);
  EXPECT_NE(r.status().message().find("--webhook-allow-http"), std::string::npos) << r.status().message();
  EXPECT_EQ(served, 0);
}

TEST(WebhookClient, ConnectsOnlyToTheResolvedAddressesThePolicyAllows) {
  std::atomic<int> served{0};
  auto server = Serve([&](const http::Request&) {
    ++served;
    return Text(200, "");
  });  // listens on 127.0.0.1 only
  const std::string port = std::to_string(server->http_port());
  WebhookClientOptions http_only;
  http_only.receivers.allow_http = true;
  WebhookClient client(http_only);
  // A numeric address, and a name: what the name resolves to is what is judged.
  for (const std::string& url : {"http://127.0.0.1:" + port + "/", "http://localhost:" + port + "/"}) {
    auto r = client.PostAndWait({url, "application/json", "{}", {}, 3s});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), Code::kForbidden) << url;
    EXPECT_NE(r.status().message().find("loopback"), std::string::npos) << r.status().message();
  }
  // Allowing ::1 only: localhost also resolves to 127.0.0.1, where the receiver is, but only the
  // allowed address is connected to, so the receiver is never reached.
  WebhookClientOptions v6_only = http_only;
  v6_only.receivers.allowed_networks = {*IpNetwork::Parse("::1/128")};
  WebhookClient v6_client(v6_only);
  auto r = v6_client.PostAndWait({"http://localhost:" + port + "/", "application/json", "{}", {}, 3s});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(served, 0);
  // Allowed, it is reached.
  WebhookClient allowed(LoopbackReceivers());
  auto ok = allowed.PostAndWait({"http://localhost:" + port + "/", "application/json", "{}", {}, 3s});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(served, 1);
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

// StartValidationHandshake, waited for.
Status HandshakeAndWait(WebhookClient& client, const std::string& url, std::string_view field,
                        std::chrono::milliseconds timeout, std::string_view request_id) {
  std::promise<Status> outcome;
  StartValidationHandshake(client, url, field, timeout, request_id,
                           [&outcome](Status s) { outcome.set_value(std::move(s)); });
  return outcome.get_future().get();
}

TEST(ValidationHandshake, AReceiverThatEchoesTheTokenPasses) {
  std::string seen;
  auto server = Serve([&](const http::Request& r) {
    seen = TokenOf(r);
    return Text(200, seen, "text/plain; charset=utf-8");
  });
  WebhookClient client(LoopbackReceivers());
  Status s = HandshakeAndWait(client, Url(*server, "/hook?tenant=1"), "notificationUrl", 3s, "req-1");
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_NE(seen.find(' '), std::string::npos);  // the token has spaces: the receiver must decode it
}

TEST(ValidationHandshake, EveryFailureGetsTheSameMessageAndTheLogTheReason) {
  // Telling these apart would make the server a port scanner: a wrong echo, a wrong type, another
  // status, an undecoded token, a receiver too slow, a closed port, a refused address.
  struct Case {
    std::function<http::Response(const http::Request&)> answer;
    std::string reason;  // in the log only
  };
  std::vector<Case> cases = {
      {[](const http::Request& r) { return Text(200, TokenOf(r) + "x"); }, "not the validation token"},
      {[](const http::Request& r) { return Text(200, TokenOf(r), "application/json"); }, "application/json"},
      {[](const http::Request& r) { return Text(202, TokenOf(r)); }, "HTTP 202"},
      {[](const http::Request& r) { return Text(200, std::string(r.query())); }, "not the validation token"},  // not decoded
  };
  WebhookClient client(LoopbackReceivers());
  std::vector<std::string> messages;
  auto expect_generic = [&](const Status& s, const std::string& url, const std::string& reason) {
    EXPECT_EQ(s.code(), Code::kBadRequest);
    std::string message = s.message();
    ASSERT_NE(message.find(url), std::string::npos) << message;
    message.replace(message.find(url), url.size(), "<url>");
    messages.push_back(message);
    EXPECT_EQ(message.find(reason), std::string::npos) << message;
  };
  for (const auto& c : cases) {
    auto server = Serve(c.answer);
    ::testing::internal::CaptureStderr();
    Status s = HandshakeAndWait(client, Url(*server), "lifecycleNotificationUrl", 5s, "req-42");
    const std::string log = ::testing::internal::GetCapturedStderr();
    expect_generic(s, Url(*server), c.reason);
    EXPECT_NE(log.find(c.reason), std::string::npos) << log;
    EXPECT_NE(log.find("req-42"), std::string::npos) << log;
  }
  std::atomic<bool> release{false};
  auto slow = Serve([&](const http::Request& r) {
    while (!release) std::this_thread::sleep_for(10ms);
    return Text(200, TokenOf(r));
  });
  ::testing::internal::CaptureStderr();
  Status late = HandshakeAndWait(client, Url(*slow), "lifecycleNotificationUrl", 5s, "req-42");
  release = true;
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("did not answer within 5000 ms"), std::string::npos);
  expect_generic(late, Url(*slow), "did not answer");
  int closed_port;
  {
    auto gone = Serve([](const http::Request&) { return Text(200, ""); });
    closed_port = gone->http_port();
  }
  const std::string closed = "http://127.0.0.1:" + std::to_string(closed_port) + "/hook";
  ::testing::internal::CaptureStderr();
  Status refused = HandshakeAndWait(client, closed, "lifecycleNotificationUrl", 5s, "req-42");
  ::testing::internal::GetCapturedStderr();
  expect_generic(refused, closed, "connect");
  auto strict_server = Serve([](const http::Request& r) { return Text(200, TokenOf(r)); });
  WebhookClient strict(LoopbackReceivers());
  WebhookClientOptions no_loopback;
  no_loopback.receivers.allow_http = true;
  WebhookClient refusing(no_loopback);
  ::testing::internal::CaptureStderr();
  Status forbidden = HandshakeAndWait(refusing, Url(*strict_server), "lifecycleNotificationUrl", 5s, "req-42");
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("loopback"), std::string::npos);
  expect_generic(forbidden, Url(*strict_server), "loopback");
  EXPECT_TRUE(HandshakeAndWait(strict, Url(*strict_server), "notificationUrl", 3s, "req-42").ok());
  for (const std::string& m : messages) EXPECT_EQ(m, messages.front());
  EXPECT_EQ(messages.size(), 7u);
  EXPECT_NE(messages.front().find("request-id req-42"), std::string::npos) << messages.front();
}

}  // namespace
}  // namespace aih::notify
