// EncryptionCertificate: the certificate a rich-notification subscription gives, and the encryption of
// each notification's resource data with it (section 7 of the contract, as Microsoft Graph does it).
//
// The certificate is base64 of a DER X.509 certificate holding an RSA public key of 2048 to 4096
// bits. Encrypt() takes a fresh random 32-byte key per call: data = AES-256-CBC with PKCS7 padding and
// IV = the key's first 16 bytes; dataKey = RSA-OAEP (SHA-1, MGF1 with SHA-1) of the key under the
// certificate's public key; dataSignature = HMAC-SHA256 keyed with the key over the data bytes. The
// thumbprint is the SHA-1 of the DER in upper-case hex, as Graph writes it. Immutable and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY: kept out of this header.

namespace aih::notify {

// The encryptedContent of one notification, every member base64 except the id and thumbprint.
struct EncryptedContent {
  std::string data;
  std::string data_key;
  std::string data_signature;
  std::string encryption_certificate_id;
  std::string encryption_certificate_thumbprint;
};

class EncryptionCertificate {
 public:
  // kBadRequest, saying what is wrong, unless `base64_der` is a certificate with a usable RSA key.
  static Result<EncryptionCertificate> Parse(std::string_view base64_der);

  const std::string& thumbprint() const { return thumbprint_; }
  int bits() const { return bits_; }

  EncryptedContent Encrypt(std::string_view plaintext, const std::string& certificate_id) const;

 private:
  EncryptionCertificate(std::shared_ptr<evp_pkey_st> key, std::string thumbprint, int bits)
      : key_(std::move(key)), thumbprint_(std::move(thumbprint)), bits_(bits) {}

  std::shared_ptr<evp_pkey_st> key_;
  std::string thumbprint_;
  int bits_ = 0;
};

}  // namespace aih::notify
