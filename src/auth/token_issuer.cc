#include "auth/token_issuer.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "auth/client_assertion.h"
#include "auth/jwt.h"
#include "auth/principal.h"
#include "auth/secret_hash.h"
#include "base/ascii.h"
#include "base/log.h"
#include "base/refusals.h"
#include "base/utf8.h"
#include "directory/identifiers.h"

namespace aih::auth {
namespace {

constexpr std::string_view kClientCredentials = "client_credentials";
constexpr std::string_view kDefaultScopeSuffix = "/.default";

std::string_view WithoutTrailingSlashes(std::string_view text) {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

std::string Quote(std::string_view text) { return "'" + Printable(text) + "'"; }

OAuthError Error(int http_status, std::string error, int code, std::string description) {
  return OAuthError{http_status, std::move(error), std::move(description), code, 0};
}

OAuthError MissingParameter(std::string_view name) {
  return Error(400, "invalid_request", 900144,
               "The request body must contain the following parameter: '" + std::string(name) + "'.");
}

// The directory could not answer: the client should retry, not change its request. As for every
// other endpoint (http/graph_error.h), a 503 says when to retry, and our own failures (a database
// down names its host) go to the server's log, not to the client.
OAuthError Unavailable(const Status& status) {
  log::Error("token_request_failed").Str("error", status.message());
  if (status.code() == Code::kUnavailable) {
    OAuthError error = Error(503, "temporarily_unavailable", 0,
                             "The directory is temporarily unavailable; retry after the Retry-After delay.");
    error.retry_after_seconds = 1;
    return error;
  }
  return Error(500, "server_error", 0, "The directory failed; the server's log has the details.");
}

// Guessing a known app's secret is penalised for that app from that address only: a guesser can
// neither lock the app out everywhere nor lock out the other apps behind its address (a NAT, a
// proxy). Client ids that name no app are one budget per address, of their own.
std::string AppFromAddressKey(std::string_view client_id, std::string_view address) {
  return "app:" + AsciiLower(client_id) + " from:" + std::string(address);
}
std::string UnknownAppsFromAddressKey(std::string_view address) { return "unknown-apps from:" + std::string(address); }

OAuthError LockedOut(std::string_view client_id, bool known, int64_t seconds) {
  CountRefusal("lockout");
  // An id that names no app is not logged: it may be anything, a secret pasted in the wrong field too.
  log::Warn("token_lockout").Str("client_id", known ? client_id : "(unknown)").Int("retry_after_s", seconds);
  OAuthError error = Error(429, "temporarily_unavailable", 50053,
                           known ? "Too many failed attempts to authenticate application " + Quote(client_id) +
                                       " from this address; its secret is not checked until the lockout ends. Retry "
                                       "after " + std::to_string(seconds) + " seconds with the right client secret."
                                 : "Too many attempts with client ids that name no application from this address; "
                                   "they are not looked at until the lockout ends. Retry after " +
                                       std::to_string(seconds) + " seconds with a registered application's client id.");
  error.retry_after_seconds = seconds;
  return error;
}

}  // namespace

std::string IssuerFor(std::string_view issuer_base, std::string_view tenant) {
  std::string issuer(WithoutTrailingSlashes(issuer_base));
  issuer += '/';
  issuer += tenant;
  issuer += "/v2.0";
  return issuer;
}

TokenIssuer::TokenIssuer(KeyRing& keys, store::DirectoryStore& directory, TokenIssuerOptions options)
    : keys_(keys), directory_(directory), options_(std::move(options)), guesses_(options_.guessing) {}

Result<std::unique_ptr<TokenIssuer>> TokenIssuer::Create(KeyRing& keys, store::DirectoryStore& directory,
                                                         TokenIssuerOptions options) {
  const std::string_view base = WithoutTrailingSlashes(options.issuer_base);
  const size_t scheme_end = base.find("://");
  const std::string_view scheme = base.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end);
  const std::string_view authority = scheme.empty() ? std::string_view() : base.substr(scheme_end + 3);
  if ((scheme != "http" && scheme != "https") || authority.empty() ||
      authority.find_first_of("/?#@ ") != std::string_view::npos) {
    return Status::BadRequest("the token issuer's base '" + options.issuer_base +
                              "' is not a URL like https://history.example.com (scheme, host, optional port)");
  }
  if (options.resources.empty()) {
    return Status::BadRequest("the token issuer needs at least one resource that tokens may be requested for");
  }
  if (options.token_lifetime_seconds < 60 || options.token_lifetime_seconds > 24 * 3600) {
    return Status::BadRequest("the access token lifetime must be 60 seconds to 24 hours");
  }
  return std::unique_ptr<TokenIssuer>(new TokenIssuer(keys, directory, std::move(options)));
}

int64_t TokenIssuer::Now() const { return options_.clock ? options_.clock() : static_cast<int64_t>(std::time(nullptr)); }

std::variant<std::string, OAuthError> TokenIssuer::FindTenant(std::string_view tenant) {
  auto not_found = [&] {
    return Error(400, "invalid_request", 90002,
                 "Tenant " + Quote(tenant) + " not found. Use the tenant id (a GUID) of a tenant registered in this "
                 "aihistory: `aihistory admin tenant list` shows them.");
  };
  Result<std::string> id = directory::CanonicalGuid(tenant, "the tenant");
  if (!id.ok()) return not_found();
  Result<store::Tenant> found = directory_.GetTenant(*id);
  if (found.ok()) return *id;
  if (found.status().code() == Code::kNotFound) return not_found();
  return Unavailable(found.status());
}

std::variant<AccessToken, OAuthError> TokenIssuer::Issue(const ClientCredentialsRequest& request) {
  const int64_t now = Now();
  if (request.grant_type.empty()) return MissingParameter("grant_type");
  if (request.grant_type != kClientCredentials) {
    return Error(400, "unsupported_grant_type", 70003,
                 "The app requested an unsupported grant type " + Quote(request.grant_type) +
                     ". This issuer supports grant_type=client_credentials only.");
  }
  std::variant<std::string, OAuthError> tenant = FindTenant(request.tenant);
  if (auto* error = std::get_if<OAuthError>(&tenant)) return *error;
  const std::string& tenant_id = std::get<std::string>(tenant);
  if (request.client_id.empty()) return MissingParameter("client_id");
  if (request.scope.empty()) return MissingParameter("scope");

  // scope: exactly one "<resource>/.default" (the client-credentials flow asks for a resource's
  // application permissions as a whole, never for single scopes).
  std::string_view scope = request.scope;
  while (!scope.empty() && scope.front() == ' ') scope.remove_prefix(1);
  while (!scope.empty() && scope.back() == ' ') scope.remove_suffix(1);
  if (scope.find(' ') != std::string_view::npos) {
    return Error(400, "invalid_scope", 70011,
                 "The provided value for the input parameter 'scope' is not valid: the client-credentials flow takes "
                 "one scope, <resource>/.default, e.g. scope=https://graph.microsoft.com/.default");
  }
  if (!AsciiLower(scope).ends_with(kDefaultScopeSuffix)) {
    return Error(400, "invalid_scope", 1002012,
                 "The provided value for scope " + Quote(scope) + " is not valid. Client credential flows must have a "
                 "scope value with /.default suffixed to the resource identifier, e.g. "
                 "scope=https://graph.microsoft.com/.default");
  }
  const std::string wanted = AsciiLower(WithoutTrailingSlashes(scope.substr(0, scope.size() - kDefaultScopeSuffix.size())));
  auto resource = std::find_if(options_.resources.begin(), options_.resources.end(), [&](const std::string& r) {
    return AsciiLower(WithoutTrailingSlashes(r)) == wanted;
  });
  if (resource == options_.resources.end()) {
    std::string known;
    for (const std::string& r : options_.resources) known += (known.empty() ? "" : ", ") + r + "/.default";
    return Error(400, "invalid_resource", 500011,
                 "The resource principal named " + Quote(wanted) + " was not found in the tenant named " + tenant_id +
                     ". Request one of: " + known);
  }
  const bool by_assertion = !request.client_assertion.empty() || !request.client_assertion_type.empty();
  if (by_assertion && !request.client_secret.empty()) {
    return Error(400, "invalid_request", 0,
                 "The request authenticates the client twice, with client_secret and with client_assertion; send one.");
  }
  if (!by_assertion && request.client_secret.empty()) {
    return Error(401, "invalid_client", 7000218,
                 "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (by_assertion && request.client_assertion.empty()) return MissingParameter("client_assertion");
  if (by_assertion && request.client_assertion_type != kJwtBearerAssertionType) {
    return Error(400, "invalid_request", 0,
                 request.client_assertion_type.empty()
                     ? "The request body must contain the following parameter: 'client_assertion_type'."
                     : "client_assertion_type " + Quote(request.client_assertion_type) + " is not supported; use " +
                           std::string(kJwtBearerAssertionType) + " (a JWT signed with a registered certificate).");
  }

  std::variant<store::Application, OAuthError> app =
      by_assertion ? AuthenticateAssertion(request, tenant_id, now)
                   : AuthenticateClient(request.client_id, request.client_secret, request.remote_address, now);
  if (auto* error = std::get_if<OAuthError>(&app)) return *error;
  const std::string& client_id = std::get<store::Application>(app).client_id;

  Result<std::vector<std::string>> roles = directory_.ConsentedRoles(tenant_id, client_id);
  if (!roles.ok()) return Unavailable(roles.status());
  // Read.User is granted user by user, not by consent; an app granted it for anyone in the tenant
  // holds the role there (which user is the directory's to say, on every request).
  Result<bool> per_user = directory_.HasAnyUserAccess(tenant_id, client_id);
  if (!per_user.ok()) return Unavailable(per_user.status());
  if (*per_user) {
    roles->push_back(kReadUser);
    std::sort(roles->begin(), roles->end());
  }
  // Entra knows an app in a tenant only through its service principal, which admin consent creates
  // outside the app's home tenant: without consent there, the app does not exist for that tenant.
  if (roles->empty() && std::get<store::Application>(app).home_tenant_id != tenant_id) {
    return Error(400, "unauthorized_client", 700016,
                 "Application with identifier " + Quote(client_id) + " was not found in the directory '" + tenant_id +
                     "'. The application has no admin consent in this tenant: an administrator of the tenant grants "
                     "it (aihistory admin consent grant --tenant " + tenant_id + " --client-id " + client_id +
                     " --role ...), or request the token from the application's home tenant.");
  }

  Claims claims;
  claims.iss = Issuer(tenant_id);
  claims.aud = {*resource};
  claims.tid = tenant_id;
  claims.sub = client_id;
  claims.oid = client_id;
  claims.appid = client_id;
  claims.roles = std::move(*roles);
  claims.iat = now;
  claims.nbf = now;
  claims.exp = now + options_.token_lifetime_seconds;
  return AccessToken{SignJwt(keys_.ActiveKey(now), claims), options_.token_lifetime_seconds};
}

std::variant<store::Application, OAuthError> TokenIssuer::AuthenticateClient(const std::string& client_id,
                                                                             std::string_view secret,
                                                                             const std::string& remote_address,
                                                                             int64_t now) {
  // An id that names no app counts against its address's budget for such ids (not one key per id:
  // counting ids that name nothing would only fill memory); while that budget is spent such ids are
  // refused unseen. A known app is never refused for it.
  auto unknown = [&] {
    const std::string key = UnknownAppsFromAddressKey(remote_address);
    if (int64_t locked = guesses_.RetryAfter(key, now); locked > 0) return LockedOut(client_id, false, locked);
    guesses_.RecordFailure(key, now);
    return Error(400, "unauthorized_client", 700016,
                 "Application with identifier " + Quote(client_id) + " was not found in the directory. Check the "
                 "client_id: it is the application (client) id that registering the app printed.");
  };
  Result<std::string> id = directory::CanonicalGuid(client_id, "client_id");
  if (!id.ok()) return unknown();
  Result<store::Application> app = directory_.GetApplication(*id);
  if (!app.ok()) {
    if (app.status().code() != Code::kNotFound) return Unavailable(app.status());
    return unknown();
  }
  // While this app is locked out from this address its secret is not even hashed.
  const std::string app_key = AppFromAddressKey(*id, remote_address);
  if (int64_t locked = guesses_.RetryAfter(app_key, now); locked > 0) return LockedOut(*id, true, locked);
  Result<std::vector<store::AppSecret>> secrets = directory_.ListSecrets(*id);
  if (!secrets.ok()) return Unavailable(secrets.status());
  bool expired = false;
  Status damaged;
  for (const store::AppSecret& stored : *secrets) {
    Result<bool> match = VerifyClientSecret(secret, stored.secret_hash);
    if (!match.ok()) {
      damaged = match.status();
      continue;
    }
    if (!*match) continue;
    if (stored.expires_at != 0 && stored.expires_at <= now) {
      expired = true;
      continue;
    }
    guesses_.RecordSuccess(app_key);
    return std::move(*app);
  }
  if (expired) {  // the right secret, out of date: no guess, nothing to throttle
    return Error(401, "invalid_client", 7000222,
                 "The provided client secret keys for app " + Quote(*id) + " are expired. An administrator adds a "
                 "new secret (aihistory admin app add-secret --client-id " + *id + ").");
  }
  guesses_.RecordFailure(app_key, now);
  log::Warn("client_authentication_failed").Str("client_id", *id).Str("remote", remote_address)
      .Str("reason", damaged.ok() ? "wrong client secret" : "a stored secret cannot be read");
  if (!damaged.ok()) {
    return Error(500, "server_error", 0,
                 "a stored secret of application " + *id + " cannot be read (" + damaged.message() +
                     "); the directory is damaged: remove the application's secrets and add new ones");
  }
  return Error(401, "invalid_client", 7000215,
               "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
               "value, not the client secret ID, for a secret added to app " + Quote(*id) + ".");
}

std::variant<store::Application, OAuthError> TokenIssuer::AuthenticateAssertion(const ClientCredentialsRequest& request,
                                                                                const std::string& tenant_id,
                                                                                int64_t now) {
  const std::string& client_id = request.client_id;
  // Failures count as wrong secrets do (AuthenticateClient): per app and address for a known app,
  // else on the address's budget for ids that name no app.
  auto record_failure = [&](const std::string* known_client) {
    guesses_.RecordFailure(known_client ? AppFromAddressKey(*known_client, request.remote_address)
                                        : UnknownAppsFromAddressKey(request.remote_address),
                           now);
  };
  Result<ClientAssertion> assertion = ParseClientAssertion(request.client_assertion);
  if (!assertion.ok()) {
    record_failure(nullptr);
    return Error(400, "invalid_request", 50027, assertion.status().message() + ".");
  }
  Result<std::string> id = directory::CanonicalGuid(client_id, "client_id");
  Result<store::Application> app = id.ok() ? directory_.GetApplication(*id) : Result<store::Application>(id.status());
  if (!app.ok()) {
    if (id.ok() && app.status().code() != Code::kNotFound) return Unavailable(app.status());
    const std::string unknown_key = UnknownAppsFromAddressKey(request.remote_address);
    if (int64_t locked = guesses_.RetryAfter(unknown_key, now); locked > 0) return LockedOut(client_id, false, locked);
    record_failure(nullptr);
    return Error(400, "unauthorized_client", 700016,
                 "Application with identifier " + Quote(client_id) + " was not found in the directory. Check the "
                 "client_id: it is the application (client) id that registering the app printed.");
  }
  // While this app is locked out from this address its assertion is not even verified.
  if (int64_t locked = guesses_.RetryAfter(AppFromAddressKey(*id, request.remote_address), now); locked > 0) {
    return LockedOut(*id, true, locked);
  }
  // The assertion speaks for the app it names, as issuer and subject (RFC 7523 section 3).
  auto same_client = [&](const std::string& claim) {
    Result<std::string> named = directory::CanonicalGuid(claim, "iss");
    return named.ok() && *named == *id;
  };
  if (!same_client(assertion->iss) || !same_client(assertion->sub)) {
    record_failure(&*id);
    return Error(401, "invalid_client", 700021,
                 "Client assertion application identifier doesn't match 'client_id' parameter: its iss and sub must "
                 "both be " + *id + ".");
  }
  Result<std::vector<store::AppCertificate>> certificates = directory_.ListCertificates(*id);
  if (!certificates.ok()) return Unavailable(certificates.status());
  if (assertion->sha1_thumbprint.empty() && assertion->sha256_thumbprint.empty()) {
    record_failure(&*id);
    return Error(401, "invalid_client", 700027,
                 "The client assertion's header names no certificate: add x5t (base64url SHA-1 thumbprint) or "
                 "x5t#S256 (SHA-256) of the certificate registered to app " + Quote(*id) + ".");
  }
  const store::AppCertificate* certificate = FindAssertionCertificate(*assertion, *certificates);
  if (certificate == nullptr) {
    record_failure(&*id);
    const std::string thumbprint =
        assertion->sha1_thumbprint.empty() ? assertion->sha256_thumbprint : assertion->sha1_thumbprint;
    return Error(401, "invalid_client", 700027,
                 "The certificate with identifier used to sign the client assertion is not registered on application " +
                     Quote(*id) + ". Thumbprint of key used by client: '" + thumbprint +
                     "'. An administrator registers it (POST /admin/applications/" + *id + "/certificates).");
  }
  Result<bool> verified = VerifyAssertionSignature(*assertion, certificate->certificate_pem, now);
  if (!verified.ok()) {
    return Error(401, "invalid_client", 700027,
                 "The certificate " + certificate->thumbprint + " of app " + Quote(*id) +
                     " cannot authenticate it: " + verified.status().message() + ".");
  }
  if (!*verified) {
    record_failure(&*id);
    return Error(401, "invalid_client", 700027, "Client assertion contains an invalid signature.");
  }
  // Signed by the app: now its claims count. The audience is this token endpoint, as the client
  // reached it or under the issuer base (RFC 7523 section 3).
  const std::string under_issuer =
      std::string(WithoutTrailingSlashes(options_.issuer_base)) + "/" + tenant_id + "/oauth2/v2.0/token";
  auto accepted = [&](const std::string& aud) {
    const std::string wanted = AsciiLower(WithoutTrailingSlashes(aud));
    return wanted == AsciiLower(under_issuer) ||
           (!request.token_endpoint.empty() && wanted == AsciiLower(WithoutTrailingSlashes(request.token_endpoint)));
  };
  if (std::none_of(assertion->aud.begin(), assertion->aud.end(), accepted)) {
    return Error(401, "invalid_client", 700023,
                 "Client assertion audience claim does not match this token endpoint: its aud must be " +
                     (request.token_endpoint.empty() ? under_issuer : request.token_endpoint) + ".");
  }
  // The issuer's usual clock skew, as for access tokens (jwt.h).
  constexpr int64_t kSkew = 300;
  constexpr int64_t kMaxLifetime = 24 * 3600;  // an assertion is a short-lived proof, not a credential
  if (assertion->exp == 0 || now - kSkew >= assertion->exp || (assertion->nbf != 0 && assertion->nbf - kSkew > now) ||
      assertion->exp - now > kMaxLifetime) {
    return Error(401, "invalid_client", 700024,
                 "Client assertion is not within its valid time range: it needs exp (and may have nbf) around now, "
                 "at most 24 hours ahead; check the client's clock.");
  }
  guesses_.RecordSuccess(AppFromAddressKey(*id, request.remote_address));
  return std::move(*app);
}

}  // namespace aih::auth
