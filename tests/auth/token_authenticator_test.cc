// TokenAuthenticator: every way a bearer token can be wrong is a 401 with a reason, and the tokens of
// our issuer and of a trusted external issuer map to the same Principal. The directory is a real
// SQLite store; the clock is fixed.
#include "auth/token_authenticator.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/base64.h"
#include "auth/in_memory_key_repository.h"
#include "auth/jwt.h"
#include "auth/token_issuer.h"
#include "store/store.h"
#include "test_keys.h"
#include "unwrap.h"

namespace aih::auth {
namespace {

using ::testing::HasSubstr;
using testing::TestKey;
using testing::Unwrap;

constexpr int64_t kNow = 1'768'473'000;  // 2026-01-15T10:30:00Z
constexpr const char* kBase = "https://history.test";
constexpr const char* kGraph = "https://graph.microsoft.com";
constexpr const char* kTenant = "aaaaaaaa-1111-4111-8111-000000000001";
constexpr const char* kOtherTenant = "bbbbbbbb-2222-4222-8222-000000000002";
constexpr const char* kUnregisteredTenant = "cccccccc-3333-4333-8333-000000000003";
constexpr const char* kApp = "e0000000-0000-4000-8000-00000000000a";
constexpr const char* kUser = "d0000000-0000-4000-8000-000000000001";
constexpr const char* kExternalIssuer = "https://login.example/{tenantid}/v2.0";

std::string ExternalIssuerOf(const std::string& tenant) { return "https://login.example/" + tenant + "/v2.0"; }

std::string Hs256(std::string_view header, std::string_view payload, std::string_view secret) {
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
  return input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), size));
}

std::string JwksOf(const SigningKey& key) { return "{\"keys\":[" + key.verifying_key().ToJwk() + "]}"; }

// Our ring signs with TestKey(0); the external issuer's JWKS holds TestKey(2); TestKey(1) is nobody's
// until a test makes the external issuer rotate to it.
class TokenAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aih-authn-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    auto store = store::OpenStore(dir_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->directory().CreateTenant({kTenant, "Contoso"}).ok());
    ASSERT_TRUE(store_->directory().CreateTenant({kOtherTenant, "Fabrikam"}).ok());
    KeyRingOptions ring_options;
    ring_options.new_key = [] { return Result<SigningKey>(TestKey(0)); };
    auto ring = KeyRing::Open(repository_, ring_options, kNow - 3600);
    ASSERT_TRUE(ring.ok()) << ring.status().message();
    ring_ = std::move(*ring);
    jwks_file_ = dir_ + "/external-jwks.json";
    std::ofstream(jwks_file_) << JwksOf(TestKey(2));
  }

  void TearDown() override {
    authenticator_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  TokenVerification Verification() {
    TokenVerification v;
    v.own_issuer_base = kBase;
    v.audiences = {kGraph};
    v.clock = [this] { return now_; };
    return v;
  }

  TokenAuthenticator& Authenticator() {
    if (!authenticator_) {
      TokenVerification v = Verification();
      v.external_issuers = {ExternalIssuer{{kExternalIssuer}, jwks_file_, ""}};
      authenticator_ = Unwrap(TokenAuthenticator::Create(*ring_, store_->directory(), v));
    }
    return *authenticator_;
  }

  static Claims AppClaims(const std::string& tenant = kTenant) {
    Claims c;
    c.iss = IssuerFor(kBase, tenant);
    c.aud = {kGraph};
    c.tid = tenant;
    c.sub = kApp;
    c.oid = kApp;
    c.appid = kApp;
    c.roles = {kReadAll};
    c.iat = kNow;
    c.nbf = kNow;
    c.exp = kNow + 3600;
    return c;
  }

  Result<Principal> Bearer(const std::string& token) { return Authenticator().Authenticate("Bearer " + token); }

  void ExpectRefused(const Result<Principal>& result, const std::string& reason) {
    ASSERT_FALSE(result.ok()) << "accepted a token that should say: " << reason;
    EXPECT_EQ(result.status().code(), Code::kUnauthenticated);
    EXPECT_THAT(result.status().message(), HasSubstr(reason));
  }

  std::string dir_, jwks_file_;
  std::unique_ptr<store::Store> store_;
  InMemoryKeyRepository repository_;
  std::unique_ptr<KeyRing> ring_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  int64_t now_ = kNow;
};

// ----- accepted tokens -----

TEST_F(TokenAuthenticatorTest, OurApplicationTokenBecomesAnApplicationPrincipal) {
  Principal p = Unwrap(Bearer(SignJwt(TestKey(0), AppClaims())));
  EXPECT_EQ(p.kind, Principal::Kind::kApplication);
  EXPECT_EQ(p.tenant_id, kTenant);
  EXPECT_EQ(p.app_id, kApp);
  EXPECT_EQ(p.roles, std::vector<std::string>{kReadAll});
  EXPECT_TRUE(p.scopes.empty());
  EXPECT_EQ(p.audiences, std::vector<std::string>{kGraph});
  EXPECT_EQ(p.expires_at, kNow + 3600);
  EXPECT_TRUE(p.HasRole(kReadAll));
}

TEST_F(TokenAuthenticatorTest, ADelegatedTokenBecomesADelegatedPrincipalOfItsUser) {
  Claims c = AppClaims();
  c.roles = {};
  c.oid = kUser;
  c.sub = kUser;
  c.scp = {kReadDelegated, "User.Read"};
  Principal p = Unwrap(Bearer(SignJwt(TestKey(0), c)));
  EXPECT_EQ(p.kind, Principal::Kind::kDelegated);
  EXPECT_EQ(p.user_id, kUser);
  EXPECT_EQ(p.app_id, kApp);
  EXPECT_EQ(p.scopes, (std::vector<std::string>{kReadDelegated, "User.Read"}));
  EXPECT_FALSE(p.HasRole(kReadAll));
}

TEST_F(TokenAuthenticatorTest, TheSchemeIsCaseInsensitiveAndTheTenantIsCanonicalised) {
  Claims c = AppClaims();
  c.tid = "AAAAAAAA-1111-4111-8111-000000000001";
  c.iss = IssuerFor(kBase, c.tid);
  Principal p = Unwrap(Authenticator().Authenticate("bearer  " + SignJwt(TestKey(0), c)));
  EXPECT_EQ(p.tenant_id, kTenant);
}

TEST_F(TokenAuthenticatorTest, AzpStandsForAppid) {
  // Entra v2 tokens name the client in azp only; our Claims reads either.
  const std::string payload = R"({"iss":")" + IssuerFor(kBase, kTenant) + R"(","aud":")" + kGraph + R"(","tid":")" +
                              kTenant + R"(","azp":")" + kApp + R"(","exp":)" + std::to_string(kNow + 60) + "}";
  const std::string header = R"({"alg":"RS256","typ":"JWT","kid":")" + TestKey(0).kid() + R"("})";
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  EXPECT_EQ(Unwrap(Bearer(input + "." + Base64UrlEncode(TestKey(0).Sign(input)))).app_id, kApp);
}

// ----- the Authorization header -----

TEST_F(TokenAuthenticatorTest, AMissingHeaderSaysHowToGetAToken) {
  auto r = Authenticator().Authenticate("");
  ExpectRefused(r, "send Authorization: Bearer <token>");
  EXPECT_THAT(r.status().message(), HasSubstr("/oauth2/v2.0/token"));
}

TEST_F(TokenAuthenticatorTest, OtherSchemesAreRefused) {
  ExpectRefused(Authenticator().Authenticate("Basic x"), "uses the scheme 'Basic'");
  ExpectRefused(Authenticator().Authenticate("Bearer"), "no token after 'Bearer'");
  ExpectRefused(Authenticator().Authenticate("Bearer a b"), "more than one word");
  ExpectRefused(Authenticator().Authenticate(SignJwt(TestKey(0), AppClaims())), "which this API does not accept");
}

TEST_F(TokenAuthenticatorTest, MalformedTokensAreRefused) {
  ExpectRefused(Bearer("not-a-jwt"), "malformed");
  ExpectRefused(Bearer("a.b.c"), "malformed");
  ExpectRefused(Bearer(""), "no token after 'Bearer'");
}

// ----- what VerifyJwt checks, through the authenticator -----

TEST_F(TokenAuthenticatorTest, AnExpiredTokenIsRefused) {
  Claims c = AppClaims();
  c.iat = c.nbf = kNow - 7200;
  c.exp = kNow - 301;  // beyond the 300 s of clock skew
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "has expired");
  // And a valid token replayed after it expired.
  const std::string token = SignJwt(TestKey(0), AppClaims());
  ASSERT_TRUE(Bearer(token).ok());
  now_ = kNow + 3600 + 300;
  ExpectRefused(Bearer(token), "has expired");
}

TEST_F(TokenAuthenticatorTest, ATokenNotYetValidIsRefused) {
  Claims c = AppClaims();
  c.nbf = kNow + 301;
  c.exp = kNow + 3600;
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "not valid yet");
}

TEST_F(TokenAuthenticatorTest, AWrongAudienceIsRefused) {
  Claims c = AppClaims();
  c.aud = {"https://management.azure.com"};
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "audience 'https://management.azure.com' is not accepted");
}

TEST_F(TokenAuthenticatorTest, AWrongIssuerIsRefused) {
  Claims c = AppClaims();
  c.iss = "https://evil.example/" + std::string(kTenant) + "/v2.0";
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "issuer 'https://evil.example/");
  // Our issuer, but naming another tenant than the token's tid.
  c.iss = IssuerFor(kBase, kOtherTenant);
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "is not accepted");
}

TEST_F(TokenAuthenticatorTest, ABadSignatureIsRefused) {
  std::string token = SignJwt(TestKey(0), AppClaims());
  const size_t sig = token.rfind('.') + 1;
  token[sig + 10] = token[sig + 10] == 'A' ? 'B' : 'A';
  ExpectRefused(Bearer(token), "signature is invalid");
  // A valid signature over other claims: the payload swapped into a genuine token.
  Claims forged = AppClaims();
  forged.roles = {kReadAll, kWriteAll};
  const std::string genuine = SignJwt(TestKey(0), AppClaims());
  const std::string other = SignJwt(TestKey(0), forged);
  const std::string spliced = genuine.substr(0, genuine.find('.')) + other.substr(other.find('.'), other.rfind('.') - other.find('.')) +
                              genuine.substr(genuine.rfind('.'));
  ExpectRefused(Bearer(spliced), "signature is invalid");
}

TEST_F(TokenAuthenticatorTest, AlgNoneIsRefused) {
  const std::string header = R"({"alg":"none","typ":"JWT","kid":")" + TestKey(0).kid() + R"("})";
  const std::string payload = SignJwt(TestKey(0), AppClaims());
  const std::string claims = payload.substr(payload.find('.') + 1, payload.rfind('.') - payload.find('.') - 1);
  ExpectRefused(Bearer(Base64UrlEncode(header) + "." + claims + "."), "alg 'none' are not accepted");
}

TEST_F(TokenAuthenticatorTest, Hs256SignedWithOurPublicKeyIsRefused) {
  const VerifyingKey& ours = TestKey(0).verifying_key();
  const std::string header = R"({"alg":"HS256","typ":"JWT","kid":")" + ours.kid() + R"("})";
  const std::string signed_token = SignJwt(TestKey(0), AppClaims());
  const std::string payload = Unwrap(Base64UrlDecode(
      signed_token.substr(signed_token.find('.') + 1, signed_token.rfind('.') - signed_token.find('.') - 1)));
  for (const std::string& secret : {ours.PublicPem(), ours.ToJwk()}) {
    ExpectRefused(Bearer(Hs256(header, payload, secret)), "alg 'HS256' are not accepted");
  }
}

TEST_F(TokenAuthenticatorTest, AnUnknownKeyIsRefused) {
  ExpectRefused(Bearer(SignJwt(TestKey(1), AppClaims())), "unknown key");
}

// ----- the claims we need -----

TEST_F(TokenAuthenticatorTest, ATenantOutsideTheDirectoryIsRefused) {
  ExpectRefused(Bearer(SignJwt(TestKey(0), AppClaims(kUnregisteredTenant))), "is not registered in this aihistory");
  Claims c = AppClaims();
  c.tid = "";
  c.iss = IssuerFor(kBase, "");
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "is not accepted");  // the issuer pattern needs a tid
  c.tid = "contoso";
  c.iss = IssuerFor(kBase, "contoso");
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "tid");
}

TEST_F(TokenAuthenticatorTest, ATokenWithoutAnApplicationIsRefused) {
  Claims c = AppClaims();
  c.appid = "";
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "names no application");
}

TEST_F(TokenAuthenticatorTest, ADelegatedTokenWithoutAUserIsRefused) {
  Claims c = AppClaims();
  c.oid = "";
  c.scp = {kReadDelegated};
  ExpectRefused(Bearer(SignJwt(TestKey(0), c)), "names no signed-in user");
}

// ----- external issuers -----

TEST_F(TokenAuthenticatorTest, AnExternalIssuersTokenIsMappedLikeOurs) {
  Claims c = AppClaims();
  c.iss = ExternalIssuerOf(kTenant);
  Principal p = Unwrap(Bearer(SignJwt(TestKey(2), c)));
  EXPECT_EQ(p.kind, Principal::Kind::kApplication);
  EXPECT_EQ(p.tenant_id, kTenant);
  EXPECT_EQ(p.app_id, kApp);
  EXPECT_EQ(p.roles, std::vector<std::string>{kReadAll});
  c.scp = {kReadDelegated};
  c.oid = kUser;
  p = Unwrap(Bearer(SignJwt(TestKey(2), c)));
  EXPECT_EQ(p.kind, Principal::Kind::kDelegated);
  EXPECT_EQ(p.user_id, kUser);
}

TEST_F(TokenAuthenticatorTest, EachIssuersKeysVerifyOnlyThatIssuersTokens) {
  Claims ours = AppClaims();
  ExpectRefused(Bearer(SignJwt(TestKey(2), ours)), "issuer");  // external key claiming to be us
  Claims external = AppClaims();
  external.iss = ExternalIssuerOf(kTenant);
  ExpectRefused(Bearer(SignJwt(TestKey(0), external)), "issuer");  // our key claiming to be them
  external.iss = ExternalIssuerOf(kOtherTenant);  // their issuer for another tenant than tid
  ExpectRefused(Bearer(SignJwt(TestKey(2), external)), "issuer");
}

TEST_F(TokenAuthenticatorTest, AnUntrustedExternalIssuerIsRefused) {
  // A well-formed token from an issuer nobody configured: its key is in no trusted set.
  Claims c = AppClaims();
  c.iss = "https://keycloak.example/realms/x";
  ExpectRefused(Bearer(SignJwt(TestKey(1), c)), "unknown key");
}

TEST_F(TokenAuthenticatorTest, AnExternalJwksThatCannotBeReadFailsAtStartup) {
  TokenVerification v = Verification();
  v.external_issuers = {ExternalIssuer{{kExternalIssuer}, dir_ + "/missing.json", ""}};
  auto created = TokenAuthenticator::Create(*ring_, store_->directory(), v);
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(created.status().message(), HasSubstr("missing.json"));

  std::ofstream(dir_ + "/not-jwks.json") << "{\"keys\":[]}";
  v.external_issuers = {ExternalIssuer{{kExternalIssuer}, dir_ + "/not-jwks.json", ""}};
  EXPECT_FALSE(TokenAuthenticator::Create(*ring_, store_->directory(), v).ok());

  v.external_issuers = {ExternalIssuer{{kExternalIssuer}, "", "https://login.example/keys"}};  // no fetcher
  EXPECT_FALSE(TokenAuthenticator::Create(*ring_, store_->directory(), v).ok());
  v.external_issuers = {ExternalIssuer{{}, jwks_file_, ""}};  // no iss
  EXPECT_FALSE(TokenAuthenticator::Create(*ring_, store_->directory(), v).ok());
}

TEST_F(TokenAuthenticatorTest, AnExternalJwksUrlIsFetchedAgainWhenTheIssuerRotates) {
  std::string served = JwksOf(TestKey(2));
  int fetches = 0;
  TokenVerification v = Verification();
  v.external_issuers = {ExternalIssuer{{kExternalIssuer}, "", "https://login.example/keys"}};
  v.jwks_retry_seconds = 60;
  v.fetch = [&](const std::string& url) -> Result<std::string> {
    EXPECT_EQ(url, "https://login.example/keys");
    ++fetches;
    return served;
  };
  auto authenticator = Unwrap(TokenAuthenticator::Create(*ring_, store_->directory(), v));
  ASSERT_NE(authenticator, nullptr);
  EXPECT_EQ(fetches, 1);
  Claims c = AppClaims();
  c.iss = ExternalIssuerOf(kTenant);
  EXPECT_TRUE(authenticator->Authenticate("Bearer " + SignJwt(TestKey(2), c)).ok());

  // The issuer rotates to TestKey(1). Within the retry interval an unknown kid fetches nothing...
  served = JwksOf(TestKey(1));
  const std::string rotated = "Bearer " + SignJwt(TestKey(1), c);
  EXPECT_FALSE(authenticator->Authenticate(rotated).ok());
  EXPECT_EQ(fetches, 1);
  // ...after it, one fetch brings the new key.
  now_ += 60;
  EXPECT_TRUE(authenticator->Authenticate(rotated).ok());
  EXPECT_EQ(fetches, 2);
  EXPECT_TRUE(authenticator->Authenticate(rotated).ok());
  EXPECT_EQ(fetches, 2);
}

TEST_F(TokenAuthenticatorTest, AFailedJwksFetchKeepsTheLastGoodKeys) {
  bool up = true;
  TokenVerification v = Verification();
  v.external_issuers = {ExternalIssuer{{kExternalIssuer}, "", "http://keycloak.test/certs"}};
  v.jwks_refresh_seconds = 3600;
  v.fetch = [&](const std::string&) -> Result<std::string> {
    if (!up) return Status::Unavailable("connection refused");
    return JwksOf(TestKey(2));
  };
  auto authenticator = Unwrap(TokenAuthenticator::Create(*ring_, store_->directory(), v));
  ASSERT_NE(authenticator, nullptr);
  up = false;
  now_ += 2 * 3600;  // a refresh is due, and fails
  Claims c = AppClaims();
  c.iat = c.nbf = now_;
  c.exp = now_ + 600;
  c.iss = ExternalIssuerOf(kTenant);
  EXPECT_TRUE(authenticator->Authenticate("Bearer " + SignJwt(TestKey(2), c)).ok());
}

}  // namespace
}  // namespace aih::auth
