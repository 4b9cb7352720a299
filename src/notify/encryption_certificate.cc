#include "notify/encryption_certificate.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>

#include "base/base64.h"

namespace aih::notify {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;

// Encrypting with a key we have already checked cannot fail on valid input: a failure is a broken
// OpenSSL, and a notification with weak or missing encryption must never leave, so stop.
[[noreturn]] void CryptoFailure(const char* what) {
  std::fprintf(stderr, "aihistory: %s failed: %s\n", what, ERR_error_string(ERR_get_error(), nullptr));
  std::abort();
}

// Thumbprints are shown in upper case, as Windows and Graph show them.
std::string UpperHex(const unsigned char* bytes, size_t n) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string AesCbc(std::string_view plaintext, const unsigned char key[32]) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key, key) != 1) {  // IV = key[0..16)
    CryptoFailure("AES-256-CBC setup");
  }
  std::string out(plaintext.size() + 16, '\0');
  int n = 0, tail = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_EncryptUpdate(ctx.get(), dst, &n, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), dst + n, &tail) != 1) {  // PKCS7 padding is EVP's default
    CryptoFailure("AES-256-CBC encryption");
  }
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

}  // namespace

Result<EncryptionCertificate> EncryptionCertificate::Parse(std::string_view base64_der) {
  auto der = Base64Decode(base64_der);
  if (!der.ok()) {
    return Status::BadRequest("encryptionCertificate is not base64 (" + der.status().message() +
                              "); send the DER certificate in base64, e.g. the PEM body without its BEGIN/END lines "
                              "and line breaks");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der->size())));
  if (!cert || p != reinterpret_cast<const unsigned char*>(der->data()) + der->size()) {
    ERR_clear_error();
    return Status::BadRequest("encryptionCertificate is not a DER X.509 certificate");
  }
  std::shared_ptr<EVP_PKEY> key(X509_get_pubkey(cert.get()), EVP_PKEY_free);
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    ERR_clear_error();
    return Status::BadRequest("encryptionCertificate must hold an RSA public key (2048 to 4096 bits)");
  }
  const int bits = EVP_PKEY_get_bits(key.get());
  if (bits < 2048 || bits > 4096) {
    return Status::BadRequest("encryptionCertificate holds a " + std::to_string(bits) +
                              "-bit RSA key; use a key of 2048 to 4096 bits");
  }
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(der->data()), der->size(), digest);
  return EncryptionCertificate(std::move(key), UpperHex(digest, sizeof digest), bits);
}

EncryptedContent EncryptionCertificate::Encrypt(std::string_view plaintext, const std::string& certificate_id) const {
  unsigned char key[32];
  if (RAND_bytes(key, sizeof key) != 1) CryptoFailure("the system random generator");

  std::string data = AesCbc(plaintext, key);

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
  size_t wrapped_size = 0;
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha1()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha1()) != 1 ||
      EVP_PKEY_encrypt(ctx.get(), nullptr, &wrapped_size, key, sizeof key) != 1) {
    CryptoFailure("RSA-OAEP setup");
  }
  std::string wrapped(wrapped_size, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(wrapped.data()), &wrapped_size, key,
                       sizeof key) != 1) {
    CryptoFailure("RSA-OAEP key wrap");
  }
  wrapped.resize(wrapped_size);

  unsigned char mac[32];
  unsigned int mac_size = 0;
  if (!HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
            &mac_size)) {
    CryptoFailure("HMAC-SHA256");
  }
  OPENSSL_cleanse(key, sizeof key);

  EncryptedContent out;
  out.data = Base64Encode(data);
  out.data_key = Base64Encode(wrapped);
  out.data_signature = Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
  out.encryption_certificate_id = certificate_id;
  out.encryption_certificate_thumbprint = thumbprint_;
  return out;
}

}  // namespace aih::notify
