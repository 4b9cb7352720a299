// The directory operations (directory/tenants.h, users.h, consents.h, sources.h), on each store
// engine: what each validates, in which order, and what it writes. The admin HTTP API and the admin
// CLI only parse and format around them (tests/cli/admin_parity_test.cc shows both refuse alike).
#include <gtest/gtest.h>

#include "auth/principal.h"
#include "directory/consents.h"
#include "directory/sources.h"
#include "directory/tenants.h"
#include "directory/users.h"
#include "model/interaction_reader.h"
#include "store/page_sql.h"
#include "support/store_engines.h"

namespace aih::directory {
namespace {

using aih::testing::EngineName;
using aih::testing::OpenFreshStore;
using aih::testing::StoreEngines;

constexpr const char* kTenant = "aaaaaaaa-0000-4000-8000-000000000000";
constexpr const char* kApp = "cccccccc-0000-4000-8000-000000000001";
constexpr const char* kAlice = "bbbbbbbb-0000-4000-8000-000000000001";
constexpr const char* kBob = "bbbbbbbb-0000-4000-8000-000000000002";
constexpr const char* kMissingTenant = "eeeeeeee-0000-4000-8000-000000000000";

bool Says(const Status& s, const std::string& part) { return s.message().find(part) != std::string::npos; }

class OperationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = OpenFreshStore(GetParam(), nullptr, "aih-directory-ops");
    ASSERT_TRUE(store_);
    ASSERT_TRUE(CreateTenant(dir(), kTenant, "Contoso", "displayName").ok());
    ASSERT_TRUE(dir().CreateApplication({kApp, "Exporter", kTenant, 0}).ok());
    std::vector<store::UserImport> users = {
        {kAlice, "alice@contoso.example", "Alice", store::AccountType::kWork, std::nullopt},
        {kBob, "bob@contoso.example", "Bob", store::AccountType::kWork, std::nullopt}};
    ASSERT_TRUE(ImportUsers(dir(), kTenant, users).ok());
  }
  store::DirectoryStore& dir() { return store_->directory(); }

  std::unique_ptr<store::Store> store_;
};

TEST_P(OperationsTest, ATenantGetsANewIdUnlessGivenOneAndANameInTheCallersTerms) {
  auto made = CreateTenant(dir(), "", "Northwind", "displayName");
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(made->id.size(), 36u);
  EXPECT_TRUE(RequireTenant(dir(), made->id).ok());
  EXPECT_EQ(CreateTenant(dir(), kTenant, "Again", "displayName").status().code(), Code::kConflict);
  // A refused name is named as the caller calls it, and creates nothing.
  const size_t before = dir().ListTenants()->size();
  auto http = CreateTenant(dir(), "", "", "displayName");
  auto cli = CreateTenant(dir(), "", "", "--name");
  EXPECT_EQ(http.status().code(), Code::kBadRequest);
  EXPECT_TRUE(Says(http.status(), "displayName")) << http.status().message();
  EXPECT_TRUE(Says(cli.status(), "--name")) << cli.status().message();
  EXPECT_EQ(dir().ListTenants()->size(), before);
  EXPECT_EQ(RequireTenant(dir(), kMissingTenant).code(), Code::kNotFound);
}

TEST_P(OperationsTest, UsersAreFoundByIdOrNameAndListedInPages) {
  EXPECT_EQ(FindUser(dir(), kTenant, "ALICE@contoso.example")->id, kAlice);
  auto missing = FindUser(dir(), kTenant, "nobody@contoso.example");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message(), std::string("tenant ") + kTenant + " has no user 'nobody@contoso.example'");
  auto first = ListUsers(dir(), kTenant, "", 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->users.size(), 1u);
  EXPECT_TRUE(first->more);
  auto rest = ListUsers(dir(), kTenant, first->users.back().id, 1);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->users.size(), 1u);
  EXPECT_FALSE(rest->more) << "exactly two users";
}

TEST_P(OperationsTest, AnUpdateChecksItsValuesAndNeverChangesTheAccountType) {
  store::UserPatch rename;
  rename.display_name = "Alice A.";
  auto renamed = UpdateUser(dir(), kTenant, kAlice, rename, std::string("work"));
  ASSERT_TRUE(renamed.ok()) << renamed.status().message();
  EXPECT_EQ(renamed->display_name, "Alice A.");
  auto personal = UpdateUser(dir(), kTenant, kAlice, {}, std::string("personal"));
  EXPECT_EQ(personal.status().code(), Code::kBadRequest);
  EXPECT_TRUE(Says(personal.status(), "accountType never changes"));
  store::UserPatch bad;
  bad.user_principal_name = "no at sign";
  // The values are checked before the user is looked up: a bad value for an unknown user is 400.
  EXPECT_EQ(UpdateUser(dir(), kTenant, "nobody", bad, std::nullopt).status().code(), Code::kBadRequest);
}

TEST_P(OperationsTest, LicensesAndPerUserGrantsNameTheUserTheyChanged) {
  auto licensed = SetLicense(dir(), kTenant, "bob@contoso.example", store::kCopilotServicePlanId, true);
  ASSERT_TRUE(licensed.ok()) << licensed.status().message();
  EXPECT_EQ(licensed->id, kBob);
  EXPECT_TRUE(*dir().HasLicense(kTenant, kBob, store::kCopilotServicePlanId));
  ASSERT_TRUE(SetLicense(dir(), kTenant, kBob, store::kCopilotServicePlanId, false).ok());
  EXPECT_FALSE(*dir().HasLicense(kTenant, kBob, store::kCopilotServicePlanId));
  EXPECT_EQ(SetLicense(dir(), kTenant, "nobody", store::kCopilotServicePlanId, true).status().code(), Code::kNotFound);

  ASSERT_TRUE(SetUserAccess(dir(), kTenant, "alice@contoso.example", kApp, true).ok());
  EXPECT_EQ(*ListUserAccess(dir(), kTenant, kAlice), std::vector<std::string>{kApp});
  ASSERT_TRUE(SetUserAccess(dir(), kTenant, kAlice, kApp, false).ok());
  EXPECT_TRUE(ListUserAccess(dir(), kTenant, kAlice)->empty());
}

TEST_P(OperationsTest, ARefusedRoleRevokesNothing) {
  auto granted = GrantConsent(dir(), kTenant, kApp, {auth::kReadAll, auth::kWriteAll});
  ASSERT_TRUE(granted.ok()) << granted.status().message();
  EXPECT_EQ(granted->size(), 2u);
  EXPECT_EQ(GrantConsent(dir(), kTenant, kApp, {"Mail.Read"}).status().code(), Code::kBadRequest);
  Status refused = RevokeConsent(dir(), kTenant, kApp, {auth::kWriteAll, "Mail.Read"});
  EXPECT_EQ(refused.code(), Code::kBadRequest);
  EXPECT_EQ(dir().ConsentedRoles(kTenant, kApp)->size(), 2u) << "the valid role before the bad one stays";
  ASSERT_TRUE(RevokeConsent(dir(), kTenant, kApp, {auth::kWriteAll}).ok());
  EXPECT_EQ(*dir().ConsentedRoles(kTenant, kApp), std::vector<std::string>{auth::kReadAll});
  ASSERT_TRUE(RevokeConsent(dir(), kTenant, kApp, {}).ok());
  EXPECT_TRUE(dir().ConsentedRoles(kTenant, kApp)->empty()) << "no role: every role";
  EXPECT_EQ(ListConsents(dir(), kMissingTenant).status().code(), Code::kNotFound);
}

TEST_P(OperationsTest, ASourceIsCheckedInOneOrderWithTheCallersWordsAndDefaults) {
  const SourceLabels http{"kind is wrong", "displayName", "writer client id"};
  // The appClass is checked before the kind, the kind before the name, the name before the writers.
  SourceRegistration bad{kTenant, "bad app class", std::nullopt, std::string(""), std::nullopt, {"x"}};
  EXPECT_TRUE(Says(RegisterSource(dir(), bad, http).status(), "appClass")) << RegisterSource(dir(), bad, http).status().message();
  bad.app_class = "Contoso.Agents.HR";
  EXPECT_EQ(RegisterSource(dir(), bad, http).status().message(), "kind is wrong");
  bad.kind = store::SourceKind::kThirdParty;
  EXPECT_TRUE(Says(RegisterSource(dir(), bad, http).status(), "displayName"));
  bad.display_name.reset();
  EXPECT_TRUE(Says(RegisterSource(dir(), bad, {"", "--name", "--writer"}).status(), "--writer"));
  EXPECT_EQ(dir().ListSources(kTenant)->size(), 0u) << "a refusal registers nothing";
  // A first-party class may not be registered as third-party.
  SourceRegistration teams{kTenant, "IPM.SkypeTeams.Message.Copilot.Teams", store::SourceKind::kThirdParty,
                           std::nullopt, std::nullopt, {}};
  EXPECT_EQ(RegisterSource(dir(), teams, http).status().code(), Code::kBadRequest);

  // Defaults: the appClass as name, export on for first-party sources only.
  bad.writers = {"CCCCCCCC-0000-4000-8000-000000000001"};
  auto hr = RegisterSource(dir(), bad, http);
  ASSERT_TRUE(hr.ok()) << hr.status().message();
  EXPECT_EQ(hr->display_name, "Contoso.Agents.HR");
  EXPECT_FALSE(hr->export_enabled);
  EXPECT_EQ(hr->writers, std::vector<std::string>{kApp}) << "writers are canonical";
  teams.kind = store::SourceKind::kFirstParty;
  EXPECT_TRUE(RegisterSource(dir(), teams, http)->export_enabled);
  EXPECT_EQ(RegisterSource(dir(), teams, http).status().code(), Code::kConflict);

  store::SourcePatch patch;
  patch.display_name = "";
  EXPECT_TRUE(Says(UpdateSource(dir(), kTenant, "Contoso.Agents.HR", patch, "--name").status(), "--name"));
  patch.display_name.reset();
  patch.export_enabled = true;
  EXPECT_TRUE(UpdateSource(dir(), kTenant, "Contoso.Agents.HR", patch, "--name")->export_enabled);
  ASSERT_TRUE(SetSourceWriter(dir(), kTenant, "Contoso.Agents.HR", kApp, false).ok());
  EXPECT_TRUE(dir().GetSource(kTenant, "Contoso.Agents.HR")->writers.empty());
  EXPECT_EQ(ListSources(dir(), kTenant)->size(), 2u);
  EXPECT_EQ(ListSources(dir(), kMissingTenant).status().code(), Code::kNotFound);
}

TEST_P(OperationsTest, AUserRemovedFromTheDirectoryIsStillErasableByObjectId) {
  ASSERT_TRUE(dir().CreateSource({kTenant, "Contoso.Agents.HR", store::SourceKind::kThirdParty, "HR", false, {}}).ok());
  auto item = model::ReadItem(
      R"({"id":"1","appClass":"Contoso.Agents.HR","interactionType":"userPrompt","createdDateTime":"2026-01-01T00:00:00Z"})");
  ASSERT_TRUE(item.ok()) << item.status().message();
  std::vector<store::ItemOutcome> outcomes;
  ASSERT_TRUE(store_->interactions().Write({store::PrepareItem(kTenant, kBob, item->interaction)}, &outcomes).ok());
  ASSERT_TRUE(DeleteUser(dir(), kTenant, kBob).ok());

  EXPECT_EQ(InteractionOwner(dir(), kTenant, "bob@contoso.example").status().code(), Code::kNotFound)
      << "a name the directory forgot names nobody";
  auto owner = InteractionOwner(dir(), kTenant, "BBBBBBBB-0000-4000-8000-000000000002");
  ASSERT_TRUE(owner.ok()) << owner.status().message();
  EXPECT_EQ(*owner, kBob);
  EXPECT_EQ(InteractionOwner(dir(), kMissingTenant, kBob).status().code(), Code::kNotFound);

  auto missing = DeleteInteractions(store_->interactions(), kTenant, *owner, std::string("2"));
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message(), std::string("user ") + kBob + " has no interaction '2'");
  EXPECT_EQ(*DeleteInteractions(store_->interactions(), kTenant, *owner, std::string("1")), 1);
  EXPECT_EQ(*DeleteInteractions(store_->interactions(), kTenant, *owner, std::nullopt), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, OperationsTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::directory
