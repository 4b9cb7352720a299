// Client assertions: an app proving who it is with a certificate instead of a secret (private_key_jwt,
// RFC 7523 section 2.2 and OpenID Connect Core section 9), as Microsoft's libraries send them
// (MSAL's ConfidentialClientApplication with clientCertificate, Azure.Identity's
// ClientCertificateCredential) and as Microsoft Entra ID accepts them.
//
// The assertion is a compact JWS signed with the private key of a certificate registered to the app
// (`aihistory admin app` / POST /admin/applications/{clientId}/certificates). Its header names the
// certificate by thumbprint, `x5t` (base64url SHA-1 of the DER) or `x5t#S256` (SHA-256); `alg` is
// RS256 or PS256 (MSAL uses PS256 with x5t#S256). Its payload says iss = sub = the client id,
// aud = the token endpoint URL, exp, and usually nbf and jti.
//
// ParseClientAssertion only reads: nothing in it is trusted until VerifyAssertionSignature holds for
// a certificate the directory has for the app. Stateless functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::auth {

// The grant's client_assertion_type for a JWT (RFC 7523 section 2.2).
inline constexpr std::string_view kJwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct ClientAssertion {
  std::string alg;              // "RS256" or "PS256"
  std::string sha1_thumbprint;  // from x5t, lower-case hex; empty when absent
  std::string sha256_thumbprint;  // from x5t#S256, lower-case hex; empty when absent
  std::string iss, sub, jti;
  std::vector<std::string> aud;  // a string or an array of strings in the JWT
  int64_t exp = 0, nbf = 0;      // Unix seconds; 0 when absent
  std::string signing_input;     // "header.payload", what the signature covers
  std::string signature;         // raw bytes
};

// The parts of `jwt`, or kBadRequest saying what is malformed: not three base64url parts, not JSON
// objects, a member twice, an alg other than RS256/PS256 (never "none" or an HMAC), a header with
// `crit`, claims of the wrong type.
Result<ClientAssertion> ParseClientAssertion(std::string_view jwt);

// The certificate among `certificates` that the assertion's x5t or x5t#S256 names, or nullptr.
const store::AppCertificate* FindAssertionCertificate(const ClientAssertion& assertion,
                                                      const std::vector<store::AppCertificate>& certificates);

// Whether the assertion's signature verifies with the public key of `certificate_pem` under its alg.
// kBadRequest when the certificate cannot sign assertions at `now`: not an RSA key of 2048 to
// 16384 bits, or outside its validity period.
Result<bool> VerifyAssertionSignature(const ClientAssertion& assertion, const std::string& certificate_pem,
                                      int64_t now);

}  // namespace aih::auth
