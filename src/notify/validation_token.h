// Validation tokens: the JWTs a rich notification collection carries in `validationTokens`, by which
// a receiver checks that the notifications come from this service (section 7).
//
// Each is an RS256 token signed with the issuer's active key (so it verifies against the JWKS our
// OpenID configuration publishes), with `aud` the subscribing application's id, `tid` the tenant,
// `iss` our issuer for that tenant, and `appid`/`azp` the id Microsoft Graph's change tracking uses
// (0bf30f3b-4a52-48df-9a82-234910c4a086), which Microsoft's samples tell receivers to check.
#pragma once

#include <cstdint>
#include <string>

#include "auth/signing_key.h"

namespace aih::notify {

inline constexpr const char* kChangeTrackingAppId = "0bf30f3b-4a52-48df-9a82-234910c4a086";

struct ValidationTokenClaims {
  std::string issuer;  // auth::IssuerFor(issuer_base, tenant)
  std::string tenant_id;
  std::string app_id;  // the audience
  int64_t now = 0;     // unix seconds
  int64_t lifetime_seconds = 3600;
};

std::string MakeValidationToken(const auth::SigningKey& key, const ValidationTokenClaims& claims);

}  // namespace aih::notify
