// The embedded identity provider's HTTP face (section 10): the token endpoint and discovery.
//
//   POST /{tenantId}/oauth2/v2.0/token                        client credentials → access token
//   GET  /{tenantId}/v2.0/.well-known/openid-configuration    issuer, token_endpoint, jwks_uri, ...
//   GET  /{tenantId}/discovery/v2.0/keys                      the JWKS ({tenantId} may be "common")
//
// These routes speak OAuth 2.0 and OpenID Connect, not Graph: errors are {"error","error_description",
// "error_codes",...} as Microsoft Entra ID writes them, never the Graph envelope. Client secrets come
// in the form body (client_secret_post) or HTTP Basic (client_secret_basic), as Entra accepts both.
#pragma once

#include "api/service.h"
#include "auth/token_issuer.h"

namespace aih::api {

// `issuer` must outlive the router.
void AddTokenRoutes(http::Router& router, Context& context, auth::TokenIssuer& issuer);

}  // namespace aih::api
