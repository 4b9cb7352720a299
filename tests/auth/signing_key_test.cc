#include "auth/signing_key.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "base/base64.h"
#include "test_keys.h"
#include "unwrap.h"

namespace aih::auth {
namespace {

using testing::Unwrap;
using testing::TestKey;

// RFC 7517 appendix A.1 / RFC 7638 section 3.1: an RSA key and its published thumbprint.
constexpr std::string_view kRfc7638N =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjB"
    "ZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8"
    "KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_"
    "xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
constexpr std::string_view kRfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

// RFC 7515 appendix A.2: an RS256 signature by a known key, checked against an independent signer.
constexpr std::string_view kRfc7515N =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yR"
    "T-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXB"
    "dQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9ia"
    "GNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
constexpr std::string_view kRfc7515SigningInput =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19y"
    "b290Ijp0cnVlfQ";
constexpr std::string_view kRfc7515Signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJ"
    "dbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eS"
    "N9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AX"
    "LIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// A PEM made by OpenSSL directly, for keys our API rightly cannot produce.
std::string PemOf(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(bio, key, cipher, nullptr, 0, nullptr, const_cast<char*>("passphrase"));
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

TEST(VerifyingKeyTest, ThumbprintMatchesRfc7638) {
  Result<VerifyingKey> key = VerifyingKey::FromJwk("2011-04-29", kRfc7638N, "AQAB");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->Thumbprint(), kRfc7638Thumbprint);
  EXPECT_EQ(key->bits(), 2048);
}

TEST(VerifyingKeyTest, VerifiesRfc7515Signature) {
  Result<VerifyingKey> key = VerifyingKey::FromJwk("rfc7515", kRfc7515N, "AQAB");
  ASSERT_TRUE(key.ok()) << key.status().message();
  const std::string signature = Unwrap(Base64UrlDecode(kRfc7515Signature));
  EXPECT_TRUE(key->Verify(kRfc7515SigningInput, signature));
  std::string altered(kRfc7515SigningInput);
  altered.back() = 'R';
  EXPECT_FALSE(key->Verify(altered, signature));
}

TEST(VerifyingKeyTest, JwkHasRequiredMembers) {
  Result<VerifyingKey> key = VerifyingKey::FromJwk("k\"1", kRfc7638N, "AQAB");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->ToJwk(), R"({"kty":"RSA","use":"sig","alg":"RS256","kid":"k\"1","n":")" +
                              std::string(kRfc7638N) + R"(","e":"AQAB"})");
}

TEST(VerifyingKeyTest, AcceptsLeadingZeroInModulusAndWritesItMinimal) {
  const std::string padded = Base64UrlEncode(std::string(1, '\0') + Unwrap(Base64UrlDecode(kRfc7638N)));
  Result<VerifyingKey> key = VerifyingKey::FromJwk("k", padded, "AAEAAQ");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->n(), kRfc7638N);
  EXPECT_EQ(key->e(), "AQAB");
  EXPECT_EQ(key->Thumbprint(), kRfc7638Thumbprint);
}

TEST(VerifyingKeyTest, RefusesWhatIsNoStrongRsaKey) {
  const std::string n = Unwrap(Base64UrlDecode(kRfc7638N));
  std::string even = n;
  even.back() = static_cast<char>(even.back() & ~1);
  const std::string short_n = n.substr(0, 128);  // 1024 bits
  struct Case { std::string n, e, why; };
  for (const Case& c : std::initializer_list<Case>{
           {std::string(kRfc7638N) + "=", "AQAB", "padding"},
           {std::string(kRfc7638N), "AQ", "exponent 1"},
           {std::string(kRfc7638N), "AQAA", "even exponent"},
           {std::string(kRfc7638N), "", "no exponent"},
           {Base64UrlEncode(even), "AQAB", "even modulus"},
           {Base64UrlEncode(short_n), "AQAB", "1024-bit modulus"},
           {"", "AQAB", "no modulus"},
       }) {
    Result<VerifyingKey> key = VerifyingKey::FromJwk("k", c.n, c.e);
    EXPECT_FALSE(key.ok()) << c.why;
    EXPECT_EQ(key.status().code(), Code::kBadRequest) << c.why;
  }
  EXPECT_NE(VerifyingKey::FromJwk("k", Base64UrlEncode(short_n), "AQAB").status().message().find("1024-bit"),
            std::string::npos);
}

TEST(SigningKeyTest, GeneratedKeyIsNamedByItsThumbprint) {
  const SigningKey& key = TestKey(0);
  EXPECT_EQ(key.verifying_key().bits(), 2048);
  EXPECT_EQ(key.kid(), key.verifying_key().Thumbprint());
  EXPECT_EQ(key.kid().size(), 43u);  // base64url of 32 bytes
  EXPECT_NE(TestKey(0).kid(), TestKey(1).kid());
}

TEST(SigningKeyTest, SignatureVerifiesOnlyWithItsKeyAndMessage) {
  const std::string signature = TestKey(0).Sign("header.payload");
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_TRUE(TestKey(0).verifying_key().Verify("header.payload", signature));
  EXPECT_FALSE(TestKey(0).verifying_key().Verify("header.payloaD", signature));
  EXPECT_FALSE(TestKey(1).verifying_key().Verify("header.payload", signature));
  EXPECT_FALSE(TestKey(0).verifying_key().Verify("header.payload", signature.substr(1)));
  EXPECT_FALSE(TestKey(0).verifying_key().Verify("header.payload", ""));
}

TEST(SigningKeyTest, PemRoundTripKeepsTheKey) {
  const std::string pem = TestKey(0).PrivatePem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n")) << pem.substr(0, 40);
  Result<SigningKey> loaded = SigningKey::FromPrivatePem(pem);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->kid(), TestKey(0).kid());
  EXPECT_EQ(loaded->PrivatePem(), pem);
  EXPECT_TRUE(TestKey(0).verifying_key().Verify("m", loaded->Sign("m")));
}

TEST(SigningKeyTest, PublicPemCarriesNoSecret) {
  const std::string pem = TestKey(0).verifying_key().PublicPem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  EXPECT_EQ(pem.find("PRIVATE"), std::string::npos);
  EXPECT_FALSE(SigningKey::FromPrivatePem(pem).ok());
}

TEST(SigningKeyTest, RefusesPemsThatAreNoUsableRsaPrivateKey) {
  EXPECT_FALSE(SigningKey::FromPrivatePem("").ok());
  EXPECT_FALSE(SigningKey::FromPrivatePem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());

  const std::string plain = TestKey(0).PrivatePem();
  BIO* bio = BIO_new_mem_buf(plain.data(), static_cast<int>(plain.size()));
  EVP_PKEY* rsa = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(rsa, nullptr);
  // Encrypted: refused without prompting for a passphrase (a server has no one to ask).
  Result<SigningKey> encrypted = SigningKey::FromPrivatePem(PemOf(rsa, EVP_aes_256_cbc()));
  EXPECT_FALSE(encrypted.ok());
  EXPECT_EQ(encrypted.status().code(), Code::kBadRequest);
  EVP_PKEY_free(rsa);

  EVP_PKEY* ec = EVP_EC_gen("P-256");
  Result<SigningKey> not_rsa = SigningKey::FromPrivatePem(PemOf(ec));
  EVP_PKEY_free(ec);
  ASSERT_FALSE(not_rsa.ok());
  EXPECT_NE(not_rsa.status().message().find("not an RSA key"), std::string::npos);

  EVP_PKEY* weak = EVP_RSA_gen(1024);
  Result<SigningKey> short_key = SigningKey::FromPrivatePem(PemOf(weak));
  EVP_PKEY_free(weak);
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.status().message().find("1024-bit"), std::string::npos);
}

TEST(SigningKeyTest, GenerateRefusesWeakSizes) {
  EXPECT_EQ(SigningKey::Generate(1024).status().code(), Code::kBadRequest);
  EXPECT_EQ(SigningKey::Generate(0).status().code(), Code::kBadRequest);
}

}  // namespace
}  // namespace aih::auth
