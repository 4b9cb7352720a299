#include "auth/key_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/jwt.h"
#include "test_keys.h"

namespace aih::auth {
namespace {

using ::testing::HasSubstr;
using testing::TestKey;

std::string RsaJwk(const SigningKey& key, std::string_view extra = "") {
  const VerifyingKey& v = key.verifying_key();
  return R"({"kty":"RSA","kid":")" + v.kid() + R"(","n":")" + v.n() + R"(","e":")" + v.e() + "\"" +
         std::string(extra) + "}";
}

TEST(KeySetTest, FindsKeysByKid) {
  KeySet keys;
  ASSERT_TRUE(keys.Add(TestKey(0).verifying_key()).ok());
  ASSERT_TRUE(keys.Add(TestKey(1).verifying_key()).ok());
  ASSERT_NE(keys.Find(TestKey(1).kid()), nullptr);
  EXPECT_EQ(keys.Find(TestKey(1).kid())->n(), TestKey(1).verifying_key().n());
  EXPECT_EQ(keys.Find(TestKey(2).kid()), nullptr);
  EXPECT_EQ(keys.Find(""), nullptr);
}

TEST(KeySetTest, AddingTheSameKeyTwiceIsANoOpButAnotherKeyUnderItsKidIsRefused) {
  KeySet keys;
  ASSERT_TRUE(keys.Add(TestKey(0).verifying_key()).ok());
  EXPECT_TRUE(keys.Add(TestKey(0).verifying_key()).ok());
  EXPECT_EQ(keys.size(), 1u);
  const VerifyingKey& other = TestKey(1).verifying_key();
  Result<VerifyingKey> impostor = VerifyingKey::FromJwk(TestKey(0).kid(), other.n(), other.e());
  ASSERT_TRUE(impostor.ok());
  EXPECT_EQ(keys.Add(*impostor).code(), Code::kConflict);
  EXPECT_EQ(keys.Find(TestKey(0).kid())->n(), TestKey(0).verifying_key().n());
}

TEST(KeySetTest, PublishedJwksVerifiesOurTokens) {
  KeySet published;
  ASSERT_TRUE(published.Add(TestKey(0).verifying_key()).ok());
  ASSERT_TRUE(published.Add(TestKey(1).verifying_key()).ok());
  const std::string jwks = published.ToJwks();
  EXPECT_EQ(jwks, R"({"keys":[)" + TestKey(0).verifying_key().ToJwk() + "," +
                      TestKey(1).verifying_key().ToJwk() + "]}");

  Result<KeySet> parsed = KeySet::FromJwks(jwks);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->ToJwks(), jwks);

  Claims claims;
  claims.iss = "https://issuer.test";
  claims.aud = {"api://aihistory"};
  claims.exp = 2'000'000'000;
  VerifyOptions options;
  options.issuers = {claims.iss};
  options.audiences = claims.aud;
  options.now = 1'900'000'000;
  EXPECT_TRUE(VerifyJwt(SignJwt(TestKey(1), claims), *parsed, options).ok());
  EXPECT_FALSE(VerifyJwt(SignJwt(TestKey(2), claims), *parsed, options).ok());
}

TEST(KeySetTest, ReadsAnEntraStyleJwksAndSkipsWhatIsNotAnRs256SigningKey) {
  // Entra publishes x5t, x5c and issuer beside n and e, and no alg.
  const std::string jwks = R"({"keys":[)" +
      RsaJwk(TestKey(0), R"(,"use":"sig","x5t":"abc","x5c":["MIIC"],"issuer":"https://login.test/{tenantid}/v2.0")") + "," +
      R"({"kty":"EC","use":"sig","kid":"ec-1","crv":"P-256","x":"AA","y":"AA"},)" +
      RsaJwk(TestKey(1), R"(,"use":"enc")") + "," +
      RsaJwk(TestKey(2), R"(,"alg":"RS512")") + "," +
      R"({"kty":"oct","k":"c2VjcmV0"},)" +
      R"({"kty":"RSA","use":"sig","n":"AQAB","e":"AQAB"}]})";  // no kid: a token could never name it
  Result<KeySet> keys = KeySet::FromJwks(jwks);
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  EXPECT_EQ(keys->size(), 1u);
  EXPECT_NE(keys->Find(TestKey(0).kid()), nullptr);
}

TEST(KeySetTest, RefusesMalformedDocuments) {
  struct Case { std::string jwks, message; };
  for (const Case& c : std::initializer_list<Case>{
           {"", "not JSON"},
           {"{", "not JSON"},
           {"[]", R"(expected an object with a "keys" array)"},
           {R"({"keys":{}})", R"(expected an object with a "keys" array)"},
           {R"({"keys":[1]})", "key 0 is not an object"},
           {R"({"keys":[{"kid":"a"}]})", R"(key 0 has no "kty")"},
           {R"({"keys":[{"kty":"RSA","kid":"a","e":"AQAB"}]})", R"(RSA key 'a' has no "n" or no "e")"},
           {R"({"keys":[{"kty":"RSA","kid":"a","n":5,"e":"AQAB"}]})", R"(key 0: "n" is not a string)"},
           {R"({"keys":[{"kty":"RSA","kid":"a","n":"A=","e":"AQAB"}]})", "invalid base64url character"},
           {R"({"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB"}]})", "17-bit RSA key"},
           {R"({"keys":[{"kty":1}]})", R"(key 0: "kty" is not a string)"},
       }) {
    Result<KeySet> keys = KeySet::FromJwks(c.jwks);
    ASSERT_FALSE(keys.ok()) << c.jwks;
    EXPECT_EQ(keys.status().code(), Code::kBadRequest);
    EXPECT_THAT(keys.status().message(), HasSubstr(c.message)) << c.jwks;
  }
}

TEST(KeySetTest, RefusesTwoKeysUnderOneKid) {
  const VerifyingKey& other = TestKey(1).verifying_key();
  const std::string jwks = R"({"keys":[)" + RsaJwk(TestKey(0)) + R"(,{"kty":"RSA","kid":")" + TestKey(0).kid() +
                           R"(","n":")" + other.n() + R"(","e":"AQAB"}]})";
  Result<KeySet> keys = KeySet::FromJwks(jwks);
  ASSERT_FALSE(keys.ok());
  EXPECT_THAT(keys.status().message(), HasSubstr("two different keys have the kid"));
}

TEST(KeySetTest, RefusesADocumentWithNoUsableKey) {
  Result<KeySet> keys = KeySet::FromJwks(R"({"keys":[{"kty":"EC","kid":"e"}]})");
  ASSERT_FALSE(keys.ok());
  EXPECT_THAT(keys.status().message(), HasSubstr("has no key usable for RS256"));
  EXPECT_FALSE(KeySet::FromJwks(R"({"keys":[]})").ok());
}

}  // namespace
}  // namespace aih::auth
