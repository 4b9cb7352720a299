// Who may subscribe to what: application and delegated callers, per-user and tenant-wide, against a
// directory whose consents change underneath.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "policy/subscription_policy.h"
#include "principals.h"
#include "store/directory_store.h"
#include "store/store.h"

namespace aih::policy {
namespace {

constexpr const char* kTenant = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kAdele = "00000000-0000-4000-8000-0000000000b1";
constexpr const char* kLee = "00000000-0000-4000-8000-0000000000b2";       // unlicensed
constexpr const char* kPat = "00000000-0000-4000-8000-0000000000b3";       // personal account
constexpr const char* kAll = "00000000-0000-4000-8000-0000000000a1";       // consented Read.All
constexpr const char* kUserOnly = "00000000-0000-4000-8000-0000000000a2";  // Read.User granted for Adele and Lee
constexpr const char* kNone = "00000000-0000-4000-8000-0000000000a3";      // nothing consented

class SubscriptionPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("aih-access-" + std::to_string(std::random_device{}()));
    store_ = std::move(*store::OpenStore(dir_.string()));
    auto& d = store_->directory();
    ASSERT_TRUE(d.CreateTenant({kTenant, "Test"}).ok());
    const std::vector<std::string> licensed = {store::kCopilotServicePlanId};
    ASSERT_TRUE(d.ImportUsers(kTenant, {{kAdele, "adele@t.example", "Adele", store::AccountType::kWork, licensed},
                                        {kLee, "lee@t.example", "Lee", store::AccountType::kWork, std::vector<std::string>{}},
                                        {kPat, "pat@t.example", "Pat", store::AccountType::kPersonal, licensed}})
                    .ok());
    for (const char* app : {kAll, kUserOnly, kNone}) ASSERT_TRUE(d.CreateApplication({app, "app", kTenant, 0}).ok());
    ASSERT_TRUE(d.GrantConsent(kTenant, kAll, {auth::kReadAll}).ok());
    ASSERT_TRUE(d.GrantUserAccess(kTenant, kUserOnly, kAdele).ok());
    ASSERT_TRUE(d.GrantUserAccess(kTenant, kUserOnly, kLee).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static auth::Principal App(const char* app, std::vector<std::string> roles) {
    return testing::AppPrincipal(kTenant, app, std::move(roles));
  }
  static auth::Principal Delegated(const char* user, std::vector<std::string> scopes) {
    return testing::DelegatedPrincipal(kTenant, kNone, user, std::move(scopes));
  }
  Result<std::string> Authorize(const auth::Principal& p, const std::string& user) {
    return AuthorizeSubscriber(store_->directory(), p, user);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(SubscriptionPolicyTest, ReadAllSubscribesToTheTenantAndToAnyLicensedUser) {
  auto all = App(kAll, {auth::kReadAll});
  EXPECT_EQ(*Authorize(all, ""), "");
  EXPECT_EQ(*Authorize(all, kAdele), kAdele);
  EXPECT_EQ(*Authorize(all, "ADELE@t.example"), kAdele);  // by user principal name, resolved
  EXPECT_EQ(Authorize(all, kLee).status().code(), Code::kForbidden);  // unlicensed
  EXPECT_EQ(Authorize(all, kPat).status().code(), Code::kForbidden);  // personal account
  EXPECT_EQ(Authorize(all, "00000000-0000-4000-8000-00000000dead").status().code(), Code::kNotFound);
}

TEST_F(SubscriptionPolicyTest, ReadUserSubscribesToTheUsersItIsGrantedForOnly) {
  auto user_only = App(kUserOnly, {auth::kReadUser});
  EXPECT_EQ(*Authorize(user_only, kAdele), kAdele);
  EXPECT_EQ(*Authorize(user_only, "adele@T.example"), kAdele);
  // The grant decides, not the token: one whose roles do not list Read.User works the same.
  EXPECT_EQ(*Authorize(App(kUserOnly, {}), kAdele), kAdele);
  auto tenant = Authorize(user_only, "");
  EXPECT_EQ(tenant.status().code(), Code::kForbidden);
  EXPECT_NE(tenant.status().message().find(auth::kReadAll), std::string::npos);
  // Granted, but Lee has no license: the caller may be told so.
  auto lee = Authorize(user_only, kLee);
  EXPECT_EQ(lee.status().code(), Code::kForbidden);
  EXPECT_NE(lee.status().message().find("license"), std::string::npos) << lee.status().message();
  // Not granted for Pat, nor for a user that does not exist: the same answer, so nothing can be probed.
  auto pat = Authorize(user_only, kPat);
  auto nobody = Authorize(user_only, "00000000-0000-4000-8000-00000000dead");
  EXPECT_EQ(pat.status().code(), Code::kForbidden);
  EXPECT_EQ(nobody.status().code(), Code::kForbidden);
  EXPECT_NE(pat.status().message().find("neither"), std::string::npos) << pat.status().message();
  auto without = [](std::string message, const std::string& ref) {
    return message.replace(message.find(ref), ref.size(), "<user>");
  };
  EXPECT_EQ(without(pat.status().message(), kPat),
            without(nobody.status().message(), "00000000-0000-4000-8000-00000000dead"));
  EXPECT_NE(nobody.status().message().find("/access/"), std::string::npos) << "says how to grant it";
  // An app with no grant at all, and a grant revoked: refused at once.
  EXPECT_EQ(Authorize(App(kNone, {auth::kReadUser}), kAdele).status().code(), Code::kForbidden);
  ASSERT_TRUE(store_->directory().RevokeUserAccess(kTenant, kUserOnly, kAdele).ok());
  EXPECT_EQ(Authorize(user_only, kAdele).status().code(), Code::kForbidden);
}

TEST_F(SubscriptionPolicyTest, TheConsentMustStillHoldNotJustTheToken) {
  // A token that still carries the role, after the administrator revoked it.
  ASSERT_TRUE(store_->directory().RevokeConsent(kTenant, kAll, "").ok());
  auto stale = Authorize(App(kAll, {auth::kReadAll}), "");
  EXPECT_EQ(stale.status().code(), Code::kForbidden);
  EXPECT_NE(stale.status().message().find("admin consent"), std::string::npos);
  EXPECT_EQ(Authorize(App(kNone, {}), kAdele).status().code(), Code::kForbidden);
}

TEST_F(SubscriptionPolicyTest, DelegatedCallersSubscribeToTheirOwnHistoryOnly) {
  auto adele = Delegated(kAdele, {auth::kReadDelegated});
  EXPECT_EQ(*Authorize(adele, kAdele), kAdele);
  auto lee = Authorize(adele, kLee);
  EXPECT_EQ(lee.status().code(), Code::kForbidden);
  // Refused for being another user, before (and without) anything about Lee's license.
  EXPECT_NE(lee.status().message().find("own interactions"), std::string::npos) << lee.status().message();
  EXPECT_EQ(lee.status().message().find("license"), std::string::npos) << lee.status().message();
  auto other = Delegated(kLee, {auth::kReadDelegated});
  EXPECT_EQ(Authorize(other, kAdele).status().code(), Code::kForbidden);
  EXPECT_EQ(Authorize(adele, "").status().code(), Code::kForbidden);  // never tenant-wide
  EXPECT_EQ(Authorize(Delegated(kAdele, {"User.Read"}), kAdele).status().code(), Code::kForbidden);
}

TEST_F(SubscriptionPolicyTest, RecheckFollowsTheDirectory) {
  store::Subscription tenant_wide;
  tenant_wide.tenant_id = kTenant;
  tenant_wide.app_id = kAll;
  store::Subscription per_user = tenant_wide;
  per_user.app_id = kUserOnly;
  per_user.user_id = kAdele;
  store::Subscription delegated = per_user;
  delegated.app_id = kNone;
  delegated.delegated = true;
  EXPECT_TRUE(RecheckSubscription(store_->directory(), tenant_wide).ok());
  EXPECT_TRUE(RecheckSubscription(store_->directory(), per_user).ok());
  EXPECT_TRUE(RecheckSubscription(store_->directory(), delegated).ok());

  ASSERT_TRUE(store_->directory().RevokeConsent(kTenant, kAll, auth::kReadAll).ok());
  EXPECT_EQ(RecheckSubscription(store_->directory(), tenant_wide).code(), Code::kForbidden);
  store::Subscription per_user_via_all = per_user;
  per_user_via_all.app_id = kAll;
  ASSERT_TRUE(store_->directory().GrantUserAccess(kTenant, kAll, kAdele).ok());
  EXPECT_TRUE(RecheckSubscription(store_->directory(), per_user_via_all).ok()) << "its grant for Adele still holds";
  ASSERT_TRUE(store_->directory().RevokeUserAccess(kTenant, kUserOnly, kAdele).ok());
  EXPECT_EQ(RecheckSubscription(store_->directory(), per_user).code(), Code::kForbidden);
  ASSERT_TRUE(store_->directory().GrantUserAccess(kTenant, kUserOnly, kAdele).ok());
  EXPECT_TRUE(RecheckSubscription(store_->directory(), per_user).ok());
  ASSERT_TRUE(store_->directory().DeleteUser(kTenant, kAdele).ok());
  EXPECT_EQ(RecheckSubscription(store_->directory(), delegated).code(), Code::kNotFound);
}

}  // namespace
}  // namespace aih::policy
