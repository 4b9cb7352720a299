// AiEnterpriseInteraction.Read.User granted for particular users, over the real server and the real
// command line: `aihistory admin access` grants, lists and revokes it; the grant lets an application
// (even one whose home is another tenant) get a token there and subscribe to that user; revoking it
// ends the subscription and tells the receiver `subscriptionRemoved`.
#include "base/base64.h"
#include "integration_fixture.h"
#include "model/timestamp.h"
#include "support/webhook_receiver.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// The `roles` claim of an access token (its payload is read without verifying it: the server did).
std::string Roles(const std::string& jwt) {
  const size_t first = jwt.find('.'), second = jwt.find('.', first + 1);
  auto payload = Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  return payload.ok() ? JsonValue(*payload, "roles") : "<undecodable>";
}

class UserAccessTest : public ServerTest {
 protected:
  HttpResult Admin(const std::string& method, const std::string& target, const std::string& body = "") {
    return client_->Send(method, target, {{"X-Aihistory-Admin-Key", demo_.admin_key}, {"Content-Type", "application/json"}},
                         body);
  }
  // `aihistory admin access <verb> ...` on the server's store, while it runs; returns the exit code.
  int AccessCli(const std::string& verb, const std::string& client_id, const std::string& user, std::string* output) {
    std::vector<std::string> args = {"admin", "access", verb, "--store", store_, "--tenant", demo_.tenant_id,
                                     "--user", user};
    if (!client_id.empty()) args.insert(args.end(), {"--client-id", client_id});
    return RunAihistory(args, output);
  }
  // A new application registered in `home`; *secret receives its client secret.
  std::string RegisterApp(const std::string& home, std::string* secret) {
    auto app = Admin("POST", "/admin/applications", "{\"displayName\":\"archiver\",\"homeTenantId\":" + Quote(home) + "}");
    EXPECT_EQ(app.status, 201) << app.body;
    *secret = JsonValue(app.body, "clientSecret.secretText");
    return JsonValue(app.body, "clientId");
  }
  HttpResult Subscribe(const std::string& token, const std::string& user_ref, const WebhookReceiver& receiver) {
    auto at = std::chrono::system_clock::now() + 50min;
    const std::string expiry = model::Timestamp::FromUnixMillis(
        std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count()).ToString();
    return client_->Send(
        "POST", "/v1.0/subscriptions", {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
        "{\"changeType\":\"created\",\"notificationUrl\":" + Quote(receiver.Url()) + ",\"lifecycleNotificationUrl\":" +
            Quote(receiver.Url("/lifecycle")) + ",\"resource\":\"/copilot/users/" + user_ref +
            "/interactionHistory/getAllEnterpriseInteractions\",\"expirationDateTime\":" + Quote(expiry) + "}");
  }
};

TEST_P(UserAccessTest, GrantedOnTheCommandLineRevokedEndsTheSubscriptionWithSubscriptionRemoved) {
  // An archiver whose home is another tenant: without consent or a grant here, it does not exist here.
  auto other = Admin("POST", "/admin/tenants", "{\"displayName\":\"Archiving vendor\"}");
  ASSERT_EQ(other.status, 201) << other.body;
  std::string secret;
  const std::string archiver = RegisterApp(JsonValue(other.body, "id"), &secret);
  EXPECT_EQ(FetchToken(*client_, demo_.tenant_id, archiver, secret), "");

  std::string output;
  ASSERT_EQ(AccessCli("grant", archiver, demo_.licensed_upn, &output), 0) << output;
  EXPECT_NE(output.find("granted AiEnterpriseInteraction.Read.User"), std::string::npos) << output;
  ASSERT_EQ(AccessCli("list", "", demo_.licensed_user, &output), 0) << output;
  EXPECT_NE(output.find(archiver), std::string::npos) << output;
  EXPECT_NE(AccessCli("grant", archiver, "nobody@contoso.example", &output), 0);
  EXPECT_NE(output.find("has no user"), std::string::npos) << output;

  // The grant makes the app known here, its token says Read.User, and it subscribes to that user only.
  const std::string token = FetchToken(*client_, demo_.tenant_id, archiver, secret);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Roles(token), "[\"AiEnterpriseInteraction.Read.User\"]");
  WebhookReceiver receiver;
  auto other_user = Subscribe(token, demo_.unlicensed_user, receiver);
  EXPECT_EQ(other_user.status, 403) << other_user.body;
  auto created = Subscribe(token, demo_.licensed_user, receiver);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonValue(created.body, "id");
  ASSERT_EQ(Write("[" + Item("granted-1") + "]").status, 200);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 1; }));

  // Revoked (the admin API and the command line are the same operation): removed, and told.
  ASSERT_EQ(Admin("DELETE", "/admin/tenants/" + demo_.tenant_id + "/users/" + demo_.licensed_user + "/access/" + archiver)
                .status,
            204);
  ASSERT_TRUE(receiver.WaitFor([&] {
    for (const auto& n : receiver.Received()) {
      if (n.lifecycle_event == "subscriptionRemoved" && n.subscription_id == id && n.path == "/lifecycle") return true;
    }
    return false;
  }));
  auto gone = client_->Send("GET", "/v1.0/subscriptions/" + id, {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(gone.status, 404);
  ASSERT_EQ(AccessCli("list", "", demo_.licensed_user, &output), 0);
  EXPECT_EQ(output.find(archiver), std::string::npos) << output;
  ASSERT_EQ(AccessCli("revoke", archiver, demo_.licensed_user, &output), 0) << "revoking again is no error: " << output;
  // Nothing more reaches the receiver: a marker written after the removal is not notified.
  const size_t seen = receiver.count();
  ASSERT_EQ(Write("[" + Item("after-revoke") + "]").status, 200);
  WebhookReceiver witness;
  ASSERT_EQ(client_->Send("POST", "/v1.0/subscriptions",
                          {{"Authorization", "Bearer " + exporter_token_}, {"Content-Type", "application/json"}},
                          "{\"changeType\":\"created\",\"notificationUrl\":" + Quote(witness.Url()) +
                              ",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                              "\"expirationDateTime\":" +
                              Quote(model::Timestamp::FromUnixMillis(
                                        std::chrono::duration_cast<std::chrono::milliseconds>(
                                            (std::chrono::system_clock::now() + 30min).time_since_epoch())
                                            .count())
                                        .ToString()) +
                              "}")
                .status,
            201);
  ASSERT_EQ(Write("[" + Item("witness") + "]").status, 200);
  ASSERT_TRUE(witness.WaitFor([&] { return witness.count() >= 1; }));
  EXPECT_EQ(receiver.count(), seen);
}

INSTANTIATE_TEST_SUITE_P(Engines, UserAccessTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
