// AiEnterpriseInteraction.Read.User granted for particular users (sections 2 and 7): granted, listed
// and revoked through the admin API; it opens subscriptions to exactly those users, never to the
// tenant, and never export. The directory is directory_fixture.h's, on every engine.
#include <chrono>
#include <memory>

#include "directory_fixture.h"
#include "http/server.h"
#include "model/timestamp.h"
#include "odata/percent_encoding.h"

namespace aih::testing {
namespace {

constexpr const char* kArchiverA = "e0000000-0000-4000-8000-0000000000aa";  // Read.User for Alice only

// A receiver that passes the validation handshake (echoes the decoded token) and accepts the rest.
class EchoReceiver {
 public:
  EchoReceiver() {
    http::ServerOptions o;
    o.http_port = 0;
    o.worker_threads = 2;
    server_ = std::move(*http::Server::Start(o, [](const http::Request& r) {
      http::Response response;
      const std::string_view query = r.query();
      const size_t at = query.find("validationToken=");
      if (at == std::string_view::npos) {
        response.status = 202;
        return response;
      }
      auto token = odata::PercentDecode(query.substr(at + 16), false);
      response.content_type = "text/plain";
      response.body = token.ok() ? *token : "";
      return response;
    }));
  }
  ~EchoReceiver() { server_->Stop(); }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server_->http_port()) + "/notify"; }

 private:
  std::unique_ptr<http::Server> server_;
};

std::string ErrorMessage(const http::Response& r) { return JsonAt(r.body, "error.message"); }

// An expirationDateTime `m` from now.
std::string In(std::chrono::minutes m) {
  auto at = std::chrono::system_clock::now() + m;
  return model::Timestamp::FromUnixMillis(
             std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count())
      .ToString();
}

class UserAccessTest : public DirectoryApiTest {
 protected:
  void SetUp() override {
    DirectoryApiTest::SetUp();
    ASSERT_TRUE(store_->directory().CreateApplication({kArchiverA, "Archiver", kTenantA, 0}).ok());
    auth::Principal archiver;
    archiver.tenant_id = kTenantA;
    archiver.app_id = kArchiverA;
    archiver.roles = {auth::kReadUser};
    auth_.tokens["Bearer archiver-a"] = archiver;
  }
  std::string Access(const std::string& user_ref, const std::string& client = kArchiverA) {
    return std::string("/admin/tenants/") + kTenantA + "/users/" + user_ref + "/access/" + client;
  }
  http::Response Subscribe(const std::string& user_ref, const std::string& token = "archiver-a") {
    const std::string resource = user_ref.empty() ? "/copilot/interactionHistory/getAllEnterpriseInteractions"
                                                  : "/copilot/users/" + user_ref +
                                                        "/interactionHistory/getAllEnterpriseInteractions";
    return Send("POST", "/v1.0/subscriptions",
                "{\"changeType\":\"created\",\"notificationUrl\":\"" + receiver_.Url() + "\",\"resource\":\"" +
                    resource + "\",\"expirationDateTime\":\"" + In(std::chrono::minutes(50)) + "\"}",
                token, {{"content-type", "application/json"}});
  }

  EchoReceiver receiver_;
};

TEST_P(UserAccessTest, TheAdminApiGrantsListsAndRevokesItUserByUser) {
  EXPECT_EQ(JsonArraySize(Admin("GET", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id + "/access").body,
                          "value"),
            0u);
  ASSERT_EQ(Admin("PUT", Access(licensed_.upn), "", "").status, 204);  // by UPN or object id alike
  ASSERT_EQ(Admin("PUT", Access(licensed_.id), "", "").status, 204);   // twice: no error
  ASSERT_EQ(Admin("PUT", Access(licensed_.id, kExporterA), "", "").status, 204);
  auto listed = Admin("GET", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id + "/access");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(JsonArraySize(listed.body, "value"), 2u);
  EXPECT_EQ(JsonAt(listed.body, "value.0.clientId"), kExporterA);  // by client id
  EXPECT_EQ(JsonAt(listed.body, "value.0.role"), auth::kReadUser);
  EXPECT_EQ(JsonAt(listed.body, "value.1.clientId"), kArchiverA);
  EXPECT_TRUE(*store_->directory().HasUserAccess(kTenantA, kArchiverA, licensed_.id));
  EXPECT_FALSE(*store_->directory().HasUserAccess(kTenantA, kArchiverA, unlicensed_.id));

  // What is wrong is named.
  EXPECT_EQ(Admin("PUT", Access("nobody@contoso.example"), "", "").status, 404);
  EXPECT_EQ(Admin("PUT", Access(tenant_b_user_.id), "", "").status, 404) << "a user of another tenant";
  auto unknown_app = Admin("PUT", Access(licensed_.id, "e0000000-0000-4000-8000-0000000000ff"), "", "");
  EXPECT_EQ(unknown_app.status, 404);
  EXPECT_NE(ErrorMessage(unknown_app).find("register it first"), std::string::npos) << unknown_app.body;
  EXPECT_EQ(Admin("PUT", Access(licensed_.id, "not-a-guid"), "", "").status, 400);

  // Tenant-wide admin consent does not grant it: the answer says where it is granted.
  auto consent = Admin("POST", std::string("/admin/tenants/") + kTenantA + "/consents",
                       std::string("{\"clientId\":\"") + kArchiverA + "\",\"roles\":[\"" + auth::kReadUser + "\"]}");
  EXPECT_EQ(consent.status, 400);
  EXPECT_NE(ErrorMessage(consent).find("/users/{user}/access/{clientId}"), std::string::npos) << consent.body;

  ASSERT_EQ(Admin("DELETE", Access(licensed_.id, kExporterA)).status, 204);
  ASSERT_EQ(Admin("DELETE", Access(licensed_.id, kExporterA)).status, 204);  // already gone: no error
  EXPECT_EQ(JsonArraySize(Admin("GET", std::string("/admin/tenants/") + kTenantA + "/users/" + licensed_.id + "/access").body,
                          "value"),
            1u);
  // Only with the admin key.
  EXPECT_EQ(Send("PUT", Access(unlicensed_.id), "", "exporter-a").status, 401);
}

TEST_P(UserAccessTest, ItOpensSubscriptionsToTheGrantedUserOnly) {
  auto before = Subscribe(licensed_.id);
  EXPECT_EQ(before.status, 403) << before.body;
  EXPECT_NE(ErrorMessage(before).find("/access/"), std::string::npos) << "says how to grant it: " << before.body;
  ASSERT_EQ(Admin("PUT", Access(licensed_.id), "", "").status, 204);

  auto granted = Subscribe(licensed_.upn);
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(JsonAt(granted.body, "applicationId"), kArchiverA);
  auto other = Subscribe(unlicensed_.id);  // not granted for Bob
  EXPECT_EQ(other.status, 403) << other.body;
  auto tenant_wide = Subscribe("");
  EXPECT_EQ(tenant_wide.status, 403) << tenant_wide.body;
  EXPECT_NE(ErrorMessage(tenant_wide).find(auth::kReadAll), std::string::npos);
  // A user that does not exist gets the same answer as one not granted: nothing to probe.
  auto nobody = Subscribe("00000000-0000-4000-8000-00000000dead");
  EXPECT_EQ(nobody.status, 403) << nobody.body;

  // Renewal and reauthorization re-check the grant: revoked, both are refused.
  const std::string id = JsonAt(granted.body, "id");
  EXPECT_EQ(Send("POST", "/v1.0/subscriptions/" + id + "/reauthorize", "", "archiver-a").status, 204);
  ASSERT_EQ(Admin("DELETE", Access(licensed_.id)).status, 204);
  EXPECT_EQ(Send("POST", "/v1.0/subscriptions/" + id + "/reauthorize", "", "archiver-a").status, 403);
  auto renew = Send("PATCH", "/v1.0/subscriptions/" + id, "{\"expirationDateTime\":\"" + In(std::chrono::minutes(55)) + "\"}",
                    "archiver-a", {{"content-type", "application/json"}});
  EXPECT_EQ(renew.status, 403) << renew.body;
}

TEST_P(UserAccessTest, ItNeverOpensExport) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "]").status, 200);
  ASSERT_EQ(Admin("PUT", Access(licensed_.id), "", "").status, 204);
  auto own = Export(licensed_.id, "archiver-a");
  EXPECT_EQ(own.status, 403) << own.body;
  EXPECT_NE(ErrorMessage(own).find("AiEnterpriseInteraction.Read.All"), std::string::npos) << own.body;
  EXPECT_NE(ErrorMessage(own).find("subscriptions to that user's interactions"), std::string::npos)
      << "says what the grant is for: " << own.body;
  // About a user it holds no grant for, the refusal says nothing of grants (nor whether the user exists).
  auto other = Export(unlicensed_.id, "archiver-a");
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(ErrorMessage(other).find("is granted"), std::string::npos) << other.body;
  EXPECT_EQ(ExportTenant("archiver-a").status, 403);
  // Even a token that claims Read.All does not export without the consent behind it.
  auth_.tokens["Bearer archiver-claims-all"] = auth_.tokens["Bearer archiver-a"];
  auth_.tokens["Bearer archiver-claims-all"].roles = {auth::kReadAll, auth::kReadUser};
  EXPECT_EQ(Export(licensed_.id, "archiver-claims-all").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, UserAccessTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
