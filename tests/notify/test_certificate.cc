#include "test_certificate.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "base/base64.h"

namespace aih::testing {

TestCertificate MakeCertificate(int bits, bool ec) {
  EVP_PKEY* key = ec ? EVP_EC_gen("P-256") : EVP_RSA_gen(static_cast<unsigned>(bits));
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("receiver"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509_sign(x, key, EVP_sha256());
  unsigned char* der = nullptr;
  int n = i2d_X509(x, &der);
  TestCertificate out;
  out.der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  X509_free(x);
  out.der_base64 = Base64Encode(out.der);
  out.private_key.reset(key, EVP_PKEY_free);
  return out;
}

Result<std::string> DecryptAsReceiver(const TestCertificate& certificate, const notify::EncryptedContent& content) {
  auto wrapped = Base64Decode(content.data_key);
  auto data = Base64Decode(content.data);
  auto signature = Base64Decode(content.data_signature);
  if (!wrapped.ok() || !data.ok() || !signature.ok()) return Status::BadRequest("not base64");

  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(certificate.private_key.get(), nullptr);
  unsigned char key[512];
  size_t key_size = sizeof key;
  bool unwrapped = ctx && EVP_PKEY_decrypt_init(ctx) == 1 &&
                   EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
                   EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha1()) == 1 &&
                   EVP_PKEY_decrypt(ctx, key, &key_size, reinterpret_cast<const unsigned char*>(wrapped->data()),
                                    wrapped->size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!unwrapped || key_size != 32) return Status::BadRequest("the data key does not unwrap to 32 bytes");

  unsigned char mac[32];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key, 32, reinterpret_cast<const unsigned char*>(data->data()), data->size(), mac, &mac_size);
  if (signature->size() != mac_size || CRYPTO_memcmp(mac, signature->data(), mac_size) != 0) {
    return Status::BadRequest("dataSignature does not match");
  }

  EVP_CIPHER_CTX* cipher = EVP_CIPHER_CTX_new();
  std::string plain(data->size() + 16, '\0');
  int n = 0, tail = 0;
  bool ok = EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key, key) == 1 &&
            EVP_DecryptUpdate(cipher, reinterpret_cast<unsigned char*>(plain.data()), &n,
                              reinterpret_cast<const unsigned char*>(data->data()), static_cast<int>(data->size())) == 1 &&
            EVP_DecryptFinal_ex(cipher, reinterpret_cast<unsigned char*>(plain.data()) + n, &tail) == 1;
  EVP_CIPHER_CTX_free(cipher);
  if (!ok) return Status::BadRequest("AES-256-CBC decryption failed (bad padding)");
  plain.resize(static_cast<size_t>(n + tail));
  return plain;
}

}  // namespace aih::testing
