// Test helpers for rich notifications: an RSA certificate made on the spot, and the receiver's side
// of section 7 (unwrap the key, check the signature, decrypt) written independently of the code under
// test, with OpenSSL's own primitives.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "notify/encryption_certificate.h"

struct evp_pkey_st;

namespace aih::testing {

struct TestCertificate {
  std::string der_base64;                // what a subscription's encryptionCertificate carries
  std::string der;                       // the DER bytes
  std::shared_ptr<evp_pkey_st> private_key;
};

// A self-signed X.509 certificate of a fresh RSA key of `bits`, or (ec) of a P-256 key.
TestCertificate MakeCertificate(int bits, bool ec = false);

// Decrypts `content` with the certificate's private key as a receiver does; kBadRequest when the
// key does not unwrap, the signature does not hold, or the padding is wrong.
Result<std::string> DecryptAsReceiver(const TestCertificate& certificate, const notify::EncryptedContent& content);

}  // namespace aih::testing
