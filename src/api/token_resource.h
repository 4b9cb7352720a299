// The embedded identity provider's HTTP face (section 10): the token endpoint and discovery.
//
//   POST /{tenantId}/oauth2/v2.0/token                        client credentials → access token
//   GET  /{tenantId}/v2.0/.well-known/openid-configuration    issuer, authorization_endpoint, token_endpoint, ...
//   GET  /{tenantId}/discovery/v2.0/keys                      the JWKS ({tenantId} may be "common")
//   GET|POST /{tenantId}/oauth2/v2.0/authorize                always an OAuth error: no user signs in here
//   POST /{tenantId}/oauth2/v2.0/devicecode                   the same (MSAL's device code flow)
//   GET  /common/discovery/instance                           instance discovery, as Entra answers it
//
// These routes speak OAuth 2.0 and OpenID Connect, not Graph: errors are {"error","error_description",
// "error_codes",...} as Microsoft Entra ID writes them, never the Graph envelope. Client secrets come
// in the form body (client_secret_post) or HTTP Basic (client_secret_basic), as Entra accepts both; or
// the client sends a client assertion signed with its certificate (private_key_jwt, auth/client_assertion.h).
#pragma once

#include "api/service.h"
#include "auth/token_issuer.h"

namespace aih::api {

// `issuer` must outlive the router.
void AddTokenRoutes(http::Router& router, Context& context, auth::TokenIssuer& issuer);

}  // namespace aih::api
