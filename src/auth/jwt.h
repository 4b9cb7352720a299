// JSON Web Tokens signed with RS256 (RFC 7519; JWS compact serialisation, RFC 7515): the access
// tokens our issuer mints and the bearer tokens requests present.
//
// SignJwt writes base64url(header).base64url(payload).base64url(signature), the header being
// {"alg":"RS256","typ":"JWT","kid":<the key's kid>}. VerifyJwt accepts a token only when every check
// passes, in this order: shape and strict base64url; alg exactly RS256 (never "none" or HS256, the
// algorithm-confusion attacks); a kid found in the trusted KeySet; the signature; then iss, aud, exp
// and nbf. The payload is parsed only after the signature holds. Every refusal is kUnauthenticated,
// with a message that tells the token's holder what to change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/key_set.h"
#include "auth/signing_key.h"
#include "base/status.h"

namespace aih::auth {

// The claims we read and write; names as in Microsoft Entra ID access tokens. Empty strings, empty
// lists and zero times are absent from the token.
//
// Application or delegated: a token with `scp` is delegated (an app acting for the signed-in user
// `oid`, limited to the scopes listed); a token without `scp` is an application token (the app acting
// as itself, client-credentials flow) whose permissions are its `roles`. Delegated tokens may carry
// `roles` too (app roles assigned to the user), so tell the two apart by `scp`, never by `roles`.
struct Claims {
  std::string iss;
  std::vector<std::string> aud;  // a JSON string or array; written as a string when there is one
  std::string tid;               // the tenant: the only one the caller can see
  std::string sub;
  std::string oid;               // the object id of the user (delegated) or service principal (app)
  std::string appid;             // the client app: read from appid, else azp; written as both
  std::vector<std::string> roles;
  std::vector<std::string> scp;  // on the wire one space-separated string
  int64_t iat = 0;               // Unix seconds
  int64_t nbf = 0;
  int64_t exp = 0;
  // The payload JSON exactly as VerifyJwt received it, for claims not modelled above. SignJwt ignores it.
  std::string payload_json;

  bool IsDelegated() const { return !scp.empty(); }
};

struct VerifyOptions {
  // Accepted `iss` values, compared exactly. "{tenantid}" in an entry stands for the token's own `tid`
  // claim: one entry such as "https://login.microsoftonline.com/{tenantid}/v2.0" accepts every tenant
  // of a multi-tenant issuer while still requiring the issuer to name the tenant the token claims.
  std::vector<std::string> issuers;
  // Accepted audiences: the token's `aud` must contain one. The first one is quoted to a caller whose
  // token has none of them ("request a token with scope=<first>/.default").
  std::vector<std::string> audiences;
  // How far the issuer's clock may be ahead of or behind ours.
  int64_t clock_skew_seconds = 300;
  // The time to judge exp and nbf by, in Unix seconds; unset means the system clock.
  std::optional<int64_t> now;
};

// The compact JWS of `claims` signed by `key`.
std::string SignJwt(const SigningKey& key, const Claims& claims);

// The claims of `token` when it is well formed, signed by a key in `trusted` and valid under
// `options`; otherwise kUnauthenticated saying why. Options with no issuer or no audience are a
// configuration error (kInternal): nothing would ever verify.
Result<Claims> VerifyJwt(std::string_view token, const KeySet& trusted, const VerifyOptions& options);

// The kid in `token`'s header, WITHOUT verifying anything. Only for choosing which issuer's KeySet to
// give VerifyJwt when several issuers are trusted; never act on it otherwise.
Result<std::string> ReadKeyId(std::string_view token);

}  // namespace aih::auth
