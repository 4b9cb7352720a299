// Legal holds and erasure through the admin API (legal_hold_resource.h, erasure_resource.h).
#include "directory_fixture.h"

namespace aih::testing {
namespace {

std::string ErrorMessage(const http::Response& r) { return JsonAt(r.body, "error.message"); }

class LegalHoldApiTest : public DirectoryApiTest {
 protected:
  std::string Tenant(const std::string& rest = "") { return std::string("/admin/tenants/") + kTenantA + rest; }
  // A new case of tenant A: its id.
  std::string OpenCase() {
    auto r = Admin("POST", Tenant("/cases"), R"({"displayName":"Contoso v. Fabrikam"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return JsonAt(r.body, "id");
  }
};

TEST_P(LegalHoldApiTest, AHeldItemIsNotErasedUntilTheHoldIsReleased) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "," + Item(licensed_.id, kThirdOn, "2") + "]").status, 200);
  const std::string case_id = OpenCase();
  auto hold = Admin("POST", Tenant("/cases/" + case_id + "/legalHolds"),
                    R"({"displayName":"Keep Teams","userSources":[")" + licensed_.upn +
                        R"("],"contentQuery":"appClass eq ')" + kFirstParty + R"('"})");
  ASSERT_EQ(hold.status, 201) << hold.body;
  const std::string hold_id = JsonAt(hold.body, "id");
  EXPECT_EQ(JsonAt(hold.body, "status"), "active");
  EXPECT_EQ(JsonAt(hold.body, "userSources.0.id"), licensed_.id);

  auto applies = Admin("GET", Tenant("/users/" + licensed_.id + "/interactions/1/governance"));
  ASSERT_EQ(applies.status, 200) << applies.body;
  EXPECT_EQ(JsonAt(applies.body, "legalHolds.0.id"), hold_id);
  EXPECT_EQ(JsonArraySize(Admin("GET", Tenant("/users/" + licensed_.id + "/interactions/2/governance")).body,
                          "legalHolds"), 0u);

  // The erasure of everything, and the admin delete of the held item: 409 naming the hold, nothing gone.
  auto erase = Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.upn + R"("})");
  EXPECT_EQ(erase.status, 409) << erase.body;
  EXPECT_NE(ErrorMessage(erase).find(hold_id), std::string::npos) << erase.body;
  auto admin_delete = Admin("DELETE", Tenant("/users/" + licensed_.id + "/interactions/1"));
  EXPECT_EQ(admin_delete.status, 409) << admin_delete.body;
  EXPECT_EQ(StoredCount(kTenantA), 2);

  // What the hold does not cover may be erased.
  auto one = Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.id + R"(","interactionId":"2"})");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(JsonAt(one.body, "erased"), "1");

  auto released = Admin("POST", Tenant("/cases/" + case_id + "/legalHolds/" + hold_id + "/release"));
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(JsonAt(released.body, "status"), "released");
  auto all = Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.upn + R"("})");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(JsonAt(all.body, "erased"), "1");
  EXPECT_EQ(StoredCount(kTenantA), 0);

  auto record = Admin("GET", Tenant("/erasures?userId=" + licensed_.id));
  ASSERT_EQ(record.status, 200) << record.body;
  EXPECT_EQ(JsonArraySize(record.body, "value"), 2u);
  EXPECT_EQ(JsonAt(record.body, "value.0.reason"), "erasure");
  EXPECT_EQ(JsonAt(record.body, "value.0.contentHash").size(), 16u);
}

TEST_P(LegalHoldApiTest, BadHoldsAreRefusedAndStoreNothing) {
  const std::string case_id = OpenCase();
  const std::string holds = Tenant("/cases/" + case_id + "/legalHolds");
  // A user of another tenant is not a user of this one.
  auto other = Admin("POST", holds, R"({"displayName":"x","userSources":[")" + tenant_b_user_.id + R"("]})");
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_NE(ErrorMessage(other).find(tenant_b_user_.id), std::string::npos) << other.body;
  EXPECT_EQ(Admin("POST", holds, R"({"displayName":"x","userSources":[]})").status, 400);
  EXPECT_EQ(Admin("POST", holds, R"({"userSources":[")" + licensed_.id + R"("]})").status, 400);
  auto query = Admin("POST", holds, R"({"displayName":"x","userSources":[")" + licensed_.id + R"("],"contentQuery":"body eq 'x'"})");
  EXPECT_EQ(query.status, 400) << query.body;
  auto range = Admin("POST", holds, R"({"displayName":"x","userSources":[")" + licensed_.id +
                                        R"("],"startDateTime":"2026-02-01T00:00:00Z","endDateTime":"2026-01-01T00:00:00Z"})");
  EXPECT_EQ(range.status, 400) << range.body;
  EXPECT_EQ(Admin("POST", holds, R"({"displayName":"x","userSources":[")" + licensed_.id + R"("],"colour":"red"})").status, 400);
  EXPECT_EQ(Admin("POST", Tenant("/cases/no-such-case/legalHolds"), R"({"displayName":"x","userSources":[")" +
                                                                    licensed_.id + R"("]})").status, 404);
  EXPECT_EQ(JsonArraySize(Admin("GET", holds).body, "value"), 0u);
  // The other tenant does not see this tenant's case.
  EXPECT_EQ(Admin("GET", std::string("/admin/tenants/") + kTenantB + "/cases/" + case_id).status, 404);
}

TEST_P(LegalHoldApiTest, AHoldsContentSearchIsTheExportsSearch) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1", R"(,"body":{"contentType":"text","content":"the merger with Fabrikam"})") +
                  "," + Item(licensed_.id, kFirstParty, "2", R"(,"body":{"contentType":"text","content":"lunch plans"})") + "]")
                .status, 200);
  const std::string case_id = OpenCase();
  const std::string holds = Tenant("/cases/" + case_id + "/legalHolds");
  auto hold = Admin("POST", holds, R"({"displayName":"The merger","userSources":[")" + licensed_.upn +
                                       R"("],"contentSearch":"merger AND fabrikam"})");
  ASSERT_EQ(hold.status, 201) << hold.body;
  EXPECT_EQ(JsonAt(hold.body, "contentSearch"), "merger AND fabrikam");
  const std::string hold_id = JsonAt(hold.body, "id");
  EXPECT_EQ(JsonAt(Admin("GET", holds + "/" + hold_id).body, "contentSearch"), "merger AND fabrikam");

  auto held = Admin("GET", Tenant("/users/" + licensed_.id + "/interactions/1/governance"));
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(JsonAt(held.body, "legalHolds.0.id"), hold_id);
  EXPECT_EQ(JsonAt(held.body, "deletable"), "false");
  auto free = Admin("GET", Tenant("/users/" + licensed_.id + "/interactions/2/governance"));
  EXPECT_EQ(JsonArraySize(free.body, "legalHolds"), 0u) << free.body;

  auto erase = Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.id + R"("})");
  EXPECT_EQ(erase.status, 409) << erase.body;
  EXPECT_NE(ErrorMessage(erase).find(hold_id), std::string::npos) << erase.body;
  auto other = Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.id + R"(","interactionId":"2"})");
  EXPECT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(StoredCount(kTenantA), 1);

  // A search that is not KQL the export takes: 400 naming the token, and no hold is placed.
  for (const std::string& bad : {std::string("merger NEAR fabrikam"), std::string("(merger"),
                                 std::string("merger AND")}) {
    auto refused = Admin("POST", holds, R"({"displayName":"x","userSources":[")" + licensed_.id +
                                            R"("],"contentSearch":")" + bad + R"("})");
    EXPECT_EQ(refused.status, 400) << bad << ": " << refused.body;
    EXPECT_NE(ErrorMessage(refused).find("contentSearch"), std::string::npos) << refused.body;
  }
  auto near = Admin("POST", holds, R"({"displayName":"x","userSources":[")" + licensed_.id +
                                       R"("],"contentSearch":"merger NEAR fabrikam"})");
  EXPECT_NE(ErrorMessage(near).find("NEAR"), std::string::npos) << near.body;
  EXPECT_EQ(JsonArraySize(Admin("GET", holds).body, "value"), 1u);
}

TEST_P(LegalHoldApiTest, ErasingANonexistentUserIs404AndASessionErasesOnlyItself) {
  auto nobody = Admin("POST", Tenant("/erasures"), R"({"user":"cccccccc-0000-4000-8000-000000000000"})");
  EXPECT_EQ(nobody.status, 404) << nobody.body;
  EXPECT_EQ(Admin("POST", Tenant("/erasures"), R"({"user":"nobody@contoso.example"})").status, 404);
  EXPECT_EQ(Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.id + R"(","interactionId":"1","sessionId":"s"})").status, 400);
  EXPECT_EQ(Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.id + R"(","interactionId":"missing"})").status, 404);
  auto none = Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.id + R"("})");
  EXPECT_EQ(none.status, 200) << "a known user with nothing stored: nothing to erase";

  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1", R"(,"sessionId":"s-1")") + "," +
                  Item(licensed_.id, kFirstParty, "2", R"(,"sessionId":"s-2")") + "]").status, 200);
  auto session = Admin("POST", Tenant("/erasures"), R"({"user":")" + licensed_.id + R"(","sessionId":"s-1"})");
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(JsonAt(session.body, "erased"), "1");
  EXPECT_EQ(StoredCount(kTenantA), 1);
}

TEST_P(LegalHoldApiTest, RetentionPoliciesAreValidatedListedAndToldPerItem) {
  const std::string policies = Tenant("/retentionPolicies");
  auto created = Admin("POST", policies, R"({"displayName":"Copilot 1y","action":"delete","periodDays":365,"appClass":"IPM.SkypeTeams.Message.Copilot.*"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto retain = Admin("POST", policies, R"({"displayName":"Megan 7y","action":"retain","periodDays":2555,"users":[")" + licensed_.upn + R"("]})");
  ASSERT_EQ(retain.status, 201) << retain.body;
  EXPECT_EQ(JsonAt(retain.body, "users.0"), licensed_.id);
  for (const char* bad : {R"({"displayName":"zero","action":"delete","periodDays":0})",
                          R"({"displayName":"forever","action":"delete","periodDays":3652500})",
                          R"({"displayName":"x","action":"shred","periodDays":1})",
                          R"({"displayName":"x","action":"delete"})",
                          R"({"displayName":"x","action":"delete","periodDays":1,"party":"fourth"})",
                          R"({"displayName":"x","action":"delete","periodDays":1,"appClass":"IPM.*.Copilot"})"}) {
    EXPECT_EQ(Admin("POST", policies, bad).status, 400) << bad;
  }
  EXPECT_EQ(Admin("POST", policies, R"({"displayName":"x","action":"delete","periodDays":1,"users":[")" +
                                        tenant_b_user_.id + R"("]})").status, 404) << "a user of another tenant";
  EXPECT_EQ(JsonArraySize(Admin("GET", policies).body, "value"), 2u);

  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "]").status, 200);
  auto governance = Admin("GET", Tenant("/users/" + licensed_.id + "/interactions/1/governance"));
  ASSERT_EQ(governance.status, 200) << governance.body;
  EXPECT_EQ(JsonArraySize(governance.body, "retentionPolicies"), 2u);
  // Created 2026-01-15T10:30:00Z; the longest retention (2555 days) wins over the 1-year deletion.
  EXPECT_EQ(JsonAt(governance.body, "deleteAfterDateTime"), "2033-01-13T10:30:00Z") << governance.body;
  EXPECT_EQ(JsonAt(governance.body, "deletable"), "true");

  EXPECT_EQ(Admin("DELETE", policies + "/" + JsonAt(retain.body, "id")).status, 204);
  EXPECT_EQ(Admin("DELETE", policies + "/" + JsonAt(retain.body, "id")).status, 404);
  governance = Admin("GET", Tenant("/users/" + licensed_.id + "/interactions/1/governance"));
  EXPECT_EQ(JsonAt(governance.body, "deleteAfterDateTime"), "2027-01-15T10:30:00Z") << governance.body;
}

INSTANTIATE_TEST_SUITE_P(Engines, LegalHoldApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
