// FetchUrl (a trusted issuer's JWKS): a GET through the service's HTTP client (http/client.h),
// against this module's own server on a loopback port.
#include "http/url_fetch.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http/server.h"

namespace aih::http {
namespace {

class UrlFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.http_port = 0;
    options.worker_threads = 1;
    auto server = Server::Start(options, [this](const Request& request) {
      Response response;
      seen_target_ = request.target;
      for (const auto& [name, value] : request.headers) {
        if (name == "accept") seen_accept_ = value;
      }
      if (request.target == "/keys?v=1") {
        response.body = R"({"keys":[]})";
      } else {
        response.status = 404;
        response.body = "{}";
      }
      return response;
    });
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }

  std::string Url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(server_->http_port()) + path; }

  std::unique_ptr<Server> server_;
  std::string seen_target_;
  std::string seen_accept_;
};

TEST_F(UrlFetchTest, ReturnsTheBodyOfA200) {
  Result<std::string> body = FetchUrl(Url("/keys?v=1#ignored"));
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, R"({"keys":[]})");
  EXPECT_EQ(seen_target_, "/keys?v=1");
  EXPECT_EQ(seen_accept_, "application/json");
}

TEST_F(UrlFetchTest, AnythingButA200IsUnavailableNamingTheUrlAndTheStatus) {
  Result<std::string> body = FetchUrl(Url("/missing"));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kUnavailable);
  EXPECT_NE(body.status().message().find(Url("/missing")), std::string::npos) << body.status().message();
  EXPECT_NE(body.status().message().find("answered 404"), std::string::npos) << body.status().message();
}

TEST_F(UrlFetchTest, ABodyOverTheLimitIsUnavailable) {
  FetchOptions options;
  options.max_body_bytes = 4;
  Result<std::string> body = FetchUrl(Url("/keys?v=1"), options);
  EXPECT_EQ(body.status().code(), Code::kUnavailable) << (body.ok() ? *body : body.status().message());
}

TEST_F(UrlFetchTest, AServerThatIsGoneIsUnavailable) {
  const std::string url = Url("/keys?v=1");
  server_.reset();  // its port is closed
  Result<std::string> body = FetchUrl(url);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kUnavailable);
  EXPECT_NE(body.status().message().find("GET " + url + " failed"), std::string::npos) << body.status().message();
}

TEST(UrlFetch, OnlyHttpAndHttpsUrlsWithAHost) {
  for (const char* bad : {"ftp://h/x", "https:///x", "http://user@h/x", "http://h:port/x", "keys.json"}) {
    EXPECT_EQ(FetchUrl(bad).status().code(), Code::kBadRequest) << bad;
  }
}

}  // namespace
}  // namespace aih::http
