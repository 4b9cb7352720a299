// The access rules of section 2 through the HTTP API, decided by the real DirectoryPolicy over a
// real store: permissions and consent, licenses, data coverage, tenant isolation, writer sources,
// and hostile user ids. The directory is directory_fixture.h's.
#include <algorithm>
#include <set>

#include "directory_fixture.h"
#include "model/interaction_reader.h"
#include "store/page_sql.h"

namespace aih::testing {
namespace {

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string ErrorCode(const http::Response& r) { return JsonAt(r.body, "error.code"); }
std::string ErrorMessage(const http::Response& r) { return JsonAt(r.body, "error.message"); }

std::string NotFoundMessage(const std::string& ref) {
  return "Resource '" + ref + "' does not exist or one of its queried reference-property objects are not present.";
}

class AccessPolicyTest : public DirectoryApiTest {};

// {licensed, unlicensed} x {first-party, third-party enabled, third-party disabled} x {work, personal}:
// what a write of each cell does, and what export then shows or refuses.
TEST_P(AccessPolicyTest, TheCoverageMatrix) {
  struct Account {
    const TestUser* user;
    bool licensed, personal;
  };
  const Account accounts[] = {{&licensed_, true, false}, {&unlicensed_, false, false},
                              {&personal_licensed_, true, true}, {&personal_unlicensed_, false, true}};
  struct Source {
    const char* app_class;
    bool exported;
  };
  const Source sources[] = {{kFirstParty, true}, {kThirdOn, true}, {kThirdOff, false}};

  for (const Account& account : accounts) {
    for (const Source& source : sources) {
      SCOPED_TRACE(account.user->upn + " / " + source.app_class);
      const std::string id = std::string("item-") + source.app_class;
      const int64_t before = StoredCount(kTenantA);
      auto w = Write("[" + Item(account.user->upn, source.app_class, id) + "]");
      if (account.personal) {
        EXPECT_EQ(w.status, 400) << w.body;
        EXPECT_NE(ErrorMessage(w).find("personal Microsoft account"), std::string::npos) << w.body;
        EXPECT_EQ(StoredCount(kTenantA), before) << "a refused item leaves nothing behind";
      } else {
        EXPECT_EQ(w.status, 200) << w.body;
        EXPECT_EQ(JsonAt(w.body, "value.0.status"), "stored");
        EXPECT_EQ(JsonAt(w.body, "value.0.userId"), account.user->id) << "stored under the object id";
        EXPECT_EQ(StoredCount(kTenantA), before + 1);
      }
      for (const std::string& ref : {account.user->id, account.user->upn}) {
        auto page = Export(ref);
        if (account.personal) {
          EXPECT_EQ(page.status, 403) << page.body;
          EXPECT_NE(ErrorMessage(page).find("personal Microsoft account"), std::string::npos) << page.body;
        } else if (!account.licensed) {
          EXPECT_EQ(page.status, 403) << page.body;
          EXPECT_EQ(ErrorCode(page), "Forbidden");
          EXPECT_NE(ErrorMessage(page).find("Microsoft 365 Copilot license"), std::string::npos) << page.body;
          EXPECT_NE(ErrorMessage(page).find(store::kCopilotServicePlanId), std::string::npos) << page.body;
        } else {
          ASSERT_EQ(page.status, 200) << page.body;
          EXPECT_EQ(Has(Ids(page), id), source.exported) << page.body;
        }
      }
    }
  }
  // Tenant-wide: the licensed work account's exported sources only.
  auto all = ExportTenant("exporter-a", "?$count=true");
  ASSERT_EQ(all.status, 200) << all.body;
  // Equal createdDateTime: newest first ties by id, descending.
  EXPECT_EQ(Ids(all), (std::vector<std::string>{std::string("item-") + kFirstParty, std::string("item-") + kThirdOn}));
  EXPECT_EQ(JsonAt(all.body, "@odata.count"), "2");
  EXPECT_EQ(JsonAt(all.body, "value.0.@aihistory.userId"), licensed_.id);
  EXPECT_EQ(StoredCount(kTenantA), 6) << "both work accounts' items are stored, exported or not";
}

TEST_P(AccessPolicyTest, ASenderWithAPersonalAccountIsRefused) {
  auto w = Write("[" + Item(licensed_.id, kFirstParty, "1",
                            ",\"from\":{\"user\":{\"id\":\"x\",\"userIdentityType\":\"personalMicrosoftAccountUser\"}}") + "]");
  EXPECT_EQ(w.status, 400) << w.body;
  EXPECT_NE(ErrorMessage(w).find("personalMicrosoftAccountUser"), std::string::npos);
  auto ok = Write("[" + Item(licensed_.id, kFirstParty, "2", ",\"from\":{\"user\":{\"id\":\"x\",\"userIdentityType\":\"aadUser\"}}") + "]");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(StoredCount(kTenantA), 1);
}

TEST_P(AccessPolicyTest, TogglingASourcesExportChangesResultsAtOnceAndDeletesNothing) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "fp") + "," + Item(licensed_.id, kThirdOn, "on") + "," +
                  Item(licensed_.id, kThirdOff, "off") + "]").status, 200);
  auto ids = [&] { return Ids(Export(licensed_.id)); };
  EXPECT_EQ(ids(), (std::vector<std::string>{"on", "fp"}));

  auto patch = Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/sources/" + kThirdOff, "{\"exportEnabled\":true}");
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(ids(), (std::vector<std::string>{"on", "off", "fp"}));
  ASSERT_EQ(Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/sources/" + kThirdOn, "{\"exportEnabled\":false}").status, 200);
  EXPECT_EQ(ids(), (std::vector<std::string>{"off", "fp"}));
  // A first-party source turned off for the tenant is hidden too.
  ASSERT_EQ(Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/sources/" + kFirstParty, "{\"exportEnabled\":false}").status, 200);
  EXPECT_EQ(ids(), std::vector<std::string>{"off"});
  auto all = ExportTenant("exporter-a", "?$count=true");
  EXPECT_EQ(JsonAt(all.body, "@odata.count"), "1");
  EXPECT_EQ(StoredCount(kTenantA), 3) << "hiding deletes nothing";
  ASSERT_EQ(Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/sources/" + kFirstParty, "{\"exportEnabled\":true}").status, 200);
  ASSERT_EQ(Admin("PATCH", std::string("/admin/tenants/") + kTenantA + "/sources/" + kThirdOn, "{\"exportEnabled\":true}").status, 200);
  EXPECT_EQ(ids(), (std::vector<std::string>{"on", "off", "fp"}));
}

TEST_P(AccessPolicyTest, ChangingALicenseChangesResultsAtOnceAndDeletesNothing) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "a1") + "," + Item(unlicensed_.id, kFirstParty, "b1") + "]").status, 200);
  const std::string plan = std::string("/licenses/") + store::kCopilotServicePlanId;
  const std::string users = std::string("/admin/tenants/") + kTenantA + "/users/";
  EXPECT_EQ(JsonAt(ExportTenant("exporter-a", "?$count=true").body, "@odata.count"), "1");

  ASSERT_EQ(Admin("DELETE", users + licensed_.upn + plan).status, 204);
  EXPECT_EQ(Export(licensed_.id).status, 403);
  EXPECT_EQ(JsonAt(ExportTenant("exporter-a", "?$count=true").body, "@odata.count"), "0");

  ASSERT_EQ(Admin("PUT", users + unlicensed_.id + plan).status, 204);
  auto bob = Export(unlicensed_.upn);
  ASSERT_EQ(bob.status, 200) << bob.body;
  EXPECT_EQ(Ids(bob), std::vector<std::string>{"b1"});
  auto all = ExportTenant("exporter-a", "?$count=true");
  EXPECT_EQ(Ids(all), std::vector<std::string>{"b1"});
  EXPECT_EQ(JsonAt(all.body, "@odata.count"), "1");

  ASSERT_EQ(Admin("PUT", users + licensed_.id + plan).status, 204);
  EXPECT_EQ(Ids(Export(licensed_.id)), std::vector<std::string>{"a1"});
  EXPECT_EQ(StoredCount(kTenantA), 2);
}

TEST_P(AccessPolicyTest, AUserIsNamedByObjectIdOrUserPrincipalNameInAnyCase) {
  ASSERT_EQ(Write("[" + Item("ALICE@Contoso.Example", kFirstParty, "1") + "]").status, 200);
  std::string upper_id = licensed_.id;
  std::transform(upper_id.begin(), upper_id.end(), upper_id.begin(), ::toupper);
  for (const std::string& ref : {licensed_.id, upper_id, licensed_.upn, std::string("Alice@CONTOSO.example"),
                                 std::string("alice%40contoso.example")}) {
    auto page = Export(ref);
    ASSERT_EQ(page.status, 200) << ref << ": " << page.body;
    EXPECT_EQ(Ids(page), std::vector<std::string>{"1"}) << ref;
  }
  auto entity = Send("GET", "/v1.0/copilot/users/" + licensed_.upn + "/interactionHistory", "", "exporter-a");
  ASSERT_EQ(entity.status, 200) << entity.body;
  EXPECT_EQ(JsonAt(entity.body, "id"), licensed_.id);
}

TEST_P(AccessPolicyTest, NothingOfTenantAIsVisibleCountableOrGuessableFromTenantB) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "a1") + "," + Item(licensed_.id, kFirstParty, "a2") + "]").status, 200);
  model::Interaction in;
  in.id = "b1";
  in.app_class = kFirstParty;
  in.created.ticks = 1;
  std::vector<store::ItemOutcome> outcomes;
  ASSERT_TRUE(store_->interactions().Write({store::PrepareItem(kTenantB, tenant_b_user_.id, in)}, &outcomes).ok());

  const std::string missing_id = "0badbad0-0000-4000-8000-000000000000";
  for (const std::string& ref : {licensed_.id, licensed_.upn, missing_id, std::string("nobody@contoso.example")}) {
    auto page = Export(ref, "exporter-b");
    EXPECT_EQ(page.status, 404) << ref;
    EXPECT_EQ(ErrorCode(page), "ResourceNotFound");
    EXPECT_EQ(ErrorMessage(page), NotFoundMessage(ref)) << "another tenant's user reads exactly like a missing one";
    auto entity = Send("GET", "/v1.0/copilot/users/" + ref + "/interactionHistory", "", "exporter-b");
    EXPECT_EQ(entity.status, 404) << ref;
    EXPECT_EQ(ErrorMessage(entity), NotFoundMessage(ref));
  }
  auto b_all = ExportTenant("exporter-b", "?$count=true");
  ASSERT_EQ(b_all.status, 200);
  EXPECT_EQ(Ids(b_all), std::vector<std::string>{"b1"});
  EXPECT_EQ(JsonAt(b_all.body, "@odata.count"), "1");
  EXPECT_EQ(JsonAt(b_all.body, "value.0.@aihistory.userId"), tenant_b_user_.id);

  // A cursor of tenant A's export does not open tenant B's.
  auto a_page = ExportTenant("exporter-a", "?$top=1");
  std::string next = JsonAt(a_page.body, "@odata.nextLink");
  ASSERT_NE(next, "<missing>") << a_page.body;
  auto replay = Send("GET", next.substr(std::string("http://127.0.0.1:8080").size()), "", "exporter-b");
  EXPECT_EQ(replay.status, 400) << replay.body;

  // Tenant A's writer cannot name tenant B's user as an owner either: the same 404 as a missing user.
  auto w = Write("[" + Item(tenant_b_user_.id, kFirstParty, "x") + "]");
  EXPECT_EQ(w.status, 404) << w.body;
  EXPECT_EQ(ErrorMessage(w), NotFoundMessage(tenant_b_user_.id));
  EXPECT_EQ(StoredCount(kTenantA), 2);
  EXPECT_EQ(StoredCount(kTenantB), 1);
}

TEST_P(AccessPolicyTest, AWriterWritesOnlyTheSourcesRegisteredToIt) {
  auto foreign = Write("[" + Item(licensed_.id, kThirdOn, "1") + "]", "writer-a2");
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_NE(ErrorMessage(foreign).find("not a registered writer"), std::string::npos);
  auto other_way = Write("[" + Item(licensed_.id, kOtherAppsClass, "2") + "]", "writer-a");
  EXPECT_EQ(other_way.status, 403) << other_way.body;
  EXPECT_EQ(StoredCount(kTenantA), 0) << "nothing of a refused write is stored";

  // In a mixed batch the foreign item is refused alone.
  auto mixed = Write("[" + Item(licensed_.id, kOtherAppsClass, "3") + "," + Item(licensed_.id, kThirdOn, "4") + "]", "writer-a2");
  ASSERT_EQ(mixed.status, 200) << mixed.body;
  EXPECT_EQ(JsonAt(mixed.body, "value.0.status"), "stored");
  EXPECT_EQ(JsonAt(mixed.body, "value.1.status"), "refused");
  EXPECT_EQ(JsonAt(mixed.body, "value.1.error.code"), "Forbidden");
  EXPECT_EQ(StoredCount(kTenantA), 1);

  // Adding the writer through the admin API lets it write at once.
  ASSERT_EQ(Admin("PUT", std::string("/admin/tenants/") + kTenantA + "/sources/" + kThirdOn + "/writers/" + kWriterA2).status, 204);
  EXPECT_EQ(Write("[" + Item(licensed_.id, kThirdOn, "5") + "]", "writer-a2").status, 200);
}

TEST_P(AccessPolicyTest, AnUnregisteredAppClassIsRefusedSayingHowToRegisterIt) {
  auto w = Write("[" + Item(licensed_.id, "Unknown.Experience", "1") + "]");
  EXPECT_EQ(w.status, 400) << w.body;
  const std::string message = ErrorMessage(w);
  EXPECT_NE(message.find("'Unknown.Experience' is not a registered source"), std::string::npos) << message;
  EXPECT_NE(message.find("aihistory admin source register"), std::string::npos) << message;
  EXPECT_NE(message.find("/admin/tenants/"), std::string::npos) << message;
  // Registered in tenant B only: still unregistered for tenant A.
  auto b_only = Write("[" + Item(licensed_.id, "IPM.SkypeTeams.Message.Copilot.Word", "2") + "]");
  EXPECT_EQ(b_only.status, 400);
  EXPECT_EQ(StoredCount(kTenantA), 0);
}

TEST_P(AccessPolicyTest, ExportNeedsAnApplicationRoleStillConsented) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "]").status, 200);
  struct Case {
    const char* token;
    const char* says;
  } cases[] = {
      {"no-role-a", "does not carry the role AiEnterpriseInteraction.Read.All"},
      {"writer-exports-a", "does not carry the role AiEnterpriseInteraction.Read.All"},
      {"delegated-a", "export needs an application permission"},
      {"unconsented-a", "admin consent for AiEnterpriseInteraction.Read.All is not granted"},
      {"unknown-tenant", "is not registered in this aihistory directory"},
  };
  for (const Case& c : cases) {
    for (const http::Response& r : {Export(licensed_.id, c.token), ExportTenant(c.token)}) {
      EXPECT_EQ(r.status, 403) << c.token << ": " << r.body;
      EXPECT_EQ(ErrorCode(r), "Forbidden");
      EXPECT_NE(ErrorMessage(r).find(c.says), std::string::npos) << c.token << ": " << r.body;
    }
  }
  EXPECT_EQ(Export(licensed_.id, "").status, 401);
}

TEST_P(AccessPolicyTest, RevokingConsentStopsTokensAlreadyIssuedAtOnce) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "]").status, 200);
  ASSERT_EQ(Export(licensed_.id).status, 200);
  const std::string consents = std::string("/admin/tenants/") + kTenantA + "/consents";
  ASSERT_EQ(Admin("DELETE", consents + "/" + kExporterA + "/" + auth::kReadAll).status, 204);
  auto revoked = Export(licensed_.id);  // the same token as a moment ago
  EXPECT_EQ(revoked.status, 403) << revoked.body;
  EXPECT_NE(ErrorMessage(revoked).find("revoked"), std::string::npos);
  EXPECT_EQ(ExportTenant().status, 403);
  auto grant = Admin("POST", consents, std::string("{\"clientId\":\"") + kExporterA + "\",\"roles\":[\"" + auth::kReadAll + "\"]}");
  ASSERT_EQ(grant.status, 200) << grant.body;
  EXPECT_EQ(Export(licensed_.id).status, 200);

  // The same holds for writers.
  ASSERT_EQ(Admin("DELETE", consents + "/" + kWriterA).status, 204);
  auto w = Write("[" + Item(licensed_.id, kFirstParty, "2") + "]");
  EXPECT_EQ(w.status, 403) << w.body;
  EXPECT_EQ(StoredCount(kTenantA), 1);
}

TEST_P(AccessPolicyTest, WritingNeedsTheWriterRole) {
  for (const char* token : {"exporter-a", "delegated-a", "no-role-a"}) {
    auto w = Write("[" + Item(licensed_.id, kFirstParty, "1") + "]", token);
    EXPECT_EQ(w.status, 403) << token << ": " << w.body;
  }
  EXPECT_EQ(StoredCount(kTenantA), 0);
}

TEST_P(AccessPolicyTest, HostileUserIdsFindNothingAndChangeNothing) {
  ASSERT_EQ(Write("[" + Item(licensed_.id, kFirstParty, "1") + "]").status, 200);
  const std::vector<std::string> encoded = {"'%20OR%201=1%20--", "%27%20OR%20%271%27%3D%271", "alice%40contoso.example'%20--",
                                            "%C3%BC@x", "*", "%25", "..", "%2F..%2Fadmin", "%FF%FE"};
  for (const std::string& ref : encoded) {
    auto page = Export(ref);
    EXPECT_EQ(page.status, 404) << ref << ": " << page.body;
    EXPECT_EQ(ErrorCode(page), "ResourceNotFound") << ref;
    auto entity = Send("GET", "/v1.0/copilot/users/" + ref + "/interactionHistory", "", "exporter-a");
    EXPECT_EQ(entity.status, 404) << ref;
  }
  // A NUL never reaches a lookup (the router refuses it); the policy would not find it either.
  auto nul = Export("%00");
  EXPECT_TRUE(nul.status == 400 || nul.status == 404) << nul.body;
  auto direct = policy_->AuthorizeUserExport(auth_.tokens["Bearer exporter-a"], std::string("alice\0@contoso.example", 22));
  EXPECT_EQ(direct.status().code(), Code::kNotFound);

  for (const std::string& owner : {std::string("' OR 1=1 --"), std::string("ü@x"), std::string("%00"), std::string("*")}) {
    auto w = Write("[" + Item(owner, kFirstParty, "2") + "]");
    EXPECT_EQ(w.status, 404) << owner << ": " << w.body;
  }
  EXPECT_EQ(StoredCount(kTenantA), 1);
  EXPECT_EQ(store_->directory().ListUsers(kTenantA, "", 100)->size(), 4u);
  EXPECT_EQ(Ids(Export(licensed_.id)), std::vector<std::string>{"1"});
}

TEST_P(AccessPolicyTest, CheckItemIsAuthorizeItemWithoutTheWriterCheck) {
  auto parsed = model::ReadItem(Item(licensed_.upn, kOtherAppsClass, "1"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  auto checked = policy_->CheckItem(kTenantA, *parsed);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(*checked, licensed_.id);
  EXPECT_EQ(policy_->AuthorizeItem(auth_.tokens["Bearer writer-a"], *parsed).status().code(), Code::kForbidden);
  EXPECT_EQ(policy_->CheckItem(kTenantB, *parsed).status().code(), Code::kBadRequest) << "not a source of tenant B";
  auto personal = model::ReadItem(Item(personal_licensed_.id, kFirstParty, "2"));
  EXPECT_EQ(policy_->CheckItem(kTenantA, *personal).status().code(), Code::kBadRequest);
}

TEST_P(AccessPolicyTest, ABatchIsDecidedItemForItemAsItsItemsAloneWouldBe) {
  // Each source and owner is looked up once per batch: the decisions must not change for it, in any
  // order, repeats and refusals included.
  const std::vector<std::string> bodies = {
      Item(licensed_.upn, kFirstParty, "1"),         Item(licensed_.id, kFirstParty, "2"),
      Item(unlicensed_.upn, kThirdOn, "3"),          Item(personal_licensed_.id, kFirstParty, "4"),
      Item("nobody@example.com", kFirstParty, "5"),  Item(licensed_.upn, kOtherAppsClass, "6"),
      Item(licensed_.upn, "Not.Registered", "7"),    Item(tenant_b_user_.id, kFirstParty, "8"),
      Item(licensed_.upn, kFirstParty, "9"),         Item(unlicensed_.upn, kThirdOn, "10"),
      Item(personal_licensed_.id, kFirstParty, "11")};
  std::vector<model::WriteItem> items;
  for (const auto& body : bodies) {
    auto parsed = model::ReadItem(body);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    items.push_back(std::move(*parsed));
  }
  std::vector<const model::WriteItem*> batch;
  for (const auto& item : items) batch.push_back(&item);
  const auth::Principal& writer = auth_.tokens["Bearer writer-a"];
  auto decided = policy_->AuthorizeItems(writer, batch);
  ASSERT_EQ(decided.size(), items.size());
  std::set<Code> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE(bodies[i]);
    auto alone = policy_->AuthorizeItem(writer, items[i]);
    ASSERT_EQ(decided[i].ok(), alone.ok());
    if (alone.ok()) {
      EXPECT_EQ(*decided[i], *alone);
    } else {
      EXPECT_EQ(decided[i].status().code(), alone.status().code());
      EXPECT_EQ(decided[i].status().message(), alone.status().message());
    }
    seen.insert(alone.ok() ? Code::kOk : alone.status().code());
  }
  EXPECT_GE(seen.size(), 3u) << "the batch mixes stored items with several kinds of refusal";
}

INSTANTIATE_TEST_SUITE_P(Engines, AccessPolicyTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
