// Which receivers the server may call: every spelling of a non-public address is recognised, and
// only the ranges a server is configured with get through.
#include "notify/receiver_policy.h"

#include <gtest/gtest.h>

namespace aih::notify {
namespace {

std::string KindOf(const std::string& host) {
  auto address = IpAddress::ParseNumericHost(host);
  if (!address) return "<not numeric>";
  const char* kind = NonPublicKind(*address);
  return kind ? kind : "public";
}

TEST(ReceiverPolicy, EverySpellingOfLoopbackIsLoopback) {
  for (const char* host : {"127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.0.0.1",
                           "127.255.255.254", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1",
                           "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::"}) {
    EXPECT_EQ(KindOf(host), "loopback") << host;
  }
}

TEST(ReceiverPolicy, NonPublicRangesAreNamed) {
  EXPECT_EQ(KindOf("0.0.0.0"), "unspecified");
  EXPECT_EQ(KindOf("0"), "unspecified");
  EXPECT_EQ(KindOf("::"), "unspecified");
  EXPECT_EQ(KindOf("10.1.2.3"), "private");
  EXPECT_EQ(KindOf("172.16.0.1"), "private");
  EXPECT_EQ(KindOf("172.31.255.255"), "private");
  EXPECT_EQ(KindOf("192.168.1.1"), "private");
  EXPECT_EQ(KindOf("::ffff:192.168.1.1"), "private");
  EXPECT_EQ(KindOf("fd12:3456::1"), "private (unique-local)");
  EXPECT_EQ(KindOf("169.254.169.254"), "link-local");  // the cloud metadata address
  EXPECT_EQ(KindOf("::ffff:169.254.169.254"), "link-local");
  EXPECT_EQ(KindOf("fe80::1"), "link-local");
  EXPECT_EQ(KindOf("100.64.0.1"), "CGNAT (shared)");
  EXPECT_EQ(KindOf("224.0.0.1"), "multicast");
  EXPECT_EQ(KindOf("ff02::1"), "multicast");
  EXPECT_EQ(KindOf("255.255.255.255"), "reserved or broadcast");
}

TEST(ReceiverPolicy, PublicAddressesAndNamesPass) {
  for (const char* host : {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2001:4860:4860::8888",
                           "::ffff:8.8.8.8", "1.1"}) {
    EXPECT_EQ(KindOf(host), "public") << host;
  }
  EXPECT_EQ(KindOf("receiver.example.com"), "<not numeric>");
  EXPECT_EQ(KindOf("1.2.3.4.5"), "<not numeric>");
}

TEST(ReceiverPolicy, AllowedRangesGetThrough) {
  ReceiverPolicy policy;
  const IpAddress loopback = *IpAddress::ParseNumericHost("127.0.0.1");
  const IpAddress metadata = *IpAddress::ParseNumericHost("169.254.169.254");
  Status refused = policy.CheckAddress(loopback);
  EXPECT_EQ(refused.code(), Code::kForbidden);
  EXPECT_NE(refused.message().find("loopback"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("--webhook-allow-network"), std::string::npos);
  policy.allowed_networks = {*IpNetwork::Parse("127.0.0.0/8")};
  EXPECT_TRUE(policy.CheckAddress(loopback).ok());
  EXPECT_TRUE(policy.CheckAddress(*IpAddress::ParseNumericHost("::ffff:127.0.0.1")).ok());  // the same address
  EXPECT_FALSE(policy.CheckAddress(metadata).ok());
  EXPECT_FALSE(policy.CheckAddress(*IpAddress::ParseNumericHost("::1")).ok());
  EXPECT_TRUE(policy.CheckAddress(*IpAddress::ParseNumericHost("8.8.8.8")).ok());
}

TEST(ReceiverPolicy, NetworksParse) {
  EXPECT_TRUE(IpNetwork::Parse("10.0.0.0/8")->Contains(*IpAddress::ParseNumericHost("10.200.0.1")));
  EXPECT_FALSE(IpNetwork::Parse("10.0.0.0/8")->Contains(*IpAddress::ParseNumericHost("11.0.0.1")));
  EXPECT_TRUE(IpNetwork::Parse("192.168.1.7")->Contains(*IpAddress::ParseNumericHost("192.168.1.7")));
  EXPECT_FALSE(IpNetwork::Parse("192.168.1.7")->Contains(*IpAddress::ParseNumericHost("192.168.1.8")));
  EXPECT_TRUE(IpNetwork::Parse("fd00::/8")->Contains(*IpAddress::ParseNumericHost("fd12::1")));
  EXPECT_TRUE(IpNetwork::Parse("0.0.0.0/0")->Contains(*IpAddress::ParseNumericHost("10.0.0.1")));
  EXPECT_FALSE(IpNetwork::Parse("0.0.0.0/0")->Contains(*IpAddress::ParseNumericHost("::1")));
  for (const char* bad : {"", "10.0.0.0/33", "fd00::/129", "10.0.0/8", "127.1/32", "10.0.0.0/", "10.0.0.0/x",
                          "host.example/8"}) {
    auto parsed = IpNetwork::Parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("CIDR"), std::string::npos);
  }
}

TEST(ReceiverPolicy, UrlsAreCheckedBeforeAnyCall) {
  ReceiverPolicy policy;
  EXPECT_TRUE(policy.CheckUrl("https://receiver.example.com/hook", "notificationUrl").ok());
  EXPECT_TRUE(policy.CheckUrl("https://8.8.8.8/hook", "notificationUrl").ok());
  Status http = policy.CheckUrl("http://receiver.example.com/hook", "notificationUrl");
  EXPECT_EQ(http.code(), Code::kBadRequest);
  EXPECT_NE(http.message().find("https"), std::string::npos) << http.message();
  EXPECT_NE(http.message().find("--webhook-allow-http"), std::string::npos) << http.message();
  for (const char* url : {"https://127.1/", "https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/",
                          "https://0.0.0.0/", "https://[::ffff:127.0.0.1]/", "https://[::1]:8443/",
                          "https://localhost/", "https://LOCALHOST./", "https://api.localhost/",
                          "https://169.254.169.254/latest/meta-data", "https://10.0.0.1/", "https://[fd00::1]/"}) {
    Status s = policy.CheckUrl(url, "lifecycleNotificationUrl");
    EXPECT_EQ(s.code(), Code::kBadRequest) << url;
    EXPECT_NE(s.message().find("lifecycleNotificationUrl"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("--webhook-allow-network"), std::string::npos) << s.message();
  }
  policy.allow_http = true;
  policy.allowed_networks = {*IpNetwork::Parse("127.0.0.0/8")};
  EXPECT_TRUE(policy.CheckUrl("http://127.1:8080/hook", "notificationUrl").ok());
  EXPECT_TRUE(policy.CheckUrl("http://localhost:8080/hook", "notificationUrl").ok());
  EXPECT_FALSE(policy.CheckUrl("http://[::1]:8080/hook", "notificationUrl").ok());
}

}  // namespace
}  // namespace aih::notify
