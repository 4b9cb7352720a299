// SigningKey and VerifyingKey: the RSA keys behind RS256 tokens (RFC 7518 section 3.3).
//
// A SigningKey is one of our RSA key pairs: generated here (2048 bits by default), persisted as PKCS#8
// PEM through a KeyRepository, and named by its kid, the RFC 7638 thumbprint of its public half, which
// every server derives alike. A VerifyingKey is a public key only: ours, or an external issuer's
// (Entra ID, Keycloak) built from the n and e of its JWKS. RSA keys under 2048 bits are refused
// wherever they come from. Keys are immutable and cheap to copy (copies share one OpenSSL key), so
// threads may share them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY: kept out of this header.

namespace aih::auth {

// The RSA key sizes accepted anywhere (our signing keys, keys of a trusted JWKS, the certificates that
// sign client assertions): below 2048 bits RS256 is not safe (NIST SP 800-131A); above 16384 a key
// is a denial of service, not a key.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 16384;
// OK for a size in that range; otherwise kBadRequest: "<what> <bits>-bit RSA key; only keys of 2048
// to 16384 bits are accepted" (`what`: "key 'k1' is a", "cannot generate a", ...).
Status CheckRsaBits(int bits, const std::string& what);

class VerifyingKey {
 public:
  // The RSA public key with JWK members "n" and "e" (base64url big-endian integers), published under
  // `kid`. Refuses (kBadRequest) invalid base64url, a modulus outside 2048..16384 bits, and numbers
  // that are no RSA public key.
  static Result<VerifyingKey> FromJwk(std::string kid, std::string_view n, std::string_view e);

  const std::string& kid() const { return kid_; }
  const std::string& n() const { return n_; }  // base64url, minimal length
  const std::string& e() const { return e_; }
  int bits() const;

  // {"kty":"RSA","use":"sig","alg":"RS256","kid":...,"n":...,"e":...}
  std::string ToJwk() const;
  // RFC 7638 thumbprint: base64url(SHA-256({"e":...,"kty":"RSA","n":...})).
  std::string Thumbprint() const;
  // "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo), for tools that want PEM rather than a JWK.
  std::string PublicPem() const;

  // True when `signature` is an RSASSA-PKCS1-v1_5 SHA-256 signature of `message` by this key.
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  friend class SigningKey;
  VerifyingKey(std::string kid, std::shared_ptr<evp_pkey_st> key, std::string n, std::string e);
  static Result<VerifyingKey> FromComponents(std::string kid, std::string n_bytes, std::string e_bytes);

  std::string kid_;
  std::shared_ptr<evp_pkey_st> key_;  // public components only
  std::string n_, e_;
};

class SigningKey {
 public:
  // A new random key pair. `bits` is 2048..16384; generation takes ~0.1 s at 2048 bits.
  static Result<SigningKey> Generate(int bits = 2048);
  // Reads an unencrypted RSA private key in PEM (PKCS#8 "PRIVATE KEY", or PKCS#1 "RSA PRIVATE KEY").
  static Result<SigningKey> FromPrivatePem(std::string_view pem);

  const std::string& kid() const { return public_.kid(); }
  const VerifyingKey& verifying_key() const { return public_; }

  // PKCS#8 PEM, unencrypted: a secret, to be stored only where the servers alone can read it.
  std::string PrivatePem() const;

  // The RS256 signature (RSASSA-PKCS1-v1_5 with SHA-256) of `message`.
  std::string Sign(std::string_view message) const;

 private:
  SigningKey(std::shared_ptr<evp_pkey_st> key, VerifyingKey public_key);
  static Result<SigningKey> FromKey(std::shared_ptr<evp_pkey_st> key);

  std::shared_ptr<evp_pkey_st> key_;
  VerifyingKey public_;
};

}  // namespace aih::auth
