// Delegated tokens end to end (sections 2 and 7): an external issuer (as Entra ID would) signs tokens
// for a signed-in user, the real server trusts it through a JWKS file (--trust-issuer/--trust-jwks),
// and the contract's rules hold over real HTTP: export stays an application's business, even of the
// signed-in user's own history; a delegated subscription is to the signed-in user's own history only,
// and is seen and managed by that user alone.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>

#include "auth/jwt.h"
#include "auth/signing_key.h"
#include "integration_fixture.h"
#include "model/timestamp.h"
#include "support/webhook_receiver.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

// The client application the user signs in to (a compliance viewer). Unknown to aihistory's
// directory, as an app registered only with the external issuer is.
constexpr const char* kViewerApp = "7e1a0000-0000-4000-8000-00000000c0de";
constexpr const char* kCopilotPlan = "3f30311c-6b1e-48a4-ab79-725b469da960";

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string In(std::chrono::minutes m) {
  auto at = std::chrono::system_clock::now() + m;
  return model::Timestamp::FromUnixMillis(
             std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count())
      .ToString();
}

class DelegatedTokensTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    auto key = auth::SigningKey::Generate();
    ASSERT_TRUE(key.ok()) << key.status().message();
    issuer_key_ = std::make_unique<auth::SigningKey>(std::move(*key));
    const std::string jwks = data_dir_ + "/external-issuer-keys.json";
    std::ofstream(jwks) << "{\"keys\":[" << issuer_key_->verifying_key().ToJwk() << "]}";
    server_.reset();  // again, trusting the external issuer
    StartServer({"--trust-issuer", "https://login.example.test/{tenantid}/v2.0", "--trust-jwks", jwks});
    if (HasFatalFailure()) return;
    // A second licensed user: someone else's history the signed-in user must not reach.
    auto imported = Admin("POST", "/admin/tenants/" + demo_.tenant_id + "/users",
                          "[{\"userPrincipalName\":\"megan.bowen@contoso.example\",\"servicePlans\":[\"" +
                              std::string(kCopilotPlan) + "\"]}]");
    ASSERT_EQ(imported.status, 200) << imported.body;
    colleague_ = JsonValue(imported.body, "value.0.id");
  }

  // A delegated access token for `user_oid` signed in to the viewer app, as the external issuer mints it.
  std::string SignedIn(const std::string& user_oid, std::vector<std::string> scopes = {"AiEnterpriseInteraction.Read"}) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    auth::Claims claims;
    claims.iss = "https://login.example.test/" + demo_.tenant_id + "/v2.0";
    claims.aud = {"https://graph.microsoft.com"};
    claims.tid = demo_.tenant_id;
    claims.sub = "pairwise-" + user_oid.substr(0, 8);
    claims.oid = user_oid;
    claims.appid = kViewerApp;
    claims.scp = std::move(scopes);
    claims.iat = claims.nbf = now;
    claims.exp = now + 3600;
    return auth::SignJwt(*issuer_key_, claims);
  }

  HttpResult Call(const std::string& method, const std::string& target, const std::string& token,
                  const std::string& body = "") {
    std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "Bearer " + token}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return client_->Send(method, target, headers, body);
  }
  HttpResult Admin(const std::string& method, const std::string& target, const std::string& body = "") {
    return client_->Send(method, target, {{"X-Aihistory-Admin-Key", demo_.admin_key}, {"Content-Type", "application/json"}},
                         body);
  }
  HttpResult ExportAs(const std::string& token, const std::string& user_ref) {
    return Call("GET",
                user_ref.empty() ? "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions"
                                 : "/v1.0/copilot/users/" + user_ref + "/interactionHistory/getAllEnterpriseInteractions",
                token);
  }
  // A subscription request for `user_ref`'s history ("" for the whole tenant).
  std::string SubscriptionTo(const std::string& user_ref, const WebhookReceiver& receiver) {
    const std::string resource = user_ref.empty() ? "/copilot/interactionHistory/getAllEnterpriseInteractions"
                                                  : "/copilot/users/" + user_ref +
                                                        "/interactionHistory/getAllEnterpriseInteractions";
    return "{\"changeType\":\"created,updated,deleted\",\"notificationUrl\":" + Quote(receiver.Url()) +
           ",\"lifecycleNotificationUrl\":" + Quote(receiver.Url("/lifecycle")) + ",\"resource\":" + Quote(resource) +
           ",\"expirationDateTime\":" + Quote(In(50min)) + ",\"clientState\":\"viewer-state\"}";
  }

  std::unique_ptr<auth::SigningKey> issuer_key_;
  std::string colleague_;
};

// Section 2: "Delegated tokens (with scp) get 403 on export", the signed-in user's own history included.
TEST_P(DelegatedTokensTest, ExportStaysWithApplicationTokensEvenForTheSignedInUsersOwnHistory) {
  ASSERT_EQ(Write("[" + Item("d1") + "]").status, 200);
  const std::string adele = SignedIn(demo_.licensed_user);
  for (const std::string& whose : {demo_.licensed_user, demo_.licensed_upn, colleague_, std::string()}) {
    auto r = ExportAs(adele, whose);
    EXPECT_EQ(r.status, 403) << (whose.empty() ? "tenant-wide" : whose) << ": " << r.body;
    EXPECT_EQ(JsonValue(r.body, "error.code"), "Forbidden");
    EXPECT_NE(JsonValue(r.body, "error.message").find("application permission"), std::string::npos) << r.body;
  }
  // The token itself is accepted (a bad one is 401), and the data is there for an application.
  EXPECT_EQ(ExportAs("not-a-token", demo_.licensed_user).status, 401);
  auto app = Export();
  ASSERT_EQ(app.status, 200) << app.body;
  EXPECT_EQ(JsonValue(app.body, "value.0.id"), "d1");
}

TEST_P(DelegatedTokensTest, ASignedInUserSubscribesToTheirOwnHistoryOnly) {
  WebhookReceiver receiver;
  const std::string adele = SignedIn(demo_.licensed_user);
  auto own = Call("POST", "/v1.0/subscriptions", adele, SubscriptionTo(demo_.licensed_upn, receiver));
  ASSERT_EQ(own.status, 201) << own.body;
  const std::string id = JsonValue(own.body, "id");
  EXPECT_EQ(JsonValue(own.body, "creatorId"), demo_.licensed_user);
  EXPECT_EQ(JsonValue(own.body, "applicationId"), kViewerApp);

  auto colleagues = Call("POST", "/v1.0/subscriptions", adele, SubscriptionTo(colleague_, receiver));
  EXPECT_EQ(colleagues.status, 403) << colleagues.body;
  EXPECT_NE(JsonValue(colleagues.body, "error.message").find("own interactions"), std::string::npos) << colleagues.body;
  auto tenant = Call("POST", "/v1.0/subscriptions", adele, SubscriptionTo("", receiver));
  EXPECT_EQ(tenant.status, 403) << tenant.body;
  auto unscoped = Call("POST", "/v1.0/subscriptions", SignedIn(demo_.licensed_user, {"User.Read"}),
                       SubscriptionTo(demo_.licensed_user, receiver));
  EXPECT_EQ(unscoped.status, 403);
  EXPECT_NE(JsonValue(unscoped.body, "error.message").find("AiEnterpriseInteraction.Read"), std::string::npos);
  auto unlicensed = Call("POST", "/v1.0/subscriptions", SignedIn(demo_.unlicensed_user),
                         SubscriptionTo(demo_.unlicensed_user, receiver));
  EXPECT_EQ(unlicensed.status, 403);
  EXPECT_NE(JsonValue(unlicensed.body, "error.message").find("license"), std::string::npos) << unlicensed.body;

  // Her changes reach her receiver.
  ASSERT_EQ(Write("[" + Item("d1") + "]").status, 200);
  ASSERT_TRUE(receiver.WaitFor([&] { return receiver.count() >= 1; }));
  auto got = receiver.Received();
  EXPECT_EQ(got[0].subscription_id, id);
  EXPECT_EQ(got[0].change_type, "created");
  EXPECT_EQ(got[0].resource_id, "d1");
  EXPECT_EQ(got[0].client_state, "viewer-state");

  // Another user signed in to the same app sees nothing of it and can change nothing.
  const std::string megan = SignedIn(colleague_);
  EXPECT_EQ(JsonLength(Call("GET", "/v1.0/subscriptions", megan).body, "value"), 0u);
  EXPECT_EQ(Call("GET", "/v1.0/subscriptions/" + id, megan).status, 404);
  EXPECT_EQ(Call("PATCH", "/v1.0/subscriptions/" + id, megan, "{\"expirationDateTime\":" + Quote(In(55min)) + "}").status,
            404);
  EXPECT_EQ(Call("POST", "/v1.0/subscriptions/" + id + "/reauthorize", megan).status, 404);
  EXPECT_EQ(Call("DELETE", "/v1.0/subscriptions/" + id, megan).status, 404);
  auto hers = Call("POST", "/v1.0/subscriptions", megan, SubscriptionTo(colleague_, receiver));
  ASSERT_EQ(hers.status, 201) << hers.body;

  // Adele manages hers: listed alone, renewed, reauthorized, deleted.
  auto list = Call("GET", "/v1.0/subscriptions", adele);
  ASSERT_EQ(JsonLength(list.body, "value"), 1u) << list.body;
  EXPECT_EQ(JsonValue(list.body, "value.0.id"), id);
  EXPECT_EQ(Call("PATCH", "/v1.0/subscriptions/" + id, adele, "{\"expirationDateTime\":" + Quote(In(55min)) + "}").status,
            200);
  EXPECT_EQ(Call("POST", "/v1.0/subscriptions/" + id + "/reauthorize", adele).status, 204);
  EXPECT_EQ(Call("DELETE", "/v1.0/subscriptions/" + id, adele).status, 204);
  EXPECT_EQ(Call("GET", "/v1.0/subscriptions/" + id, adele).status, 404);

  // A signed-in user removed from the directory loses their subscription, and its receiver is told.
  const std::string megans = JsonValue(hers.body, "id");
  ASSERT_EQ(Admin("DELETE", "/admin/tenants/" + demo_.tenant_id + "/users/" + colleague_).status, 204);
  ASSERT_TRUE(receiver.WaitFor([&] {
    for (const auto& n : receiver.Received()) {
      if (n.lifecycle_event == "subscriptionRemoved" && n.subscription_id == megans) return true;
    }
    return false;
  }));
}

// Object ids are GUIDs, which compare without regard to case: an issuer that writes `oid` in upper
// case signs in the same user.
TEST_P(DelegatedTokensTest, TheSignedInUserIsRecognisedWhateverTheCaseOfTheirObjectId) {
  WebhookReceiver receiver;
  std::string upper = demo_.licensed_user;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  const std::string adele = SignedIn(upper);
  auto own = Call("POST", "/v1.0/subscriptions", adele, SubscriptionTo(demo_.licensed_user, receiver));
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(JsonValue(own.body, "creatorId"), demo_.licensed_user);
  EXPECT_EQ(Call("GET", "/v1.0/subscriptions/" + JsonValue(own.body, "id"), SignedIn(demo_.licensed_user)).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, DelegatedTokensTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
