// Each rule of who may see and write what, stated once, for every operation it concerns: export of
// one user, tenant-wide export, subscribing, being notified, writing. One test per rule; inside it,
// one block per operation, so a rule that changes for one operation fails here by name.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "policy/directory_policy.h"
#include "principals.h"
#include "policy/notification_scope.h"
#include "policy/subscription_policy.h"
#include "store/store.h"

namespace aih::policy {
namespace {

constexpr const char* kTenant = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kOtherTenant = "00000000-0000-4000-8000-00000000000b";
constexpr const char* kAdele = "00000000-0000-4000-8000-0000000000b1";  // work account, licensed
constexpr const char* kLee = "00000000-0000-4000-8000-0000000000b2";    // work account, unlicensed
constexpr const char* kPat = "00000000-0000-4000-8000-0000000000b3";    // personal account, licensed
constexpr const char* kOlga = "00000000-0000-4000-8000-0000000000c1";   // of the other tenant, licensed
constexpr const char* kReader = "00000000-0000-4000-8000-0000000000a1";   // Read.All consented
constexpr const char* kWriter = "00000000-0000-4000-8000-0000000000a2";   // Write.All consented, writes both sources
constexpr const char* kGranted = "00000000-0000-4000-8000-0000000000a3";  // Read.User granted for Adele only
constexpr const char* kWord = "IPM.SkypeTeams.Message.Copilot.Word";      // export on
constexpr const char* kBot = "Contoso.Bot";                               // export off

class PolicyRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("aih-policy-" + std::to_string(std::random_device{}()));
    store_ = std::move(*store::OpenStore(dir_.string()));
    auto& d = directory();
    const std::vector<std::string> licensed = {store::kCopilotServicePlanId};
    ASSERT_TRUE(d.CreateTenant({kTenant, "Contoso"}).ok());
    ASSERT_TRUE(d.CreateTenant({kOtherTenant, "Fabrikam"}).ok());
    ASSERT_TRUE(d.ImportUsers(kTenant, {{kAdele, "adele@t.example", "Adele", store::AccountType::kWork, licensed},
                                        {kLee, "lee@t.example", "Lee", store::AccountType::kWork, std::vector<std::string>{}},
                                        {kPat, "pat@t.example", "Pat", store::AccountType::kPersonal, licensed}})
                    .ok());
    ASSERT_TRUE(d.ImportUsers(kOtherTenant, {{kOlga, "olga@f.example", "Olga", store::AccountType::kWork, licensed}}).ok());
    for (const char* app : {kReader, kWriter, kGranted}) ASSERT_TRUE(d.CreateApplication({app, "app", kTenant, 0}).ok());
    ASSERT_TRUE(d.GrantConsent(kTenant, kReader, {auth::kReadAll}).ok());
    ASSERT_TRUE(d.GrantConsent(kTenant, kWriter, {auth::kWriteAll}).ok());
    ASSERT_TRUE(d.GrantUserAccess(kTenant, kGranted, kAdele).ok());
    ASSERT_TRUE(d.CreateSource({kTenant, kWord, store::SourceKind::kFirstParty, "Word", /*export_enabled=*/true, {kWriter}}).ok());
    ASSERT_TRUE(d.CreateSource({kTenant, kBot, store::SourceKind::kThirdParty, "Bot", /*export_enabled=*/false, {kWriter}}).ok());
    policy_ = std::make_unique<DirectoryPolicy>(d);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  store::DirectoryStore& directory() { return store_->directory(); }

  static auth::Principal App(const char* app, std::vector<std::string> roles, const char* tenant = kTenant) {
    return testing::AppPrincipal(tenant, app, std::move(roles));
  }
  static auth::Principal Delegated(const char* user, std::vector<std::string> scopes) {
    return testing::DelegatedPrincipal(kTenant, kGranted, user, std::move(scopes));
  }
  static auth::Principal Reader() { return App(kReader, {auth::kReadAll}); }
  static auth::Principal Writer() { return App(kWriter, {auth::kWriteAll}); }
  static model::WriteItem Item(const char* user, const char* app_class) {
    model::WriteItem item;
    item.user_id = user;
    item.interaction.id = "1";
    item.interaction.app_class = app_class;
    return item;
  }

  Result<ExportScope> Export(const auth::Principal& caller, const char* user) {
    return policy_->AuthorizeUserExport(caller, user);
  }
  Result<ExportScope> TenantExport(const auth::Principal& caller) { return policy_->AuthorizeTenantExport(caller); }
  Result<std::string> Subscribe(const auth::Principal& caller, const char* user) {
    return AuthorizeSubscriber(directory(), caller, user);
  }
  Result<std::string> Write(const auth::Principal& caller, const model::WriteItem& item) {
    Status writer = policy_->AuthorizeWriter(caller);
    if (!writer.ok()) return writer;
    return policy_->AuthorizeItem(caller, item);
  }
  // Whether a created item of `user` from `app_class` would be notified (a fresh scope: the directory now).
  bool Notified(const char* user, const char* app_class) {
    NotificationScope scope(directory(), kTenant);
    auto user_ok = scope.MayTellUser(user);
    auto hides = scope.HidesSources();
    EXPECT_TRUE(user_ok.ok() && hides.ok());
    return *user_ok && (!*hides || scope.MayTellSource(app_class));
  }
  // "<user id> <item id>" of each item a tenant-wide page read within `scope` finds.
  std::vector<std::string> TenantPage(const ExportScope& scope) {
    store::PageQuery query;
    query.tenant_id = kTenant;
    scope.ApplyTo(query);
    std::vector<std::string> owners;
    EXPECT_TRUE(store_->interactions().Page(query, [&](const store::PageRow& row) {
      owners.push_back(std::string(row.user_id) + " " + std::string(row.id));
      return true;
    }).ok());
    return owners;
  }
  void Store(const char* user, const char* id, const char* app_class, int64_t ticks) {
    model::Interaction in;
    in.id = id;
    in.app_class = app_class;
    in.created.ticks = ticks;
    std::vector<store::ItemToWrite> items = {store::PrepareItem(kTenant, user, in)};
    std::vector<store::ItemOutcome> outcomes;
    ASSERT_TRUE(store_->interactions().Write(items, &outcomes).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<DirectoryPolicy> policy_;
};

// Admin consent: the role must be carried by the token and still granted by the tenant.
TEST_F(PolicyRulesTest, Consent) {
  // Export and tenant-wide export: Read.All, consented.
  EXPECT_TRUE(Export(Reader(), kAdele).ok());
  EXPECT_TRUE(TenantExport(Reader()).ok());
  EXPECT_EQ(Export(App(kWriter, {auth::kReadAll}), kAdele).status().code(), Code::kForbidden) << "not consented";
  EXPECT_EQ(TenantExport(App(kReader, {})).status().code(), Code::kForbidden) << "the token lacks the role";
  EXPECT_EQ(TenantExport(Delegated(kAdele, {auth::kReadDelegated})).status().code(), Code::kForbidden);
  // Subscribe: Read.All, consented, for the tenant or any user.
  EXPECT_EQ(*Subscribe(Reader(), ""), "");
  EXPECT_EQ(Subscribe(App(kWriter, {auth::kReadAll}), "").status().code(), Code::kForbidden);
  // Write: Write.All, consented.
  EXPECT_EQ(*Write(Writer(), Item(kAdele, kWord)), kAdele);
  EXPECT_EQ(Write(App(kReader, {auth::kWriteAll}), Item(kAdele, kWord)).status().code(), Code::kForbidden);
  EXPECT_EQ(Write(Delegated(kAdele, {auth::kReadDelegated}), Item(kAdele, kWord)).status().code(), Code::kForbidden);
  // Notify: a stored subscription lives only while the consent does (the monitor's recheck).
  store::Subscription tenant_wide;
  tenant_wide.tenant_id = kTenant;
  tenant_wide.app_id = kReader;
  EXPECT_TRUE(RecheckSubscription(directory(), tenant_wide).ok());

  // Revoked: every operation refuses at once, tokens issued before included.
  ASSERT_TRUE(directory().RevokeConsent(kTenant, kReader, "").ok());
  ASSERT_TRUE(directory().RevokeConsent(kTenant, kWriter, "").ok());
  auto exported = Export(Reader(), kAdele);
  EXPECT_EQ(exported.status().code(), Code::kForbidden);
  EXPECT_NE(exported.status().message().find("admin consent"), std::string::npos) << exported.status().message();
  EXPECT_EQ(TenantExport(Reader()).status().code(), Code::kForbidden);
  EXPECT_EQ(Subscribe(Reader(), "").status().code(), Code::kForbidden);
  EXPECT_EQ(Subscribe(Reader(), kAdele).status().code(), Code::kForbidden);
  EXPECT_EQ(RecheckSubscription(directory(), tenant_wide).code(), Code::kForbidden);
  EXPECT_EQ(Write(Writer(), Item(kAdele, kWord)).status().code(), Code::kForbidden);
  // A tenant the directory does not know: refused, saying so.
  auto unknown = TenantExport(App(kReader, {auth::kReadAll}, "00000000-0000-4000-8000-0000000000ff"));
  EXPECT_NE(unknown.status().message().find("not registered"), std::string::npos) << unknown.status().message();
}

// The Microsoft 365 Copilot license: exported, subscribed to and notified only with it; written without.
TEST_F(PolicyRulesTest, CopilotLicense) {
  // Export of one user: 403 naming the license.
  auto lee = Export(Reader(), kLee);
  EXPECT_EQ(lee.status().code(), Code::kForbidden);
  EXPECT_NE(lee.status().message().find(store::kCopilotServicePlanId), std::string::npos) << lee.status().message();
  EXPECT_EQ(Export(Reader(), kAdele)->user_id, kAdele);
  // Tenant-wide export: the scope asks for the license, and the store honours it.
  auto tenant = TenantExport(Reader());
  ASSERT_TRUE(tenant.ok());
  EXPECT_EQ(tenant->required_service_plan, store::kCopilotServicePlanId);
  Store(kAdele, "a", kWord, 2);
  Store(kLee, "l", kWord, 1);
  EXPECT_EQ(TenantPage(*tenant), std::vector<std::string>{std::string(kAdele) + " a"});
  // Subscribe: 403 naming the license, for any caller otherwise allowed.
  auto subscribe = Subscribe(Reader(), kLee);
  EXPECT_EQ(subscribe.status().code(), Code::kForbidden);
  EXPECT_NE(subscribe.status().message().find("subscribed to"), std::string::npos) << subscribe.status().message();
  EXPECT_EQ(Subscribe(Delegated(kLee, {auth::kReadDelegated}), kLee).status().code(), Code::kForbidden);
  EXPECT_EQ(*Subscribe(Reader(), kAdele), kAdele);
  // Notify: Lee's changes are not told, Adele's are.
  EXPECT_FALSE(Notified(kLee, kWord));
  EXPECT_TRUE(Notified(kAdele, kWord));
  // Write: no license needed.
  EXPECT_EQ(*Write(Writer(), Item(kLee, kWord)), kLee);

  // Assigned, every operation follows at once; nothing was deleted meanwhile.
  ASSERT_TRUE(directory().AssignLicense(kTenant, kLee, store::kCopilotServicePlanId).ok());
  EXPECT_TRUE(Export(Reader(), kLee).ok());
  EXPECT_EQ(TenantPage(*TenantExport(Reader())).size(), 2u);
  EXPECT_TRUE(Subscribe(Reader(), kLee).ok());
  EXPECT_TRUE(Notified(kLee, kWord));
}

// Personal Microsoft accounts are outside the service.
TEST_F(PolicyRulesTest, PersonalAccounts) {
  // Export: 403 although Pat holds the license.
  auto exported = Export(Reader(), kPat);
  EXPECT_EQ(exported.status().code(), Code::kForbidden);
  EXPECT_NE(exported.status().message().find("personal Microsoft account"), std::string::npos);
  // Subscribe: 403.
  auto subscribed = Subscribe(Reader(), kPat);
  EXPECT_EQ(subscribed.status().code(), Code::kForbidden);
  EXPECT_NE(subscribed.status().message().find("nothing to subscribe to"), std::string::npos);
  // Write: an item owned by, or sent by, a personal account is refused as data (400), not the caller.
  auto owned = Write(Writer(), Item(kPat, kWord));
  EXPECT_EQ(owned.status().code(), Code::kBadRequest);
  EXPECT_NE(owned.status().message().find("not stored"), std::string::npos);
  model::WriteItem sent = Item(kAdele, kWord);
  sent.interaction.from.emplace().user.emplace().user_identity_type = "personalMicrosoftAccountUser";
  EXPECT_EQ(Write(Writer(), sent).status().code(), Code::kBadRequest);
  EXPECT_EQ(policy_->CheckItem(kTenant, sent).status().code(), Code::kBadRequest) << "import too";
  // Tenant-wide export and notify: nothing of theirs is ever stored, so neither names them.
  auto tenant = TenantExport(Reader());
  ASSERT_TRUE(tenant.ok());
  EXPECT_TRUE(tenant->user_id.empty());
}

// Sources whose export is off: neither exported nor notified; still written; subscribing is allowed.
TEST_F(PolicyRulesTest, SourcesWhoseExportIsOff) {
  // Export of one user and tenant-wide: the scope hides the source, and the store honours it.
  EXPECT_EQ(Export(Reader(), kAdele)->hidden_app_classes, std::vector<std::string>{kBot});
  auto tenant = TenantExport(Reader());
  ASSERT_TRUE(tenant.ok());
  EXPECT_EQ(tenant->hidden_app_classes, std::vector<std::string>{kBot});
  Store(kAdele, "w", kWord, 2);
  Store(kAdele, "b", kBot, 1);
  EXPECT_EQ(TenantPage(*tenant), std::vector<std::string>{std::string(kAdele) + " w"});
  // Notify: not told.
  EXPECT_FALSE(Notified(kAdele, kBot));
  EXPECT_TRUE(Notified(kAdele, kWord));
  // Subscribe: not refused (the subscription hears nothing of the source).
  EXPECT_TRUE(Subscribe(Reader(), kAdele).ok());
  // Write: still stored.
  EXPECT_EQ(*Write(Writer(), Item(kAdele, kBot)), kAdele);

  // Turned on again: exported and notified at once.
  store::SourcePatch on;
  on.export_enabled = true;
  ASSERT_TRUE(directory().UpdateSource(kTenant, kBot, on).ok());
  EXPECT_TRUE(Export(Reader(), kAdele)->hidden_app_classes.empty());
  EXPECT_EQ(TenantPage(*TenantExport(Reader())).size(), 2u);
  EXPECT_TRUE(Notified(kAdele, kBot));
}

// Read.User granted for one user: subscriptions to that user only; never export, never the tenant.
TEST_F(PolicyRulesTest, PerUserAccess) {
  const auth::Principal granted = App(kGranted, {auth::kReadUser});
  // Export of that very user: refused, saying the grant is for subscriptions.
  auto exported = Export(granted, kAdele);
  EXPECT_EQ(exported.status().code(), Code::kForbidden);
  EXPECT_NE(exported.status().message().find("not export"), std::string::npos) << exported.status().message();
  // ... and of another user: refused without a word about grants.
  auto other = Export(granted, kLee);
  EXPECT_EQ(other.status().code(), Code::kForbidden);
  EXPECT_EQ(other.status().message().find("is granted"), std::string::npos) << other.status().message();
  // Tenant-wide export: refused.
  EXPECT_EQ(TenantExport(granted).status().code(), Code::kForbidden);
  // Subscribe: to that user, whatever the token's roles say; not to others, not tenant-wide.
  EXPECT_EQ(*Subscribe(granted, kAdele), kAdele);
  EXPECT_EQ(*Subscribe(App(kGranted, {}), kAdele), kAdele);
  EXPECT_EQ(Subscribe(granted, kLee).status().code(), Code::kForbidden);
  EXPECT_EQ(Subscribe(granted, "").status().code(), Code::kForbidden);
  // Notify: the subscription lives while the grant does.
  store::Subscription per_user;
  per_user.tenant_id = kTenant;
  per_user.app_id = kGranted;
  per_user.user_id = kAdele;
  EXPECT_TRUE(RecheckSubscription(directory(), per_user).ok());
  // Write: the grant writes nothing.
  EXPECT_EQ(Write(App(kGranted, {auth::kReadUser}), Item(kAdele, kWord)).status().code(), Code::kForbidden);

  ASSERT_TRUE(directory().RevokeUserAccess(kTenant, kGranted, kAdele).ok());
  EXPECT_EQ(Subscribe(granted, kAdele).status().code(), Code::kForbidden);
  EXPECT_EQ(RecheckSubscription(directory(), per_user).code(), Code::kForbidden);
}

// A user of another tenant is one that does not exist: the same 404, for every operation naming a user.
TEST_F(PolicyRulesTest, AnotherTenantsUserIsNotFound) {
  const char* nobody = "00000000-0000-4000-8000-00000000dead";
  for (const char* user : {kOlga, nobody}) {
    SCOPED_TRACE(user);
    auto exported = Export(Reader(), user);
    EXPECT_EQ(exported.status().code(), Code::kNotFound);
    EXPECT_NE(exported.status().message().find("does not exist"), std::string::npos);
    EXPECT_EQ(Subscribe(Reader(), user).status().code(), Code::kNotFound);
    EXPECT_EQ(Write(Writer(), Item(user, kWord)).status().code(), Code::kNotFound);
  }
  EXPECT_FALSE(Notified(kOlga, kWord)) << "no license of this tenant";
}

// The CLI's export (no caller: it holds the database) follows the same scope as the API's.
TEST_F(PolicyRulesTest, TheScopesWithoutACallerAreTheAPIs) {
  EXPECT_EQ(policy_->UserExportScope(kTenant, kAdele)->hidden_app_classes, Export(Reader(), kAdele)->hidden_app_classes);
  EXPECT_EQ(policy_->UserExportScope(kTenant, kLee).status().message(), Export(Reader(), kLee).status().message());
  EXPECT_EQ(policy_->UserExportScope(kTenant, kPat).status().message(), Export(Reader(), kPat).status().message());
  auto cli = policy_->TenantExportScope(kTenant);
  auto api = TenantExport(Reader());
  EXPECT_EQ(cli->hidden_app_classes, api->hidden_app_classes);
  EXPECT_EQ(cli->required_service_plan, api->required_service_plan);
}

}  // namespace
}  // namespace aih::policy
