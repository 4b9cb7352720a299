// The shape of what receivers get: Graph's changeNotification and lifecycle notification members.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "notify/notification_json.h"
#include "test_certificate.h"

namespace aih::notify {
namespace {

store::Subscription Sub() {
  store::Subscription s;
  s.tenant_id = "t";
  s.id = "11111111-1111-4111-8111-111111111111";
  s.app_id = "app";
  s.resource = "/copilot/interactionHistory/getAllEnterpriseInteractions";
  s.expiration_ms = 1'768'474'800'000;  // 2026-01-15T11:00:00Z
  s.lifecycle_notification_url = "https://r.example/life";
  return s;
}

TEST(NotificationJson, IdsAreStableAndDistinct) {
  EXPECT_EQ(NotificationId("s1", 7), NotificationId("s1", 7));
  EXPECT_NE(NotificationId("s1", 7), NotificationId("s1", 8));
  EXPECT_NE(NotificationId("s1", 7), NotificationId("s2", 7));
  const std::string id = NotificationId("s1", 7);
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '5');  // a name-based GUID
  // Known answer: SHA-1 of "<subscription id>:<seq>" with the version and variant bits set. Ids
  // must never change across versions: receivers drop redeliveries by them.
  EXPECT_EQ(NotificationId("11111111-1111-4111-8111-111111111111", 42), "7ece2124-82d5-594f-a6ce-db443507082b");
}

TEST(NotificationJson, ResourceQuotesIds) {
  EXPECT_EQ(InteractionResource("1736935200000"), "copilot/interactionHistory/interactions('1736935200000')");
  EXPECT_EQ(InteractionResource("it's"), "copilot/interactionHistory/interactions('it''s')");
}

TEST(NotificationJson, ChangeNotificationsAsGraphWritesThem) {
  store::Subscription s = Sub();
  std::string body = RenderChangeNotifications(
      s, {RoutedChange{5, store::ChangeType::kDeleted, "u1", "17", ""}}, nullptr, "");
  simdjson::dom::parser parser;
  auto doc = parser.parse(body);
  ASSERT_FALSE(doc.error()) << body;
  auto item = doc["value"].at(0);
  EXPECT_EQ(std::string_view(item["id"]), NotificationId(s.id, 5));
  EXPECT_EQ(std::string_view(item["changeType"]), "deleted");
  EXPECT_TRUE(item["clientState"].is_null());  // none given
  EXPECT_EQ(std::string_view(item["subscriptionExpirationDateTime"]), "2026-01-15T11:00:00.000Z");
  EXPECT_EQ(std::string_view(item["resourceData"]["@odata.id"]), "copilot/interactionHistory/interactions('17')");
  EXPECT_EQ(std::string_view(item["resourceData"]["@aihistory.userId"]), "u1");
  EXPECT_TRUE(doc["validationTokens"].error());  // only rich notifications carry them
}

TEST(NotificationJson, RichNotificationsCarryContentAndTokens) {
  store::Subscription s = Sub();
  s.include_resource_data = true;
  s.client_state = "abc";
  s.encryption_certificate_id = "c1";
  auto cert = testing::MakeCertificate(2048);
  auto parsed = EncryptionCertificate::Parse(cert.der_base64);
  std::string body = RenderChangeNotifications(
      s, {RoutedChange{5, store::ChangeType::kCreated, "u1", "17", R"({"id":"17"})"}}, &*parsed, "a.b.c");
  simdjson::dom::parser parser;
  auto doc = parser.parse(body);
  ASSERT_FALSE(doc.error()) << body;
  auto content = doc["value"].at(0)["encryptedContent"];
  EXPECT_EQ(std::string_view(content["encryptionCertificateId"]), "c1");
  EXPECT_EQ(std::string_view(content["encryptionCertificateThumbprint"]), parsed->thumbprint());
  EncryptedContent e{std::string(std::string_view(content["data"])), std::string(std::string_view(content["dataKey"])),
                     std::string(std::string_view(content["dataSignature"])), "c1", parsed->thumbprint()};
  EXPECT_EQ(*testing::DecryptAsReceiver(cert, e), R"({"id":"17"})");
  EXPECT_EQ(std::string_view(doc["value"].at(0)["clientState"]), "abc");
  EXPECT_EQ(std::string_view(doc["validationTokens"].at(0)), "a.b.c");
}

TEST(NotificationJson, LifecycleNotifications) {
  store::Subscription s = Sub();
  store::OutboxEntry e = LifecycleOutboxEntry(s, LifecycleEvent::kReauthorizationRequired, 1000);
  EXPECT_EQ(e.kind, store::OutboxKind::kLifecycle);
  EXPECT_EQ(e.url, "https://r.example/life");
  simdjson::dom::parser parser;
  auto item = parser.parse(e.payload)["value"].at(0);
  EXPECT_EQ(std::string_view(item["lifecycleEvent"]), "reauthorizationRequired");
  EXPECT_EQ(std::string_view(item["subscriptionId"]), s.id);
  EXPECT_EQ(std::string_view(item["tenantId"]), "t");
}

TEST(RoutedChange, RoundTripsExactly) {
  std::vector<RoutedChange> in = {{1, store::ChangeType::kCreated, "u", "a\"b", "{\"x\":\"\\u00e9\"}"},
                                  {2, store::ChangeType::kDeleted, "u", "c", ""}};
  auto out = ReadRoutedChanges(WriteRoutedChanges(in));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].interaction_id, "a\"b");
  EXPECT_EQ((*out)[0].resource_json, "{\"x\":\"\\u00e9\"}");  // the stored bytes, not a re-serialisation
  EXPECT_EQ((*out)[1].type, store::ChangeType::kDeleted);
  EXPECT_TRUE((*out)[1].resource_json.empty());
  EXPECT_FALSE(ReadRoutedChanges("{").ok());
}

}  // namespace
}  // namespace aih::notify
