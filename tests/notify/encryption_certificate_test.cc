// The crypto of rich notifications: what the service encrypts, a receiver decrypts with nothing but
// the certificate's private key and the rules of section 7.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include "base/base64.h"
#include "notify/encryption_certificate.h"
#include "test_certificate.h"

namespace aih::notify {
namespace {

using testing::DecryptAsReceiver;
using testing::MakeCertificate;

std::string UpperHexSha1(const std::string& bytes) {
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
  char out[41];
  for (int i = 0; i < 20; ++i) snprintf(out + 2 * i, 3, "%02X", d[i]);
  return out;
}

TEST(EncryptionCertificate, EncryptsWhatTheReceiverDecrypts) {
  auto cert = MakeCertificate(2048);
  auto parsed = EncryptionCertificate::Parse(cert.der_base64);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->bits(), 2048);
  const std::string json = R"({"id":"1736935800000","body":{"contentType":"text","content":"héllo \"world\""}})";
  EncryptedContent e = parsed->Encrypt(json, "my-cert-1");
  EXPECT_EQ(e.encryption_certificate_id, "my-cert-1");
  EXPECT_EQ(e.encryption_certificate_thumbprint, UpperHexSha1(cert.der));
  auto plain = DecryptAsReceiver(cert, e);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(*plain, json);
}

TEST(EncryptionCertificate, EachNotificationHasItsOwnKey) {
  auto cert = MakeCertificate(2048);
  auto parsed = EncryptionCertificate::Parse(cert.der_base64);
  ASSERT_TRUE(parsed.ok());
  EncryptedContent a = parsed->Encrypt("same text", "c");
  EncryptedContent b = parsed->Encrypt("same text", "c");
  EXPECT_NE(a.data, b.data);  // a different key, hence a different IV and ciphertext
  EXPECT_NE(a.data_key, b.data_key);
  EXPECT_EQ(*DecryptAsReceiver(cert, a), "same text");
  EXPECT_EQ(*DecryptAsReceiver(cert, b), "same text");
}

TEST(EncryptionCertificate, PaddingCoversEveryLength) {
  auto cert = MakeCertificate(3072);
  auto parsed = EncryptionCertificate::Parse(cert.der_base64);
  ASSERT_TRUE(parsed.ok());
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 32u, 1000u}) {
    std::string text(n, 'x');
    EncryptedContent e = parsed->Encrypt(text, "c");
    auto data = Base64Decode(e.data);
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(data->size(), (n / 16 + 1) * 16) << n;  // PKCS7 always adds 1..16 bytes
    EXPECT_EQ(*DecryptAsReceiver(cert, e), text);
  }
}

TEST(EncryptionCertificate, TamperedDataFailsTheSignature) {
  auto cert = MakeCertificate(2048);
  auto parsed = EncryptionCertificate::Parse(cert.der_base64);
  ASSERT_TRUE(parsed.ok());
  EncryptedContent e = parsed->Encrypt("the interaction", "c");
  auto data = *Base64Decode(e.data);
  data[0] ^= 1;
  e.data = Base64Encode(data);
  auto plain = DecryptAsReceiver(cert, e);
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("dataSignature"), std::string::npos);
}

TEST(EncryptionCertificate, RefusesWhatCannotEncrypt) {
  auto small = EncryptionCertificate::Parse(MakeCertificate(1024).der_base64);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("1024-bit"), std::string::npos);
  auto ec = EncryptionCertificate::Parse(MakeCertificate(0, /*ec=*/true).der_base64);
  ASSERT_FALSE(ec.ok());
  EXPECT_NE(ec.status().message().find("RSA"), std::string::npos);
  EXPECT_FALSE(EncryptionCertificate::Parse("not base64!").ok());
  EXPECT_FALSE(EncryptionCertificate::Parse(Base64Encode("not a certificate")).ok());
  auto cert = MakeCertificate(2048);
  EXPECT_FALSE(EncryptionCertificate::Parse(Base64Encode(cert.der + "x")).ok());  // trailing bytes
  EXPECT_FALSE(EncryptionCertificate::Parse(Base64Encode(cert.der.substr(0, 100))).ok());
}

}  // namespace
}  // namespace aih::notify
