#include "notify/validation_token.h"

#include "auth/jwt.h"

namespace aih::notify {

std::string MakeValidationToken(const auth::SigningKey& key, const ValidationTokenClaims& c) {
  auth::Claims claims;
  claims.iss = c.issuer;
  claims.aud = {c.app_id};
  claims.tid = c.tenant_id;
  claims.sub = kChangeTrackingAppId;
  claims.appid = kChangeTrackingAppId;
  claims.iat = c.now;
  claims.nbf = c.now;
  claims.exp = c.now + c.lifetime_seconds;
  return auth::SignJwt(key, claims);
}

}  // namespace aih::notify
