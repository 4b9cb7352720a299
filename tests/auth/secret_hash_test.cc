#include "auth/secret_hash.h"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/base64.h"
#include "unwrap.h"

namespace aih::auth {
namespace {

using testing::Unwrap;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(SecretHashTest, GeneratedSecretsAre32RandomBytes) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string secret = GenerateClientSecret();
    EXPECT_EQ(secret.size(), 43u);
    Result<std::string> bytes = Base64UrlDecode(secret);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(bytes->size(), 32u);
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(SecretHashTest, HashVerifiesItsSecretOnly) {
  const std::string secret = GenerateClientSecret();
  Result<std::string> hash = HashClientSecret(secret);
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_THAT(*hash, MatchesRegex(R"(pbkdf2-sha256\$20000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43})"));
  EXPECT_EQ(hash->find(secret), std::string::npos);

  EXPECT_TRUE(Unwrap(VerifyClientSecret(secret, *hash)));
  EXPECT_FALSE(Unwrap(VerifyClientSecret(secret + "x", *hash)));
  EXPECT_FALSE(Unwrap(VerifyClientSecret(secret.substr(1), *hash)));
  EXPECT_FALSE(Unwrap(VerifyClientSecret("", *hash)));
}

TEST(SecretHashTest, SaltMakesEveryHashDifferent) {
  Result<std::string> a = HashClientSecret("same secret");
  Result<std::string> b = HashClientSecret("same secret");
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(Unwrap(VerifyClientSecret("same secret", *a)));
  EXPECT_TRUE(Unwrap(VerifyClientSecret("same secret", *b)));
}

TEST(SecretHashTest, IterationCountTravelsWithTheHash) {
  Result<std::string> hash = HashClientSecret("s3cret", 1000);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("pbkdf2-sha256$1000$"));
  EXPECT_TRUE(Unwrap(VerifyClientSecret("s3cret", *hash)));
  // The same salt and secret at another count is another hash: the count is part of what is checked.
  std::string other = *hash;
  other.replace(0, 19, "pbkdf2-sha256$1001$");
  EXPECT_FALSE(Unwrap(VerifyClientSecret("s3cret", other)));
}

TEST(SecretHashTest, MatchesPublishedPbkdf2HmacSha256Vector) {
  // P = "passwordPASSWORDpassword", S = "saltSALTsaltSALTsaltSALTsaltSALTsalt", c = 4096: the first
  // 32 bytes of the widely published PBKDF2-HMAC-SHA256 vector (also what Python's hashlib gives).
  const std::string expected(
      "\x34\x8c\x89\xdb\xcb\xd3\x2b\x2f\x32\xd8\x14\xb8\x11\x6e\x84\xcf"
      "\x2b\x17\x34\x7e\xbc\x18\x00\x18\x1c\x4e\x2a\x1f\xb8\xdd\x53\xe1", 32);  // has a NUL
  const std::string stored = "pbkdf2-sha256$4096$" + Base64UrlEncode("saltSALTsaltSALTsaltSALTsaltSALTsalt") +
                             "$" + Base64UrlEncode(expected);
  EXPECT_TRUE(Unwrap(VerifyClientSecret("passwordPASSWORDpassword", stored)));
  EXPECT_FALSE(Unwrap(VerifyClientSecret("passwordPASSWORDpassworD", stored)));
}

TEST(SecretHashTest, RefusesIterationCountsOutOfRange) {
  EXPECT_EQ(HashClientSecret("s", 999).status().code(), Code::kBadRequest);
  EXPECT_EQ(HashClientSecret("s", 10'000'001).status().code(), Code::kBadRequest);
}

TEST(SecretHashTest, RefusesDamagedStoredHashes) {
  const std::string good = Unwrap(HashClientSecret("s3cret", 1000));
  const std::string salt = good.substr(19, 22);
  const std::string hash = good.substr(42);
  for (const std::string& bad : {
           std::string(),
           std::string("s3cret"),                                   // a plain-text secret stored by mistake
           "pbkdf2-sha1$1000$" + salt + "$" + hash,                 // another scheme
           "pbkdf2-sha256$1000$" + salt,                            // a field missing
           "pbkdf2-sha256$1000$" + salt + "$" + hash + "$",         // a field too many
           "pbkdf2-sha256$$" + salt + "$" + hash,                   // no count
           "pbkdf2-sha256$1e3$" + salt + "$" + hash,                // not decimal
           "pbkdf2-sha256$-1000$" + salt + "$" + hash,              // negative
           "pbkdf2-sha256$999$" + salt + "$" + hash,                // below the minimum
           "pbkdf2-sha256$99999999999$" + salt + "$" + hash,        // overflow
           "pbkdf2-sha256$1000$" + salt + "=$" + hash,              // padded salt
           "pbkdf2-sha256$1000$" + salt.substr(0, 20) + "$" + hash, // salt under 16 bytes
           "pbkdf2-sha256$1000$" + salt + "$" + hash.substr(0, 42), // hash not 32 bytes
       }) {
    Result<bool> verified = VerifyClientSecret("s3cret", bad);
    ASSERT_FALSE(verified.ok()) << bad;
    EXPECT_EQ(verified.status().code(), Code::kInternal) << bad;
    EXPECT_THAT(verified.status().message(), HasSubstr("set a new client secret for this app")) << bad;
  }
}

}  // namespace
}  // namespace aih::auth
