#include "auth/jwt.h"

#include <ctime>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/base64.h"
#include "test_keys.h"
#include "unwrap.h"

namespace aih::auth {
namespace {

using testing::Unwrap;
using ::testing::HasSubstr;
using testing::TestKey;

constexpr std::string_view kIssuer = "https://aihistory.test/tenant-1/v2.0";
constexpr std::string_view kAudience = "https://graph.microsoft.com";
constexpr int64_t kNow = 1'768'473'000;  // 2026-01-15T10:30:00Z

Claims AppClaims() {
  Claims claims;
  claims.iss = kIssuer;
  claims.aud = {std::string(kAudience)};
  claims.tid = "tenant-1";
  claims.sub = "sp-1";
  claims.oid = "sp-1";
  claims.appid = "app-1";
  claims.roles = {"AiEnterpriseInteraction.Read.All"};
  claims.iat = kNow;
  claims.nbf = kNow;
  claims.exp = kNow + 3600;
  return claims;
}

VerifyOptions Options() {
  VerifyOptions options;
  options.issuers = {std::string(kIssuer)};
  options.audiences = {std::string(kAudience)};
  options.clock_skew_seconds = 0;
  options.now = kNow;
  return options;
}

// Our two keys; TestKey(2) plays an attacker's key, trusted by nobody.
const KeySet& Trusted() {
  static const KeySet keys = [] {
    KeySet set;
    (void)set.Add(TestKey(0).verifying_key());
    (void)set.Add(TestKey(1).verifying_key());
    return set;
  }();
  return keys;
}

Result<Claims> Verify(std::string_view token, const VerifyOptions& options = Options()) {
  return VerifyJwt(token, Trusted(), options);
}

// A token with any header and payload, RS256-signed by `key` whatever the header says.
std::string Forge(std::string_view header, std::string_view payload, const SigningKey& key = TestKey(0)) {
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  return input + "." + Base64UrlEncode(key.Sign(input));
}

std::string HeaderFor(const SigningKey& key) {
  return R"({"alg":"RS256","typ":"JWT","kid":")" + key.kid() + R"("})";
}

std::string ValidPayload() {
  return R"({"iss":"https://aihistory.test/tenant-1/v2.0","aud":"https://graph.microsoft.com",)"
         R"("tid":"tenant-1","exp":1768476600)";  // no closing brace: tests append members
}

std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  return parts[0] + "." + parts[1] + "." + parts[2];
}

std::string Hs256(std::string_view header, std::string_view payload, std::string_view secret) {
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size);
  return input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), size));
}

void ExpectRefused(const Result<Claims>& result, const std::string& message_part) {
  ASSERT_FALSE(result.ok()) << "expected a refusal containing: " << message_part;
  EXPECT_EQ(result.status().code(), Code::kUnauthenticated);
  EXPECT_THAT(result.status().message(), HasSubstr(message_part));
}

// ----- round trip -----

TEST(JwtTest, SignedTokenVerifiesWithItsClaims) {
  const std::string token = SignJwt(TestKey(0), AppClaims());
  Result<Claims> claims = Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->iss, kIssuer);
  EXPECT_EQ(claims->aud, std::vector<std::string>{std::string(kAudience)});
  EXPECT_EQ(claims->tid, "tenant-1");
  EXPECT_EQ(claims->sub, "sp-1");
  EXPECT_EQ(claims->oid, "sp-1");
  EXPECT_EQ(claims->appid, "app-1");
  EXPECT_EQ(claims->roles, std::vector<std::string>{"AiEnterpriseInteraction.Read.All"});
  EXPECT_TRUE(claims->scp.empty());
  EXPECT_FALSE(claims->IsDelegated());
  EXPECT_EQ(claims->iat, kNow);
  EXPECT_EQ(claims->nbf, kNow);
  EXPECT_EQ(claims->exp, kNow + 3600);
  EXPECT_EQ(claims->payload_json, Unwrap(Base64UrlDecode(Split(token)[1])));
}

TEST(JwtTest, WritesTheHeaderAndBothAppIdClaims) {
  const std::vector<std::string> parts = Split(SignJwt(TestKey(1), AppClaims()));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Unwrap(Base64UrlDecode(parts[0])), HeaderFor(TestKey(1)));
  EXPECT_EQ(Unwrap(Base64UrlDecode(parts[1])),
            R"({"iss":"https://aihistory.test/tenant-1/v2.0","aud":"https://graph.microsoft.com",)"
            R"("tid":"tenant-1","sub":"sp-1","oid":"sp-1","appid":"app-1","azp":"app-1",)"
            R"("roles":["AiEnterpriseInteraction.Read.All"],"iat":1768473000,"nbf":1768473000,)"
            R"("exp":1768476600})");
}

TEST(JwtTest, ReadsAzpWhenAppidIsAbsent) {
  Result<Claims> claims = Verify(Forge(HeaderFor(TestKey(0)), ValidPayload() + R"(,"azp":"app-2"})"));
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->appid, "app-2");
}

TEST(JwtTest, DelegatedTokenCarriesScopes) {
  Claims delegated = AppClaims();
  delegated.roles.clear();
  delegated.scp = {"AiEnterpriseInteraction.Read", "User.Read"};
  const std::string token = SignJwt(TestKey(0), delegated);
  EXPECT_THAT(Unwrap(Base64UrlDecode(Split(token)[1])), HasSubstr(R"("scp":"AiEnterpriseInteraction.Read User.Read")"));
  Result<Claims> claims = Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->scp, delegated.scp);
  EXPECT_TRUE(claims->IsDelegated());

  // Extra spaces separate nothing; an array (as some issuers write it) reads the same.
  claims = Verify(Forge(HeaderFor(TestKey(0)), ValidPayload() + R"(,"scp":" a  b "})"));
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->scp, (std::vector<std::string>{"a", "b"}));
  claims = Verify(Forge(HeaderFor(TestKey(0)), ValidPayload() + R"(,"scp":["a","b"]})"));
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->scp, (std::vector<std::string>{"a", "b"}));
}

TEST(JwtTest, StringsSurviveEscaping) {
  Claims claims = AppClaims();
  claims.sub = "quote\" backslash\\ newline\n tab\t bell\x07 é";
  Result<Claims> verified = Verify(SignJwt(TestKey(0), claims));
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->sub, claims.sub);
}

TEST(JwtTest, KeepsUnmodelledClaimsInThePayload) {
  Result<Claims> claims = Verify(Forge(HeaderFor(TestKey(0)), ValidPayload() + R"(,"ver":"2.0","n":[1,2]})"));
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_THAT(claims->payload_json, HasSubstr(R"("ver":"2.0")"));
}

TEST(JwtTest, EitherTrustedKeyVerifies) {
  EXPECT_TRUE(Verify(SignJwt(TestKey(1), AppClaims())).ok());
}

// ----- tampering -----

TEST(JwtTest, AlteredHeaderIsRefused) {
  std::vector<std::string> parts = Split(SignJwt(TestKey(0), AppClaims()));
  parts[0] = Base64UrlEncode(R"({"alg":"RS256","typ":"JWT","kid":")" + TestKey(0).kid() + R"(","x":1})");
  ExpectRefused(Verify(Join(parts)), "the token's signature is invalid");
}

TEST(JwtTest, AlteredPayloadIsRefused) {
  std::vector<std::string> parts = Split(SignJwt(TestKey(0), AppClaims()));
  std::string payload = Unwrap(Base64UrlDecode(parts[1]));
  payload.replace(payload.find("tenant-1\""), 8, "tenant-2");  // another tenant's data
  parts[1] = Base64UrlEncode(payload);
  ExpectRefused(Verify(Join(parts)), "the token's signature is invalid");
}

TEST(JwtTest, AlteredSignatureIsRefused) {
  std::vector<std::string> parts = Split(SignJwt(TestKey(0), AppClaims()));
  std::string signature = Unwrap(Base64UrlDecode(parts[2]));
  signature[100] ^= 0x01;
  parts[2] = Base64UrlEncode(signature);
  ExpectRefused(Verify(Join(parts)), "the token's signature is invalid");
  parts[2] = Base64UrlEncode(signature.substr(0, 255));
  ExpectRefused(Verify(Join(parts)), "the token's signature is invalid");
  parts[2] = "";
  ExpectRefused(Verify(Join(parts)), "the token's signature is invalid");
}

TEST(JwtTest, EveryOneCharacterChangeIsRefused) {
  // Strict base64url (no padding, no stray bits) leaves no second spelling of a valid token.
  const std::string token = SignJwt(TestKey(0), AppClaims());
  ASSERT_TRUE(Verify(token).ok());
  // Flipping the lowest bit of a character's value also reaches the unused bits at the end of each part.
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < token.size(); ++i) {
    std::string altered = token;
    const size_t value = kAlphabet.find(token[i]);
    altered[i] = value == std::string_view::npos ? 'A' : kAlphabet[value ^ 1];
    Result<Claims> result = Verify(altered);
    ASSERT_FALSE(result.ok()) << "changing position " << i << " went unnoticed";
    EXPECT_EQ(result.status().code(), Code::kUnauthenticated);
  }
}

TEST(JwtTest, SignatureByAnUntrustedKeyUnderATrustedKidIsRefused) {
  ExpectRefused(Verify(Forge(HeaderFor(TestKey(0)), ValidPayload() + "}", TestKey(2))),
                "the token's signature is invalid");
}

// ----- algorithms and keys -----

TEST(JwtTest, AlgNoneIsRefused) {
  for (std::string alg : {"none", "None", "NONE"}) {
    const std::string header = R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + TestKey(0).kid() + R"("})";
    const std::string token = Base64UrlEncode(header) + "." + Base64UrlEncode(ValidPayload() + "}") + ".";
    ExpectRefused(Verify(token), "tokens signed with alg '" + alg + "' are not accepted");
  }
}

TEST(JwtTest, Hs256WithThePublicKeyAsSecretIsRefused) {
  // Algorithm confusion: a verifier that lets the header pick the algorithm would check this HMAC
  // with the only "key" it has for the kid, our public key, which anyone can read from the JWKS.
  const VerifyingKey& ours = TestKey(0).verifying_key();
  const std::string header = R"({"alg":"HS256","typ":"JWT","kid":")" + ours.kid() + R"("})";
  for (const std::string& secret : {ours.PublicPem(), ours.ToJwk(), Unwrap(Base64UrlDecode(ours.n()))}) {
    ExpectRefused(Verify(Hs256(header, ValidPayload() + "}", secret)),
                  "tokens signed with alg 'HS256' are not accepted; only RS256 is");
  }
}

TEST(JwtTest, OtherAlgorithmsAreRefused) {
  for (std::string alg : {"RS384", "PS256", "ES256", "rs256", "RS256 "}) {
    const std::string header = R"({"alg":")" + alg + R"(","kid":")" + TestKey(0).kid() + R"("})";
    ExpectRefused(Verify(Forge(header, ValidPayload() + "}")), "are not accepted; only RS256 is");
  }
  ExpectRefused(Verify(Forge(R"({"kid":")" + TestKey(0).kid() + R"("})", ValidPayload() + "}")),
                "the token's header has no alg");
  ExpectRefused(Verify(Forge(R"({"alg":["RS256"],"kid":")" + TestKey(0).kid() + R"("})", ValidPayload() + "}")),
                "the token is malformed: alg is not a string");
}

TEST(JwtTest, MissingKidIsRefused) {
  ExpectRefused(Verify(Forge(R"({"alg":"RS256","typ":"JWT"})", ValidPayload() + "}")),
                "the token's header has no kid");
}

TEST(JwtTest, UnknownKidIsRefused) {
  ExpectRefused(Verify(Forge(R"({"alg":"RS256","kid":"abc"})", ValidPayload() + "}")),
                "the token is signed with an unknown key (kid 'abc')");
  // A key nobody trusts, correctly named by its own kid.
  ExpectRefused(Verify(SignJwt(TestKey(2), AppClaims())), "unknown key (kid '" + TestKey(2).kid() + "')");
}

TEST(JwtTest, KeyEmbeddedInTheHeaderIsIgnored) {
  // RFC 7515 lets a header carry its key (jwk) or point to one (jku, x5u); trusting those would let
  // anyone sign. Only the KeySet decides.
  const SigningKey& attacker = TestKey(2);
  const std::string header = R"({"alg":"RS256","kid":")" + attacker.kid() + R"(","jwk":)" +
                             attacker.verifying_key().ToJwk() + R"(,"jku":"https://evil.test/jwks"})";
  ExpectRefused(Verify(Forge(header, ValidPayload() + "}", attacker)), "unknown key");
}

TEST(JwtTest, CriticalHeaderExtensionsAreRefused) {
  const std::string header = R"({"alg":"RS256","kid":")" + TestKey(0).kid() + R"(","crit":["exp"],"exp":1})";
  ExpectRefused(Verify(Forge(header, ValidPayload() + "}")), "critical extensions (crit)");
}

// ----- lifetime -----

TEST(JwtTest, ExpiredTokenIsRefused) {
  Claims claims = AppClaims();
  claims.exp = kNow;  // "now" must be before exp
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)),
                "the access token has expired (exp 2026-01-15T10:30:00Z); request a new one");
  claims.exp = kNow + 1;
  EXPECT_TRUE(Verify(SignJwt(TestKey(0), claims)).ok());
}

TEST(JwtTest, NotYetValidTokenIsRefused) {
  Claims claims = AppClaims();
  claims.nbf = kNow + 1;
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)), "the access token is not valid yet (nbf 2026-01-15T10:30:01Z)");
  claims.nbf = kNow;
  EXPECT_TRUE(Verify(SignJwt(TestKey(0), claims)).ok());
}

TEST(JwtTest, ClockSkewWidensBothEndsExactly) {
  VerifyOptions options = Options();
  options.clock_skew_seconds = 300;
  Claims claims = AppClaims();
  claims.exp = kNow - 299;
  EXPECT_TRUE(Verify(SignJwt(TestKey(0), claims), options).ok());
  claims.exp = kNow - 300;
  ExpectRefused(Verify(SignJwt(TestKey(0), claims), options), "has expired");

  claims = AppClaims();
  claims.nbf = kNow + 300;
  EXPECT_TRUE(Verify(SignJwt(TestKey(0), claims), options).ok());
  claims.nbf = kNow + 301;
  ExpectRefused(Verify(SignJwt(TestKey(0), claims), options), "not valid yet");
}

TEST(JwtTest, DefaultsToTheSystemClockAndFiveMinutesOfSkew) {
  VerifyOptions options = Options();
  options.now.reset();
  options.clock_skew_seconds = VerifyOptions().clock_skew_seconds;
  EXPECT_EQ(options.clock_skew_seconds, 300);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  Claims claims = AppClaims();
  claims.iat = claims.nbf = now;
  claims.exp = now + 3600;
  EXPECT_TRUE(Verify(SignJwt(TestKey(0), claims), options).ok());
  claims.exp = now - 301;
  ExpectRefused(Verify(SignJwt(TestKey(0), claims), options), "has expired");
}

TEST(JwtTest, TokenWithoutExpiryIsRefused) {
  Claims claims = AppClaims();
  claims.exp = 0;
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)), "the token has no expiry (exp)");
}

TEST(JwtTest, FractionalTimesAreAccepted) {
  Result<Claims> claims = Verify(Forge(HeaderFor(TestKey(0)),
      R"({"iss":"https://aihistory.test/tenant-1/v2.0","aud":"https://graph.microsoft.com","exp":1768476600.75})"));
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->exp, 1768476600);
}

// ----- issuer and audience -----

TEST(JwtTest, WrongIssuerIsRefused) {
  Claims claims = AppClaims();
  claims.iss = "https://evil.test/";
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)),
                "the token's issuer 'https://evil.test/' is not accepted; request a token from "
                "https://aihistory.test/tenant-1/v2.0");
  claims.iss.clear();
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)), "the token has no issuer (iss)");
}

TEST(JwtTest, TenantPlaceholderTiesTheIssuerToTheTokensTenant) {
  VerifyOptions options = Options();
  options.issuers = {"https://login.test/{tenantid}/v2.0"};
  Claims claims = AppClaims();
  claims.iss = "https://login.test/tenant-1/v2.0";
  EXPECT_TRUE(Verify(SignJwt(TestKey(0), claims), options).ok());

  claims.tid = "tenant-2";  // an issuer speaking for another tenant than the one it names
  ExpectRefused(Verify(SignJwt(TestKey(0), claims), options),
                "is not accepted; request a token from https://login.test/tenant-2/v2.0");
  claims.tid.clear();
  ExpectRefused(Verify(SignJwt(TestKey(0), claims), options), "is not accepted");
  claims.tid = "tenant-1";
  claims.iss = "https://login.test/tenant-1/v2.0/extra";
  ExpectRefused(Verify(SignJwt(TestKey(0), claims), options), "is not accepted");
}

TEST(JwtTest, WrongAudienceIsRefused) {
  Claims claims = AppClaims();
  claims.aud = {"api://other"};
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)),
                "the token's audience 'api://other' is not accepted; request a token with "
                "scope=https://graph.microsoft.com/.default");
  claims.aud.clear();
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)), "the token has no audience (aud)");
}

TEST(JwtTest, AudienceArrayNeedsOneAcceptedMember) {
  Claims claims = AppClaims();
  claims.aud = {"api://other", std::string(kAudience)};
  const std::string token = SignJwt(TestKey(0), claims);
  EXPECT_THAT(Unwrap(Base64UrlDecode(Split(token)[1])), HasSubstr(R"("aud":["api://other","https://graph.microsoft.com"])"));
  Result<Claims> verified = Verify(token);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->aud, claims.aud);

  claims.aud = {"api://one", "api://two"};
  ExpectRefused(Verify(SignJwt(TestKey(0), claims)), "audience 'api://one', 'api://two' is not accepted");
}

TEST(JwtTest, OptionsWithoutIssuerOrAudienceAreAConfigurationError) {
  VerifyOptions options = Options();
  options.issuers.clear();
  EXPECT_EQ(Verify(SignJwt(TestKey(0), AppClaims()), options).status().code(), Code::kInternal);
  options = Options();
  options.audiences.clear();
  EXPECT_EQ(Verify(SignJwt(TestKey(0), AppClaims()), options).status().code(), Code::kInternal);
}

// ----- malformed tokens -----

TEST(JwtTest, WrongShapeIsMalformed) {
  const std::string token = SignJwt(TestKey(0), AppClaims());
  for (const std::string& bad : {std::string(), std::string("abc"), std::string("a.b"), token + ".x",
                                 token.substr(0, token.rfind('.')), std::string("..")}) {
    ExpectRefused(Verify(bad), "the token is malformed");
  }
  ExpectRefused(Verify(std::string(70'000, 'A')), "the token is malformed: it is 70000 bytes long");
}

TEST(JwtTest, PaddedOrNonBase64UrlPartsAreMalformed) {
  std::vector<std::string> parts = Split(SignJwt(TestKey(0), AppClaims()));
  std::vector<std::string> padded = parts;
  padded[0] = Base64Encode(Unwrap(Base64UrlDecode(parts[0])));  // standard base64 with '='
  ASSERT_NE(padded[0].find('='), std::string::npos);
  ExpectRefused(Verify(Join(padded)), "the token is malformed: the header is not base64url");
  padded = parts;
  padded[2] += "==";
  ExpectRefused(Verify(Join(padded)), "the token is malformed: the signature is not base64url");
  padded = parts;
  padded[1].insert(4, " ");
  ExpectRefused(Verify(Join(padded)), "the token's signature is invalid");  // checked before the payload
}

TEST(JwtTest, HeaderThatIsNoJsonObjectIsMalformed) {
  ExpectRefused(Verify(Base64UrlEncode("not json") + ".e30.sig"), "the header is not JSON");
  ExpectRefused(Verify(Base64UrlEncode(R"(["RS256"])") + ".e30.sig"), "the header is not a JSON object");
  const std::string twice = R"({"alg":"RS256","alg":"none","kid":")" + TestKey(0).kid() + R"("})";
  ExpectRefused(Verify(Forge(twice, ValidPayload() + "}")), "the header has the member 'alg' twice");
}

TEST(JwtTest, SignedButMalformedPayloadIsRefused) {
  const std::string header = HeaderFor(TestKey(0));
  struct Case { std::string payload, message; };
  for (const Case& c : std::initializer_list<Case>{
           {"not json", "the payload is not JSON"},
           {"[1,2]", "the payload is not a JSON object"},
           {ValidPayload() + R"(,"tid":"tenant-2"})", "the payload has the member 'tid' twice"},
           {ValidPayload() + R"(,"nbf":"soon"})", "claim 'nbf' must be a number of seconds since 1970"},
           {ValidPayload() + R"(,"iat":-1})", "claim 'iat' is out of range"},
           {ValidPayload() + R"(,"nbf":1e300})", "claim 'nbf' is out of range"},
           {ValidPayload() + R"(,"iat":18446744073709551615})", "claim 'iat' is out of range"},
           {ValidPayload() + R"(,"roles":"Admin"})", "claim 'roles' must be an array of strings"},
           {ValidPayload() + R"(,"roles":["a",1]})", "claim 'roles' must be an array of strings"},
           {ValidPayload() + R"(,"oid":7})", "claim 'oid' must be a string"},
           {R"({"aud":1})", "claim 'aud' must be a string or an array of strings"},
       }) {
    ExpectRefused(Verify(Forge(header, c.payload)), c.message);
  }
}

TEST(JwtTest, QuotedValuesAreCutShort) {
  const std::string kid(5000, 'k');
  Result<Claims> result = Verify(Forge(R"({"alg":"RS256","kid":")" + kid + R"("})", ValidPayload() + "}"));
  ASSERT_FALSE(result.ok());
  EXPECT_LT(result.status().message().size(), 300u);
  EXPECT_THAT(result.status().message(), HasSubstr("...'"));
}

// ----- ReadKeyId -----

TEST(JwtTest, ReadKeyIdReadsOnlyTheHeader) {
  EXPECT_EQ(Unwrap(ReadKeyId(SignJwt(TestKey(2), AppClaims()))), TestKey(2).kid());
  EXPECT_EQ(Unwrap(ReadKeyId(Forge(R"({"alg":"RS256","kid":"abc"})", "not even json"))), "abc");
  EXPECT_EQ(ReadKeyId("a.b").status().code(), Code::kUnauthenticated);
  const std::string none = Base64UrlEncode(R"({"alg":"none","kid":"abc"})") + ".e30.";
  EXPECT_EQ(ReadKeyId(none).status().code(), Code::kUnauthenticated);
}

}  // namespace
}  // namespace aih::auth
