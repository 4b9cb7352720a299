// TokenIssuer: what a client-credentials token says, and when none is issued. The directory is a real
// SQLite store; the clock is fixed. (The HTTP face is tested in tests/api/token_api_test.cc.)
#include "auth/token_issuer.h"

#include <unistd.h>

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/in_memory_key_repository.h"
#include "auth/jwt.h"
#include "auth/principal.h"
#include "auth/secret_hash.h"
#include "store/store.h"
#include "test_keys.h"
#include "unwrap.h"

namespace aih::auth {
namespace {

using ::testing::HasSubstr;
using testing::TestKey;
using testing::Unwrap;

constexpr int64_t kNow = 1'768'473'000;
constexpr const char* kBase = "https://history.test";
constexpr const char* kGraph = "https://graph.microsoft.com";
constexpr const char* kHome = "aaaaaaaa-1111-4111-8111-000000000001";
constexpr const char* kForeign = "bbbbbbbb-2222-4222-8222-000000000002";
constexpr const char* kApp = "e0000000-0000-4000-8000-00000000000a";
constexpr const char* kSecret = "s3cret-value-for-the-tests";
constexpr const char* kOldSecret = "an-expired-secret";

class TokenIssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aih-issuer-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    store_ = Unwrap(store::OpenStore(dir_));
    ASSERT_NE(store_, nullptr);
    store::DirectoryStore& d = store_->directory();
    ASSERT_TRUE(d.CreateTenant({kHome, "Contoso"}).ok());
    ASSERT_TRUE(d.CreateTenant({kForeign, "Fabrikam"}).ok());
    ASSERT_TRUE(d.CreateApplication({kApp, "Exporter", kHome, kNow}).ok());
    const std::string hash = Unwrap(HashClientSecret(kSecret, kMinSecretHashIterations));
    ASSERT_TRUE(d.AddSecret(kApp, {"11111111-0000-4000-8000-000000000001", hash, "s3c", kNow, 0}).ok());
    const std::string old_hash = Unwrap(HashClientSecret(kOldSecret, kMinSecretHashIterations));
    ASSERT_TRUE(d.AddSecret(kApp, {"11111111-0000-4000-8000-000000000002", old_hash, "an-", kNow - 100, kNow - 1}).ok());
    KeyRingOptions ring_options;
    ring_options.new_key = [] { return Result<SigningKey>(TestKey(0)); };
    ring_ = Unwrap(KeyRing::Open(repository_, ring_options, kNow - 3600));
    TokenIssuerOptions options;
    options.issuer_base = std::string(kBase) + "/";  // a trailing slash is not part of the issuer
    options.resources = {kGraph, "00000003-0000-0000-c000-000000000000", kBase};
    options.clock = [] { return kNow; };
    issuer_ = Unwrap(TokenIssuer::Create(*ring_, d, options));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  ClientCredentialsRequest Request(const std::string& tenant = kHome) {
    return {tenant, "client_credentials", kApp, kSecret, std::string(kGraph) + "/.default", "192.0.2.1", "", "", ""};
  }

  // The verified claims of the token `request` gets, or a failed test.
  Claims IssuedClaims(const ClientCredentialsRequest& request) {
    auto issued = issuer_->Issue(request);
    if (auto* error = std::get_if<OAuthError>(&issued)) {
      ADD_FAILURE() << error->error << ": " << error->description;
      return {};
    }
    EXPECT_EQ(std::get<AccessToken>(issued).expires_in, 3600);
    VerifyOptions verify;
    verify.issuers = {IssuerFor(kBase, "{tenantid}")};
    verify.audiences = {kGraph, "00000003-0000-0000-c000-000000000000", kBase};
    verify.now = kNow;
    return Unwrap(VerifyJwt(std::get<AccessToken>(issued).jwt, ring_->TrustedKeys(kNow), verify));
  }

  OAuthError Refusal(const ClientCredentialsRequest& request) {
    auto issued = issuer_->Issue(request);
    if (!std::holds_alternative<OAuthError>(issued)) {
      ADD_FAILURE() << "a token was issued";
      return {};
    }
    return std::get<OAuthError>(issued);
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  InMemoryKeyRepository repository_;
  std::unique_ptr<KeyRing> ring_;
  std::unique_ptr<TokenIssuer> issuer_;
};

TEST_F(TokenIssuerTest, ATokenCarriesTheAppsConsentedRolesInTheTenant) {
  ASSERT_TRUE(store_->directory().GrantConsent(kHome, kApp, {kReadAll}).ok());
  Claims c = IssuedClaims(Request());
  EXPECT_EQ(c.iss, "https://history.test/" + std::string(kHome) + "/v2.0");
  EXPECT_EQ(c.aud, std::vector<std::string>{kGraph});
  EXPECT_EQ(c.tid, kHome);
  EXPECT_EQ(c.appid, kApp);
  EXPECT_EQ(c.oid, kApp);
  EXPECT_EQ(c.sub, kApp);
  EXPECT_EQ(c.roles, std::vector<std::string>{kReadAll});
  EXPECT_TRUE(c.scp.empty());
  EXPECT_EQ(c.iat, kNow);
  EXPECT_EQ(c.nbf, kNow);
  EXPECT_EQ(c.exp, kNow + 3600);
  EXPECT_THAT(c.payload_json, HasSubstr("\"azp\":\"" + std::string(kApp) + "\""));
}

TEST_F(TokenIssuerTest, WithoutConsentInItsHomeTenantAnAppGetsATokenWithoutRoles) {
  Claims c = IssuedClaims(Request());
  EXPECT_TRUE(c.roles.empty());
  EXPECT_THAT(c.payload_json, ::testing::Not(HasSubstr("roles")));
}

TEST_F(TokenIssuerTest, InAForeignTenantAnAppExistsOnlyThroughConsent) {
  OAuthError refused = Refusal(Request(kForeign));
  EXPECT_EQ(refused.http_status, 400);
  EXPECT_EQ(refused.error, "unauthorized_client");
  EXPECT_EQ(refused.code, 700016);
  EXPECT_THAT(refused.description, HasSubstr("admin consent"));
  ASSERT_TRUE(store_->directory().GrantConsent(kForeign, kApp, {kReadAll, kWriteAll}).ok());
  Claims c = IssuedClaims(Request(kForeign));
  EXPECT_EQ(c.tid, kForeign);
  EXPECT_EQ(c.roles, (std::vector<std::string>{kReadAll, kWriteAll}));
}

TEST_F(TokenIssuerTest, TheScopeNamesTheAudience) {
  auto request = Request();
  for (const char* scope : {"https://GRAPH.microsoft.com/.default", "https://graph.microsoft.com//.default",
                            " https://graph.microsoft.com/.default "}) {
    request.scope = scope;
    EXPECT_EQ(IssuedClaims(request).aud, std::vector<std::string>{kGraph}) << scope;
  }
  request.scope = "00000003-0000-0000-c000-000000000000/.default";
  EXPECT_EQ(IssuedClaims(request).aud, std::vector<std::string>{"00000003-0000-0000-c000-000000000000"});
  request.scope = std::string(kBase) + "/.default";
  EXPECT_EQ(IssuedClaims(request).aud, std::vector<std::string>{kBase});

  request.scope = "https://graph.microsoft.com/User.Read";
  EXPECT_EQ(Refusal(request).error, "invalid_scope");
  request.scope = "https://graph.microsoft.com/.default offline_access";
  EXPECT_EQ(Refusal(request).error, "invalid_scope");
  request.scope = "https://management.azure.com/.default";
  EXPECT_EQ(Refusal(request).error, "invalid_resource");
}

TEST_F(TokenIssuerTest, AnExpiredSecretIsRefusedAsExpired) {
  auto request = Request();
  request.client_secret = kOldSecret;
  OAuthError refused = Refusal(request);
  EXPECT_EQ(refused.http_status, 401);
  EXPECT_EQ(refused.error, "invalid_client");
  EXPECT_EQ(refused.code, 7000222);
}

TEST_F(TokenIssuerTest, TheClientIdMayBeWrittenInCapitals) {
  auto request = Request();
  request.client_id = "E0000000-0000-4000-8000-00000000000A";
  EXPECT_EQ(IssuedClaims(request).appid, kApp);
}

TEST_F(TokenIssuerTest, UnusableOptionsAreRefused) {
  TokenIssuerOptions options;
  options.resources = {kGraph};
  for (const char* base : {"", "history.test", "https://history.test/path", "ftp://history.test"}) {
    options.issuer_base = base;
    EXPECT_EQ(TokenIssuer::Create(*ring_, store_->directory(), options).status().code(), Code::kBadRequest) << base;
  }
  options.issuer_base = kBase;
  options.resources = {};
  EXPECT_FALSE(TokenIssuer::Create(*ring_, store_->directory(), options).ok());
  options.resources = {kGraph};
  options.token_lifetime_seconds = 2 * 24 * 3600;  // longer than the keys are kept after rotation
  EXPECT_FALSE(TokenIssuer::Create(*ring_, store_->directory(), options).ok());
}

}  // namespace
}  // namespace aih::auth
