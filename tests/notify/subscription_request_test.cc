// The rules of a subscription request (section 7), each refused with a message that names the member.
#include <gtest/gtest.h>

#include "model/timestamp.h"
#include "notify/subscription_request.h"
#include "test_certificate.h"

namespace aih::notify {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kMinute = 60'000;

std::string At(int64_t ms) { return model::Timestamp::FromUnixMillis(ms).ToString(); }

std::string Body(const std::string& extra = "", int64_t expires = kNow + 30 * kMinute,
                 const std::string& resource = "/copilot/interactionHistory/getAllEnterpriseInteractions") {
  return R"({"changeType":"created,updated","notificationUrl":"https://receiver.example.com/hook","resource":")" +
         resource + R"(","expirationDateTime":")" + At(expires) + "\"" + extra + "}";
}

Status Refusal(const std::string& body) {
  auto r = ParseSubscriptionRequest(body, NotificationOptions{}, kNow);
  return r.ok() ? Status::Ok() : r.status();
}

void ExpectRefused(const std::string& body, const std::string& fragment) {
  Status s = Refusal(body);
  EXPECT_EQ(s.code(), Code::kBadRequest) << body;
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
}

TEST(SubscriptionRequest, ReadsAValidRequest) {
  auto r = ParseSubscriptionRequest(Body(R"(,"clientState":"secret","@odata.type":"#microsoft.graph.subscription")"),
                                    NotificationOptions{}, kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->change_types, store::ChangeTypeBit(store::ChangeType::kCreated) |
                                 store::ChangeTypeBit(store::ChangeType::kUpdated));
  EXPECT_EQ(r->notification_url, "https://receiver.example.com/hook");
  EXPECT_EQ(r->client_state, "secret");
  EXPECT_EQ(r->expiration_ms, kNow + 45 * kMinute);  // 30 minutes asked: raised to Graph's minimum
  EXPECT_EQ(r->latest_supported_tls_version, "v1_2");
  EXPECT_EQ(r->notification_url_app_id, "");
  EXPECT_TRUE(r->target.user_ref.empty());
  EXPECT_FALSE(r->target.filter);
  EXPECT_FALSE(r->include_resource_data);
}

TEST(SubscriptionRequest, ResourceForms) {
  auto user = ParseSubscriptionResource("copilot/Users/adele%40contoso.example/InteractionHistory/getAllEnterpriseInteractions()");
  ASSERT_TRUE(user.ok()) << user.status().message();
  EXPECT_EQ(user->user_ref, "adele@contoso.example");
  auto filtered = ParseSubscriptionResource(
      "/copilot/interactionHistory/getAllEnterpriseInteractions?$filter=appClass+eq+'IPM.SkypeTeams.Message.Copilot.Word'");
  ASSERT_TRUE(filtered.ok()) << filtered.status().message();
  ASSERT_TRUE(filtered->filter);
  EXPECT_EQ(filtered->filter->Canonical(), "appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'");
  auto encoded = ParseSubscriptionResource(
      "/copilot/interactionHistory/getAllEnterpriseInteractions?%24filter=createdDateTime%20ge%202026-01-01T00:00:00Z");
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();

  for (const char* bad : {"/me/messages", "/copilot/users/x/interactionHistory", "/copilot/users//interactionHistory/getAllEnterpriseInteractions",
                          "/copilot/interactionHistory/getAllEnterpriseInteractions/extra", ""}) {
    EXPECT_FALSE(ParseSubscriptionResource(bad).ok()) << bad;
  }
  auto top = ParseSubscriptionResource("/copilot/interactionHistory/getAllEnterpriseInteractions?$top=5");
  ASSERT_FALSE(top.ok());
  EXPECT_NE(top.status().message().find("only $filter"), std::string::npos);
  auto bad_filter = ParseSubscriptionResource("/copilot/interactionHistory/getAllEnterpriseInteractions?$filter=from/user/id eq 'x'");
  ASSERT_FALSE(bad_filter.ok());
  EXPECT_NE(bad_filter.status().message().find("$filter"), std::string::npos);
}

TEST(SubscriptionRequest, ChangeTypes) {
  EXPECT_EQ(*ParseChangeTypes("deleted"), store::ChangeTypeBit(store::ChangeType::kDeleted));
  EXPECT_EQ(ChangeTypesText(*ParseChangeTypes("deleted,created")), "created,deleted");
  EXPECT_FALSE(ParseChangeTypes("").ok());
  EXPECT_FALSE(ParseChangeTypes("created,created").ok());
  EXPECT_FALSE(ParseChangeTypes("Created").ok());
  EXPECT_FALSE(ParseChangeTypes("created,").ok());
  ExpectRefused(R"({"notificationUrl":"https://r.example/","resource":"/copilot/interactionHistory/getAllEnterpriseInteractions","expirationDateTime":")" +
                    At(kNow + kMinute) + "\"}",
                "\"changeType\" is required");
}

// Graph (2026): an expiration less than 45 minutes ahead, even one in the past, is raised to 45
// minutes; with the minimum turned off (tests of expiry) a past one is refused.
TEST(SubscriptionRequest, ANearExpirationIsRaisedToFortyFiveMinutes) {
  for (int64_t asked : {kNow - kMinute, kNow + kMinute, kNow + 44 * kMinute}) {
    auto r = ParseSubscriptionRequest(Body("", asked), NotificationOptions{}, kNow);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->expiration_ms, kNow + 45 * kMinute);
  }
  auto kept = ParseSubscriptionRequest(Body("", kNow + 46 * kMinute), NotificationOptions{}, kNow);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->expiration_ms, kNow + 46 * kMinute);
  auto renewed = ParseRenewal(R"({"expirationDateTime":")" + At(kNow + 10 * kMinute) + "\"}", false,
                              NotificationOptions{}, kNow);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(*renewed, kNow + 45 * kMinute);

  NotificationOptions no_minimum;
  no_minimum.min_lifetime = std::chrono::minutes(0);
  auto brief = ParseSubscriptionRequest(Body("", kNow + kMinute), no_minimum, kNow);
  ASSERT_TRUE(brief.ok());
  EXPECT_EQ(brief->expiration_ms, kNow + kMinute);
  auto past = ParseSubscriptionRequest(Body("", kNow - kMinute), no_minimum, kNow);
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("in the past"), std::string::npos);
}

TEST(SubscriptionRequest, TlsVersionAndNotificationUrlAppIdAreKept) {
  auto r = ParseSubscriptionRequest(
      Body(R"(,"latestSupportedTlsVersion":"v1_3","notificationUrlAppId":"0f7c1b2a-3d4e-4f50-8a9b-0c1d2e3f4a5b")"),
      NotificationOptions{}, kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->latest_supported_tls_version, "v1_3");
  EXPECT_EQ(r->notification_url_app_id, "0f7c1b2a-3d4e-4f50-8a9b-0c1d2e3f4a5b");
  for (const char* version : {"v1_0", "v1_1", "v1_2"}) {
    EXPECT_TRUE(Refusal(Body(R"(,"latestSupportedTlsVersion":")" + std::string(version) + "\"")).ok()) << version;
  }
  ExpectRefused(Body(R"(,"latestSupportedTlsVersion":"v1_4")"), "latestSupportedTlsVersion");
  ExpectRefused(Body(R"(,"latestSupportedTlsVersion":"TLS1.2")"), "v1_0, v1_1, v1_2 or v1_3");
}

TEST(SubscriptionRequest, WebPushPropertiesAreRefusedOnAWebhook) {
  for (const char* member : {"vapidPublicKey", "webPushEncryptionP256dhPublicKey", "webPushEncryptionSecret"}) {
    ExpectRefused(Body(",\"" + std::string(member) + "\":\"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u\""),
                  std::string(member) + "\" is a Web Push property");
  }
}

TEST(SubscriptionRequest, Lifetime) {
  NotificationOptions no_minimum;
  no_minimum.min_lifetime = std::chrono::minutes(0);
  auto past = ParseSubscriptionRequest(Body("", kNow - kMinute), no_minimum, kNow);
  EXPECT_FALSE(past.ok());
  ExpectRefused(Body("", kNow + 4321 * kMinute), "4320 minutes");
  // Beyond an hour only with a lifecycle URL, and then up to 4,320 minutes.
  ExpectRefused(Body("", kNow + 61 * kMinute), "lifecycleNotificationUrl");
  EXPECT_TRUE(Refusal(Body("", kNow + 60 * kMinute)).ok());
  EXPECT_TRUE(Refusal(Body(R"(,"lifecycleNotificationUrl":"https://r.example/life")", kNow + 4320 * kMinute)).ok());
  ExpectRefused(R"({"changeType":"created","notificationUrl":"https://r.example/","resource":"/copilot/interactionHistory/getAllEnterpriseInteractions","expirationDateTime":"2026-01-01T10:00:00"})",
                "offset");
}

TEST(SubscriptionRequest, Urls) {
  ExpectRefused(R"({"changeType":"created","resource":"/copilot/interactionHistory/getAllEnterpriseInteractions","expirationDateTime":")" +
                    At(kNow + kMinute) + "\"}",
                "notificationUrl is required");
  for (const char* url : {"ftp://r.example/", "/relative", "https://user:pw@r.example/", "https://r.example/#frag",
                          "https://r.example:99999/", "https:///path", "http://r.example/a b"}) {
    std::string body = R"({"changeType":"created","notificationUrl":")" + std::string(url) +
                       R"(","resource":"/copilot/interactionHistory/getAllEnterpriseInteractions","expirationDateTime":")" +
                       At(kNow + kMinute) + "\"}";
    ExpectRefused(body, "notificationUrl");
  }
  ExpectRefused(Body(R"(,"lifecycleNotificationUrl":"mailto:x@y")"), "lifecycleNotificationUrl");
}

TEST(SubscriptionRequest, RichNotificationsNeedACertificate) {
  ExpectRefused(Body(R"(,"includeResourceData":true)"), "encryptionCertificate");
  auto cert = testing::MakeCertificate(2048);
  ExpectRefused(Body(R"(,"includeResourceData":true,"encryptionCertificate":")" + cert.der_base64 + "\""),
                "encryptionCertificateId");
  auto r = ParseSubscriptionRequest(
      Body(R"(,"includeResourceData":true,"encryptionCertificate":")" + cert.der_base64 +
           R"(","encryptionCertificateId":"cert-1")"),
      NotificationOptions{}, kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->include_resource_data);
  auto weak = testing::MakeCertificate(1024);
  ExpectRefused(Body(R"(,"includeResourceData":true,"encryptionCertificate":")" + weak.der_base64 +
                     R"(","encryptionCertificateId":"cert-1")"),
                "1024-bit");
  ExpectRefused(Body(R"(,"encryptionCertificate":")" + cert.der_base64 + "\""), "includeResourceData");
}

TEST(SubscriptionRequest, UnknownAndUnsupportedMembers) {
  ExpectRefused(Body(R"(,"notifcationUrl":"x")"), "notifcationUrl");
  ExpectRefused(Body(R"(,"notificationQueryOptions":"$select=id")"), "notificationQueryOptions");
  ExpectRefused(Body(R"(,"clientState":")" + std::string(129, 'x') + "\""), "128");
  ExpectRefused(Body(R"(,"changeType":"created")"), "twice");
  ExpectRefused("[1]", "object");
  ExpectRefused("", "body");
}

TEST(SubscriptionRequest, Renewal) {
  NotificationOptions options;
  auto ok = ParseRenewal(R"({"expirationDateTime":")" + At(kNow + 50 * kMinute) + "\"}", false, options, kNow);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(*ok, kNow + 50 * kMinute);
  EXPECT_FALSE(ParseRenewal(R"({"expirationDateTime":")" + At(kNow + 90 * kMinute) + "\"}", false, options, kNow).ok());
  EXPECT_TRUE(ParseRenewal(R"({"expirationDateTime":")" + At(kNow + 90 * kMinute) + "\"}", true, options, kNow).ok());
  auto other = ParseRenewal(R"({"expirationDateTime":")" + At(kNow + kMinute) + R"(","notificationUrl":"https://x/"})",
                            false, options, kNow);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("renewed"), std::string::npos);
}

}  // namespace
}  // namespace aih::notify
