// DirectoryStore: tenants, users and licenses, applications and credentials, consent and sources,
// on every engine (store_fixture.h), each test on a fresh database.
#include <unistd.h>

#include <filesystem>

#include "store/directory_store.h"
#include "store/page_sql.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

using store::AccountType;
using store::DirectoryUser;
using store::SourceKind;
using store::UserImport;

constexpr const char* kTenantA = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr const char* kTenantB = "bbbbbbbb-0000-4000-8000-000000000002";
constexpr const char* kApp = "cccccccc-0000-4000-8000-000000000003";
constexpr const char* kOtherPlan = "dddddddd-0000-4000-8000-000000000004";

class DirectoryStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(dir().CreateTenant({kTenantA, "Contoso"}).ok());
    ASSERT_TRUE(dir().CreateTenant({kTenantB, "Fabrikam"}).ok());
  }
  store::DirectoryStore& dir() { return store().directory(); }

  // Imports one user and returns it as stored.
  DirectoryUser Import(const std::string& tenant, UserImport row) {
    auto summary = dir().ImportUsers(tenant, {row});
    EXPECT_TRUE(summary.ok()) << summary.status().message();
    if (!summary.ok() || summary->users.empty()) return {};
    return summary->users[0];
  }
};

UserImport Work(const std::string& upn, std::optional<std::vector<std::string>> plans = std::nullopt,
                const std::string& id = "") {
  return UserImport{id, upn, "Name of " + upn, AccountType::kWork, std::move(plans)};
}

TEST_P(DirectoryStoreTest, TenantsAreCreatedOnceAndListed) {
  auto again = dir().CreateTenant({kTenantA, "Other name"});
  EXPECT_EQ(again.code(), Code::kConflict);
  auto a = dir().GetTenant(kTenantA);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->display_name, "Contoso");
  EXPECT_EQ(dir().GetTenant("eeeeeeee-0000-4000-8000-000000000000").status().code(), Code::kNotFound);
  auto all = dir().ListTenants();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, kTenantA);
  EXPECT_EQ((*all)[1].id, kTenantB);
}

TEST_P(DirectoryStoreTest, ImportAssignsIdsAndUpdatesByUserPrincipalNameIgnoringCase) {
  DirectoryUser created = Import(kTenantA, Work("Avery.Kim@contoso.example"));
  EXPECT_EQ(created.id.size(), 36u);
  EXPECT_EQ(created.user_principal_name, "Avery.Kim@contoso.example");
  auto summary = dir().ImportUsers(kTenantA, {UserImport{"", "AVERY.KIM@CONTOSO.EXAMPLE", "Avery K.", AccountType::kWork,
                                                         std::nullopt}});
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->created, 0);
  EXPECT_EQ(summary->updated, 1);
  EXPECT_EQ(summary->users[0].id, created.id);
  EXPECT_EQ(summary->users[0].display_name, "Avery K.");

  for (const std::string& ref : {created.id, std::string("avery.kim@contoso.example"), std::string("AVERY.kim@Contoso.Example")}) {
    auto found = dir().FindUser(kTenantA, ref);
    ASSERT_TRUE(found.ok()) << ref;
    EXPECT_EQ(found->id, created.id);
  }
  std::string upper_id = created.id;
  for (char& c : upper_id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(dir().FindUser(kTenantA, upper_id).ok()) << "object ids compare without case";
}

TEST_P(DirectoryStoreTest, AnotherTenantsUserIsNotFoundExactlyLikeANonexistentOne) {
  DirectoryUser user = Import(kTenantA, Work("avery@contoso.example"));
  auto by_id = dir().FindUser(kTenantB, user.id);
  auto by_upn = dir().FindUser(kTenantB, "avery@contoso.example");
  auto missing = dir().FindUser(kTenantB, "nobody@contoso.example");
  EXPECT_EQ(by_id.status().code(), Code::kNotFound);
  EXPECT_EQ(by_upn.status().code(), Code::kNotFound);
  EXPECT_EQ(by_id.status().message(), missing.status().message());
  EXPECT_EQ(by_upn.status().message(), missing.status().message());
}

TEST_P(DirectoryStoreTest, HostileUserReferencesFindNothingAndChangeNothing) {
  Import(kTenantA, Work("avery@contoso.example"));
  for (std::string ref : std::vector<std::string>{"' OR 1=1 --", "%' OR '1'='1", "avery@contoso.example' --",
                                                  std::string("a\0b", 3), "ü@x", "%00", "*"}) {
    EXPECT_EQ(dir().FindUser(kTenantA, ref).status().code(), Code::kNotFound) << ref;
  }
  auto users = dir().ListUsers(kTenantA, "", 10);
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), 1u);
}

TEST_P(DirectoryStoreTest, AnImportIsAllOrNothing) {
  DirectoryUser avery = Import(kTenantA, Work("avery@contoso.example"));
  // The second row gives Avery's UPN to another object id: the whole import is refused.
  auto summary = dir().ImportUsers(kTenantA, {Work("noor@contoso.example"),
                                              Work("Avery@contoso.example", std::nullopt, "eeeeeeee-0000-4000-8000-00000000000e")});
  EXPECT_EQ(summary.status().code(), Code::kConflict);
  EXPECT_NE(summary.status().message().find("user #2"), std::string::npos) << summary.status().message();
  EXPECT_EQ(dir().FindUser(kTenantA, "noor@contoso.example").status().code(), Code::kNotFound);
  EXPECT_EQ(dir().FindUser(kTenantA, "avery@contoso.example")->id, avery.id);
  EXPECT_EQ(dir().ImportUsers("eeeeeeee-0000-4000-8000-000000000000", {Work("x@y.example")}).status().code(),
            Code::kNotFound);
}

TEST_P(DirectoryStoreTest, TheSameUpnInTwoTenantsIsTwoUsers) {
  DirectoryUser a = Import(kTenantA, Work("avery@contoso.example"));
  DirectoryUser b = Import(kTenantB, Work("avery@contoso.example"));
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(dir().FindUser(kTenantB, "avery@contoso.example")->id, b.id);
}

TEST_P(DirectoryStoreTest, AnAccountTypeNeverChanges) {
  DirectoryUser user = Import(kTenantA, UserImport{"", "pat@outlook.example", "Pat", AccountType::kPersonal, std::nullopt});
  EXPECT_EQ(user.account_type, AccountType::kPersonal);
  auto summary = dir().ImportUsers(kTenantA, {Work("pat@outlook.example")});
  EXPECT_EQ(summary.status().code(), Code::kConflict);
  EXPECT_EQ(dir().FindUser(kTenantA, user.id)->account_type, AccountType::kPersonal);
}

TEST_P(DirectoryStoreTest, ServicePlansAbsentAreKeptPresentAreReplaced) {
  DirectoryUser user = Import(kTenantA, Work("avery@contoso.example", std::vector<std::string>{store::kCopilotServicePlanId, kOtherPlan}));
  EXPECT_EQ(user.service_plans.size(), 2u);
  user = Import(kTenantA, Work("avery@contoso.example"));
  EXPECT_EQ(user.service_plans.size(), 2u) << "no servicePlans: the licenses stay";
  user = Import(kTenantA, Work("avery@contoso.example", std::vector<std::string>{kOtherPlan}));
  EXPECT_EQ(user.service_plans, std::vector<std::string>{kOtherPlan});
  EXPECT_FALSE(*dir().HasLicense(kTenantA, user.id, store::kCopilotServicePlanId));
}

TEST_P(DirectoryStoreTest, LicensesAreAssignedAndRemovedIdempotently) {
  DirectoryUser user = Import(kTenantA, Work("avery@contoso.example"));
  EXPECT_FALSE(*dir().HasLicense(kTenantA, user.id, store::kCopilotServicePlanId));
  ASSERT_TRUE(dir().AssignLicense(kTenantA, user.id, store::kCopilotServicePlanId).ok());
  ASSERT_TRUE(dir().AssignLicense(kTenantA, user.id, store::kCopilotServicePlanId).ok());
  EXPECT_TRUE(*dir().HasLicense(kTenantA, user.id, store::kCopilotServicePlanId));
  EXPECT_FALSE(*dir().HasLicense(kTenantB, user.id, store::kCopilotServicePlanId));
  EXPECT_EQ(dir().FindUser(kTenantA, user.id)->service_plans, std::vector<std::string>{store::kCopilotServicePlanId});
  ASSERT_TRUE(dir().RemoveLicense(kTenantA, user.id, store::kCopilotServicePlanId).ok());
  ASSERT_TRUE(dir().RemoveLicense(kTenantA, user.id, store::kCopilotServicePlanId).ok());
  EXPECT_FALSE(*dir().HasLicense(kTenantA, user.id, store::kCopilotServicePlanId));
  EXPECT_EQ(dir().AssignLicense(kTenantB, user.id, store::kCopilotServicePlanId).code(), Code::kNotFound)
      << "a license needs a user of that tenant";
}

// The tenant-wide page joins directory_licenses (page_sql.cc): the license table is the one it reads.
TEST_P(DirectoryStoreTest, TenantWidePagesSeeOnlyUsersHoldingTheCopilotPlan) {
  DirectoryUser licensed = Import(kTenantA, Work("a@contoso.example", std::vector<std::string>{store::kCopilotServicePlanId}));
  DirectoryUser other = Import(kTenantA, Work("b@contoso.example", std::vector<std::string>{kOtherPlan}));
  std::vector<store::ItemToWrite> items;
  for (const DirectoryUser* u : {&licensed, &other}) {
    model::Interaction in;
    in.id = "1";
    in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
    in.created.ticks = 1000;
    items.push_back(store::PrepareItem(kTenantA, u->id, in));
  }
  std::vector<store::ItemOutcome> outcomes;
  ASSERT_TRUE(store().interactions().Write(items, &outcomes).ok());
  store::PageQuery q;
  q.tenant_id = kTenantA;
  q.required_service_plan = store::kCopilotServicePlanId;
  EXPECT_EQ(*store().interactions().Count(q), 1);
  std::vector<std::string> owners;
  ASSERT_TRUE(store().interactions().Page(q, [&](const store::PageRow& row) {
    owners.emplace_back(row.user_id);
    return true;
  }).ok());
  EXPECT_EQ(owners, std::vector<std::string>{licensed.id});
  ASSERT_TRUE(dir().AssignLicense(kTenantA, other.id, store::kCopilotServicePlanId).ok());
  EXPECT_EQ(*store().interactions().Count(q), 2);
}

TEST_P(DirectoryStoreTest, UsersAreRenamedAndDeletedWithTheirLicenses) {
  DirectoryUser avery = Import(kTenantA, Work("avery@contoso.example", std::vector<std::string>{store::kCopilotServicePlanId}));
  Import(kTenantA, Work("noor@contoso.example"));
  store::UserPatch patch;
  patch.user_principal_name = "avery.kim@contoso.example";
  patch.display_name = "Avery Kim";
  auto renamed = dir().UpdateUser(kTenantA, avery.id, patch);
  ASSERT_TRUE(renamed.ok()) << renamed.status().message();
  EXPECT_EQ(renamed->display_name, "Avery Kim");
  EXPECT_EQ(dir().FindUser(kTenantA, "avery.kim@contoso.example")->id, avery.id);
  EXPECT_EQ(dir().FindUser(kTenantA, "avery@contoso.example").status().code(), Code::kNotFound);
  patch.user_principal_name = "NOOR@contoso.example";
  EXPECT_EQ(dir().UpdateUser(kTenantA, avery.id, patch).status().code(), Code::kConflict);
  EXPECT_EQ(dir().UpdateUser(kTenantB, avery.id, {}).status().code(), Code::kNotFound);

  ASSERT_TRUE(dir().DeleteUser(kTenantA, avery.id).ok());
  EXPECT_EQ(dir().FindUser(kTenantA, avery.id).status().code(), Code::kNotFound);
  EXPECT_FALSE(*dir().HasLicense(kTenantA, avery.id, store::kCopilotServicePlanId));
  EXPECT_EQ(dir().DeleteUser(kTenantA, avery.id).code(), Code::kNotFound);
}

TEST_P(DirectoryStoreTest, UsersAreListedInPagesByObjectId) {
  for (int i = 0; i < 7; ++i) Import(kTenantA, Work("user" + std::to_string(i) + "@contoso.example"));
  Import(kTenantB, Work("elsewhere@contoso.example"));
  std::vector<std::string> seen;
  std::string after;
  for (;;) {
    auto page = dir().ListUsers(kTenantA, after, 3);
    ASSERT_TRUE(page.ok());
    for (const auto& u : *page) {
      EXPECT_GT(u.id, after);
      seen.push_back(u.id);
    }
    if (page->size() < 3) break;
    after = page->back().id;
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST_P(DirectoryStoreTest, ApplicationsKeepOnlySecretHashesAndCertificates) {
  EXPECT_EQ(dir().CreateApplication({kApp, "Exporter", "eeeeeeee-0000-4000-8000-000000000000", 0}).code(), Code::kNotFound)
      << "the home tenant must exist";
  ASSERT_TRUE(dir().CreateApplication({kApp, "Exporter", kTenantA, 0}).ok());
  EXPECT_EQ(dir().CreateApplication({kApp, "Again", kTenantA, 0}).code(), Code::kConflict);
  auto app = dir().GetApplication(kApp);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->home_tenant_id, kTenantA);
  EXPECT_GT(app->created_at, 0);

  ASSERT_TRUE(dir().AddSecret(kApp, {"s1", "pbkdf2-sha256$1000$salt$hash", "abc", 10, 0}).ok());
  ASSERT_TRUE(dir().AddSecret(kApp, {"s2", "pbkdf2-sha256$1000$salt$hash2", "xyz", 20, 99}).ok());
  EXPECT_EQ(dir().AddSecret("eeeeeeee-0000-4000-8000-000000000000", {"s3", "h", "h", 1, 0}).code(), Code::kNotFound);
  auto secrets = dir().ListSecrets(kApp);
  ASSERT_TRUE(secrets.ok());
  ASSERT_EQ(secrets->size(), 2u);
  EXPECT_EQ((*secrets)[0].secret_hash, "pbkdf2-sha256$1000$salt$hash");
  EXPECT_EQ((*secrets)[1].expires_at, 99);
  ASSERT_TRUE(dir().RemoveSecret(kApp, "s1").ok());
  EXPECT_EQ(dir().RemoveSecret(kApp, "s1").code(), Code::kNotFound);
  EXPECT_EQ(dir().ListSecrets(kApp)->size(), 1u);

  ASSERT_TRUE(dir().AddCertificate(kApp, {"ab12", "-----BEGIN CERTIFICATE-----...", 0}).ok());
  auto certificates = dir().ListCertificates(kApp);
  ASSERT_TRUE(certificates.ok());
  ASSERT_EQ(certificates->size(), 1u);
  EXPECT_EQ((*certificates)[0].thumbprint, "ab12");
  ASSERT_TRUE(dir().RemoveCertificate(kApp, "ab12").ok());
  EXPECT_TRUE(dir().ListCertificates(kApp)->empty());
  EXPECT_EQ(dir().ListApplications()->size(), 1u);
}

TEST_P(DirectoryStoreTest, ConsentIsPerTenantGrantedAndRevoked) {
  ASSERT_TRUE(dir().CreateApplication({kApp, "Exporter", kTenantA, 0}).ok());
  EXPECT_EQ(dir().GrantConsent(kTenantA, "eeeeeeee-0000-4000-8000-000000000000", {"AiEnterpriseInteraction.Read.All"}).code(),
            Code::kNotFound);
  EXPECT_EQ(dir().GrantConsent("eeeeeeee-0000-4000-8000-000000000000", kApp, {"AiEnterpriseInteraction.Read.All"}).code(),
            Code::kNotFound);
  ASSERT_TRUE(dir().GrantConsent(kTenantA, kApp, {"AiEnterpriseInteraction.Read.All", "AiEnterpriseInteraction.Write.All"}).ok());
  ASSERT_TRUE(dir().GrantConsent(kTenantA, kApp, {"AiEnterpriseInteraction.Read.All"}).ok());
  EXPECT_EQ(*dir().ConsentedRoles(kTenantA, kApp),
            (std::vector<std::string>{"AiEnterpriseInteraction.Read.All", "AiEnterpriseInteraction.Write.All"}));
  EXPECT_TRUE(dir().ConsentedRoles(kTenantB, kApp)->empty()) << "a multi-tenant app needs consent in each tenant";
  ASSERT_TRUE(dir().RevokeConsent(kTenantA, kApp, "AiEnterpriseInteraction.Write.All").ok());
  EXPECT_EQ(*dir().ConsentedRoles(kTenantA, kApp), std::vector<std::string>{"AiEnterpriseInteraction.Read.All"});
  auto consents = dir().ListConsents(kTenantA);
  ASSERT_EQ(consents->size(), 1u);
  EXPECT_EQ((*consents)[0].client_id, kApp);
  ASSERT_TRUE(dir().RevokeConsent(kTenantA, kApp, "").ok());
  EXPECT_TRUE(dir().ConsentedRoles(kTenantA, kApp)->empty());
}

TEST_P(DirectoryStoreTest, ReadUserIsGrantedUserByUserAndGoesWithTheUser) {
  constexpr const char* kOtherApp = "cccccccc-0000-4000-8000-000000000005";
  constexpr const char* kNobody = "eeeeeeee-0000-4000-8000-000000000000";
  ASSERT_TRUE(dir().CreateApplication({kApp, "Archiver", kTenantA, 0}).ok());
  ASSERT_TRUE(dir().CreateApplication({kOtherApp, "Other", kTenantA, 0}).ok());
  DirectoryUser ada = Import(kTenantA, Work("ada@contoso.example"));
  DirectoryUser lin = Import(kTenantA, Work("lin@contoso.example"));
  DirectoryUser elsewhere = Import(kTenantB, Work("ada@fabrikam.example"));

  // Granting names what is missing.
  EXPECT_EQ(dir().GrantUserAccess(kNobody, kApp, ada.id).code(), Code::kNotFound);
  EXPECT_EQ(dir().GrantUserAccess(kTenantA, kNobody, ada.id).code(), Code::kNotFound);
  EXPECT_EQ(dir().GrantUserAccess(kTenantA, kApp, kNobody).code(), Code::kNotFound);
  EXPECT_EQ(dir().GrantUserAccess(kTenantA, kApp, elsewhere.id).code(), Code::kNotFound) << "another tenant's user";

  EXPECT_FALSE(*dir().HasAnyUserAccess(kTenantA, kApp));
  ASSERT_TRUE(dir().GrantUserAccess(kTenantA, kApp, ada.id).ok());
  ASSERT_TRUE(dir().GrantUserAccess(kTenantA, kApp, ada.id).ok()) << "granting twice is not an error";
  ASSERT_TRUE(dir().GrantUserAccess(kTenantA, kOtherApp, ada.id).ok());
  EXPECT_TRUE(*dir().HasUserAccess(kTenantA, kApp, ada.id));
  EXPECT_FALSE(*dir().HasUserAccess(kTenantA, kApp, lin.id)) << "for that user only";
  EXPECT_FALSE(*dir().HasUserAccess(kTenantB, kApp, ada.id)) << "in that tenant only";
  EXPECT_TRUE(*dir().HasAnyUserAccess(kTenantA, kApp));
  EXPECT_FALSE(*dir().HasAnyUserAccess(kTenantB, kApp));
  EXPECT_EQ(*dir().ListUserAccess(kTenantA, ada.id), (std::vector<std::string>{kApp, kOtherApp}));
  EXPECT_TRUE(dir().ListUserAccess(kTenantA, lin.id)->empty());
  EXPECT_TRUE(dir().ConsentedRoles(kTenantA, kApp)->empty()) << "a per-user grant is no tenant-wide consent";

  ASSERT_TRUE(dir().RevokeUserAccess(kTenantA, kOtherApp, ada.id).ok());
  ASSERT_TRUE(dir().RevokeUserAccess(kTenantA, kOtherApp, ada.id).ok()) << "revoking an absent grant is not an error";
  EXPECT_EQ(dir().RevokeUserAccess(kTenantA, kNobody, ada.id).code(), Code::kNotFound);
  EXPECT_EQ(*dir().ListUserAccess(kTenantA, ada.id), std::vector<std::string>{kApp});
  EXPECT_FALSE(*dir().HasUserAccess(kTenantA, kOtherApp, ada.id));

  // A user deleted and imported again under the same object id starts with no grant.
  ASSERT_TRUE(dir().DeleteUser(kTenantA, ada.id).ok());
  EXPECT_FALSE(*dir().HasUserAccess(kTenantA, kApp, ada.id));
  Import(kTenantA, Work("ada@contoso.example", std::nullopt, ada.id));
  EXPECT_FALSE(*dir().HasUserAccess(kTenantA, kApp, ada.id));
  EXPECT_FALSE(*dir().HasAnyUserAccess(kTenantA, kApp));
}

TEST_P(DirectoryStoreTest, SourcesTheirWritersAndExport) {
  ASSERT_TRUE(dir().CreateApplication({kApp, "Writer", kTenantA, 0}).ok());
  store::Source third{kTenantA, "Contoso.Bot", SourceKind::kThirdParty, "Contoso bot", false, {kApp}};
  store::Source first{kTenantA, "IPM.SkypeTeams.Message.Copilot.Word", SourceKind::kFirstParty, "Word", true, {}};
  ASSERT_TRUE(dir().CreateSource(third).ok());
  ASSERT_TRUE(dir().CreateSource(first).ok());
  EXPECT_EQ(dir().CreateSource(third).code(), Code::kConflict);
  store::Source ghost_writer{kTenantA, "Other.Bot", SourceKind::kThirdParty, "x", true, {"eeeeeeee-0000-4000-8000-000000000000"}};
  EXPECT_EQ(dir().CreateSource(ghost_writer).code(), Code::kNotFound);
  EXPECT_EQ(dir().GetSource(kTenantA, "Other.Bot").status().code(), Code::kNotFound) << "nothing half-registered";

  auto got = dir().GetSource(kTenantA, "Contoso.Bot");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->writers, std::vector<std::string>{kApp});
  EXPECT_EQ(got->kind, SourceKind::kThirdParty);
  EXPECT_EQ(dir().GetSource(kTenantB, "Contoso.Bot").status().code(), Code::kNotFound);
  EXPECT_EQ(dir().GetSource(kTenantA, "contoso.bot").status().code(), Code::kNotFound) << "appClass is exact";
  EXPECT_EQ(*dir().HiddenAppClasses(kTenantA), std::vector<std::string>{"Contoso.Bot"});

  store::SourcePatch on;
  on.export_enabled = true;
  ASSERT_TRUE(dir().UpdateSource(kTenantA, "Contoso.Bot", on).ok());
  store::SourcePatch off;
  off.export_enabled = false;
  ASSERT_TRUE(dir().UpdateSource(kTenantA, "IPM.SkypeTeams.Message.Copilot.Word", off).ok());
  EXPECT_EQ(*dir().HiddenAppClasses(kTenantA), std::vector<std::string>{"IPM.SkypeTeams.Message.Copilot.Word"});
  EXPECT_TRUE(dir().HiddenAppClasses(kTenantB)->empty());

  ASSERT_TRUE(dir().RemoveSourceWriter(kTenantA, "Contoso.Bot", kApp).ok());
  EXPECT_TRUE(dir().GetSource(kTenantA, "Contoso.Bot")->writers.empty());
  ASSERT_TRUE(dir().AddSourceWriter(kTenantA, "IPM.SkypeTeams.Message.Copilot.Word", kApp).ok());
  auto list = dir().ListSources(kTenantA);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].app_class, "Contoso.Bot");
  EXPECT_TRUE((*list)[0].writers.empty());
  EXPECT_EQ((*list)[1].writers, std::vector<std::string>{kApp});
  EXPECT_EQ(dir().UpdateSource(kTenantA, "Missing.Bot", on).status().code(), Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Engines, DirectoryStoreTest, ::testing::ValuesIn(StoreEngines()),
                         [](const auto& info) { return info.param; });

// The directory is in the database file: a reopened store sees it, at the migrated schema version.
TEST(DirectoryPersistenceTest, SurvivesReopening) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "aih-dir-XXXXXX").string();
  std::string path = mkdtemp(tmpl.data());
  {
    auto s = store::OpenStore(path);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->directory().CreateTenant({kTenantA, "Contoso"}).ok());
    ASSERT_TRUE((*s)->directory().ImportUsers(kTenantA, {Work("a@contoso.example", std::vector<std::string>{store::kCopilotServicePlanId})}).ok());
  }
  auto s = store::OpenStore(path);
  ASSERT_TRUE(s.ok());
  EXPECT_GE(*(*s)->SchemaVersion(), 2);
  auto user = (*s)->directory().FindUser(kTenantA, "A@contoso.example");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->service_plans, std::vector<std::string>{store::kCopilotServicePlanId});
  std::filesystem::remove_all(path);
}

}  // namespace
}  // namespace aih::testing
