// TokenIssuer: the embedded OAuth 2.0 issuer's client-credentials grant (section 10 of the contract).
//
// Issue checks a token request as Microsoft Entra ID does (tenant, grant type, scope, then the client's
// credential: a client secret against the app's PBKDF2 hashes, in constant time, or a client assertion
// signed with one of the app's certificates, client_assertion.h) and returns an RS256 access token signed
// with the KeyRing's active key: iss IssuerFor(issuer_base, tenant), aud the requested resource, tid,
// appid/azp and oid/sub the app, roles the app's admin-consented roles in that tenant, plus
// AiEnterpriseInteraction.Read.User when it is granted for at least one of the tenant's users (absent
// when none, as Entra does; such a grant also lets an app of another home tenant get tokens there). Refusals are OAuth errors (RFC 6749 section 5.2) with Entra's AADSTS numbers.
// Failed client authentications are throttled (GuessThrottle) per app and remote address together,
// and client ids that name no app per remote address on a budget of their own: a locked-out request
// gets 429 and its secret is not even checked, but guessing never locks out another app, nor the
// same app from another address, so an app holding its right secret is not shut out by others.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/guess_throttle.h"
#include "auth/key_ring.h"
#include "store/directory_store.h"

namespace aih::auth {

// The `iss` of our tokens for `tenant`: "<issuer_base>/<tenant>/v2.0", the shape of Entra's v2.0
// issuers. A trailing '/' of the base is ignored. With tenant "{tenantid}" it is the pattern that
// VerifyOptions::issuers accepts for every tenant.
std::string IssuerFor(std::string_view issuer_base, std::string_view tenant);

struct TokenIssuerOptions {
  // The base of our `iss`: the same on every server of a deployment, and the same string the
  // TokenAuthenticator is given (TokenVerification::own_issuer_base). An absolute http(s) URL.
  std::string issuer_base;
  // The resources a token may be requested for (scope=<resource>/.default); each becomes the token's
  // `aud` as written here. Matched case-insensitively, ignoring a trailing '/'.
  std::vector<std::string> resources;
  // exp - iat. Never above the KeyRing's max_token_lifetime_seconds (its keys retire by that bound).
  int64_t token_lifetime_seconds = 3600;
  GuessThrottleOptions guessing;
  // Unix seconds; unset means the system clock.
  std::function<int64_t()> clock;
};

// The parameters of one token request, as received (the form, or HTTP Basic for the client).
struct ClientCredentialsRequest {
  std::string tenant;  // the {tenantId} path segment
  std::string grant_type, client_id, client_secret, scope;
  std::string remote_address;  // the peer's IP address: part of every throttling key
  // private_key_jwt (client_assertion.h): the assertion and its type, instead of a client secret.
  std::string client_assertion_type, client_assertion;
  // The token endpoint's URL as this client reached it ("<scheme>://<host>/<tenant>/oauth2/v2.0/token"):
  // an accepted `aud` of a client assertion, besides the endpoint under the issuer base.
  std::string token_endpoint;
};

struct AccessToken {
  std::string jwt;
  int64_t expires_in = 0;  // seconds
};

// An OAuth error response: {"error":..., "error_description":"AADSTS<code>: ...", "error_codes":[code]}.
struct OAuthError {
  int http_status = 400;
  std::string error;        // invalid_request, invalid_client, unauthorized_client, unsupported_grant_type, ...
  std::string description;  // for a person: what was wrong and what to do (without the AADSTS prefix)
  int code = 0;             // Entra's AADSTS number, which some clients match on
  int64_t retry_after_seconds = 0;  // 429 and 503
};

class TokenIssuer {
 public:
  // `keys` and `directory` must outlive the issuer. kBadRequest for unusable options.
  static Result<std::unique_ptr<TokenIssuer>> Create(KeyRing& keys, store::DirectoryStore& directory,
                                                     TokenIssuerOptions options);

  std::variant<AccessToken, OAuthError> Issue(const ClientCredentialsRequest& request);

  // The registered tenant `tenant` names, in canonical form, or the OAuth error to answer: 400
  // invalid_request (AADSTS90002) for an unknown one, 503 when the directory is unavailable.
  std::variant<std::string, OAuthError> FindTenant(std::string_view tenant);

  std::string Issuer(std::string_view tenant_id) const { return IssuerFor(options_.issuer_base, tenant_id); }
  // The keys that verify our tokens now: what the JWKS endpoint publishes.
  KeySet PublishedKeys() const { return keys_.TrustedKeys(Now()); }
  const TokenIssuerOptions& options() const { return options_; }
  int64_t Now() const;

 private:
  TokenIssuer(KeyRing& keys, store::DirectoryStore& directory, TokenIssuerOptions options);
  // The app `client_id` once its secret is verified, or the error (and the failure is recorded).
  std::variant<store::Application, OAuthError> AuthenticateClient(const std::string& client_id,
                                                                  std::string_view secret,
                                                                  const std::string& remote_address, int64_t now);
  // The app `request.client_id` once its client assertion is verified, or the error (a failure that
  // could be a forgery is recorded, as a wrong secret is).
  std::variant<store::Application, OAuthError> AuthenticateAssertion(const ClientCredentialsRequest& request,
                                                                     const std::string& tenant_id, int64_t now);

  KeyRing& keys_;
  store::DirectoryStore& directory_;
  const TokenIssuerOptions options_;
  GuessThrottle guesses_;
};

}  // namespace aih::auth
