#include "api/token_resource.h"

#include <map>

#include "api/request_context.h"
#include "base/base64.h"
#include "base/utc_time.h"
#include "model/interaction_writer.h"
#include "odata/percent_encoding.h"

namespace aih::api {
namespace {

constexpr const char* kFormType = "application/x-www-form-urlencoded";

http::Response Json(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = std::move(body);
  return response;
}

// The OAuth error response (RFC 6749 section 5.2) with the members Entra adds.
http::Response OAuthFailure(const http::Request& request, const auth::OAuthError& error) {
  const std::string timestamp = FormatUtcNow("%Y-%m-%d %H:%M:%SZ");  // as Entra writes it in OAuth errors
  const std::string& correlation = request.client_request_id.empty() ? request.request_id : request.client_request_id;
  std::string description = error.code ? "AADSTS" + std::to_string(error.code) + ": " : "";
  description += error.description + " Trace ID: " + request.request_id + " Correlation ID: " + correlation +
                 " Timestamp: " + timestamp;
  std::string body = "{\"error\":";
  model::AppendJsonString(body, error.error);
  body += ",\"error_description\":";
  model::AppendJsonString(body, description);
  if (error.code) body += ",\"error_codes\":[" + std::to_string(error.code) + "]";
  body += ",\"timestamp\":";
  model::AppendJsonString(body, timestamp);
  body += ",\"trace_id\":";
  model::AppendJsonString(body, request.request_id);
  body += ",\"correlation_id\":";
  model::AppendJsonString(body, correlation);
  body += '}';
  http::Response response = Json(error.http_status, std::move(body));
  response.SetHeader("Cache-Control", "no-store");
  if (error.retry_after_seconds > 0) response.SetHeader("Retry-After", std::to_string(error.retry_after_seconds));
  return response;
}

auth::OAuthError InvalidRequest(std::string description) {
  return auth::OAuthError{400, "invalid_request", std::move(description), 900144, 0};
}

// The parameters of an application/x-www-form-urlencoded body. Each may appear once (RFC 6749
// section 3.2): a repeated one is ambiguous, so it is refused rather than guessed.
std::variant<std::map<std::string, std::string>, auth::OAuthError> ParseForm(std::string_view body) {
  std::map<std::string, std::string> form;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body.remove_prefix(amp == std::string_view::npos ? body.size() : amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    Result<std::string> name = odata::PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true);
    Result<std::string> value = odata::PercentDecode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), /*plus_is_space=*/true);
    if (!name.ok() || !value.ok()) {
      return InvalidRequest("The request body is not valid application/x-www-form-urlencoded: " +
                            (name.ok() ? value : name).status().message());
    }
    if (!form.emplace(std::move(*name), std::move(*value)).second) {
      return InvalidRequest("The request body has the parameter '" + std::string(pair.substr(0, eq).substr(0, 40)) +
                            "' more than once; send each parameter once.");
    }
  }
  return form;
}

// client_secret_basic (RFC 6749 section 2.3.1): "Basic base64(urlencode(id):urlencode(secret))".
// Returns false when the request does not use it.
std::variant<bool, auth::OAuthError> ReadBasicCredentials(const http::Request& request, std::string* client_id,
                                                          std::string* client_secret) {
  std::string_view header = request.Header("authorization");
  if (header.size() < 6 || !(header.substr(0, 6) == "Basic " || header.substr(0, 6) == "basic ")) return false;
  header.remove_prefix(6);
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  auto invalid = [] {
    return auth::OAuthError{401, "invalid_client",
                            "The Authorization header is not valid client_secret_basic: send Basic "
                            "base64(client_id \":\" client_secret), or the credentials in the form body instead.",
                            0, 0};
  };
  Result<std::string> decoded = Base64Decode(header);
  if (!decoded.ok()) return invalid();
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return invalid();
  Result<std::string> id = odata::PercentDecode(std::string_view(*decoded).substr(0, colon), true);
  Result<std::string> secret = odata::PercentDecode(std::string_view(*decoded).substr(colon + 1), true);
  if (!id.ok() || !secret.ok()) return invalid();
  *client_id = std::move(*id);
  *client_secret = std::move(*secret);
  return true;
}

bool IsFormContentType(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == kFormType;
}

http::Response Token(Context& context, auth::TokenIssuer& issuer, const http::Request& request,
                     const std::string& tenant) {
  if (!IsFormContentType(request.Header("content-type"))) {
    return OAuthFailure(request, InvalidRequest("The token request must be a POST with Content-Type " +
                                                std::string(kFormType) + " and the parameters in its body "
                                                "(grant_type, client_id, client_secret, scope)."));
  }
  auto form = ParseForm(request.body);
  if (auto* error = std::get_if<auth::OAuthError>(&form)) return OAuthFailure(request, *error);
  auto& params = std::get<std::map<std::string, std::string>>(form);
  auto param = [&](const char* name) {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  auth::ClientCredentialsRequest token_request;
  token_request.tenant = tenant;
  token_request.grant_type = param("grant_type");
  token_request.client_id = param("client_id");
  token_request.client_secret = param("client_secret");
  token_request.scope = param("scope");
  token_request.client_assertion_type = param("client_assertion_type");
  token_request.client_assertion = param("client_assertion");
  token_request.remote_address = request.remote_address;
  if (auto base = BaseUrl(context, request); base.ok()) {
    token_request.token_endpoint = *base + "/" + tenant + "/oauth2/v2.0/token";
  }

  std::string basic_id, basic_secret;
  auto basic = ReadBasicCredentials(request, &basic_id, &basic_secret);
  if (auto* error = std::get_if<auth::OAuthError>(&basic)) {
    http::Response response = OAuthFailure(request, *error);
    response.SetHeader("WWW-Authenticate", "Basic realm=\"aihistory\"");
    return response;
  }
  const bool used_basic = std::get<bool>(basic);
  if (used_basic) {
    if (!token_request.client_secret.empty()) {
      return OAuthFailure(request, InvalidRequest("The client authenticated twice, with HTTP Basic and with "
                                                  "client_secret in the body; use one method only."));
    }
    if (!token_request.client_id.empty() && token_request.client_id != basic_id) {
      return OAuthFailure(request, InvalidRequest("The client_id of the body differs from the one in the "
                                                  "Authorization header."));
    }
    token_request.client_id = std::move(basic_id);
    token_request.client_secret = std::move(basic_secret);
  }

  auto issued = issuer.Issue(token_request);
  if (auto* error = std::get_if<auth::OAuthError>(&issued)) {
    http::Response response = OAuthFailure(request, *error);
    // RFC 6749 section 5.2: a client that authenticated with an Authorization header gets the challenge back.
    if (used_basic && error->http_status == 401) response.SetHeader("WWW-Authenticate", "Basic realm=\"aihistory\"");
    return response;
  }
  const auth::AccessToken& token = std::get<auth::AccessToken>(issued);
  const std::string lifetime = std::to_string(token.expires_in);
  std::string body = "{\"token_type\":\"Bearer\",\"expires_in\":" + lifetime + ",\"ext_expires_in\":" + lifetime +
                     ",\"access_token\":";
  model::AppendJsonString(body, token.jwt);
  body += '}';
  http::Response response = Json(200, std::move(body));
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  return response;
}

// The tenant of a discovery path: a registered tenant's id, or "common" (every tenant).
std::variant<std::string, auth::OAuthError> DiscoveryTenant(auth::TokenIssuer& issuer, const std::string& tenant) {
  std::string lower = tenant;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "common") return lower;
  auto found = issuer.FindTenant(tenant);
  if (auto* error = std::get_if<auth::OAuthError>(&found)) {
    if (error->code == 90002) error->error = "invalid_tenant";  // Entra's word in discovery
  }
  return found;
}

void AppendStrings(std::string& body, const std::vector<std::string>& items) {
  body += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) body += ',';
    model::AppendJsonString(body, items[i]);
  }
  body += ']';
}

// The OpenID Provider Metadata (OpenID Connect Discovery 1.0, section 3) of one tenant, or of
// "common": every member the specification requires, and those Microsoft's libraries read (MSAL
// refuses a document without authorization_endpoint, and checks that the issuer's scheme, host and
// port are the authority's: serve.cc chooses the issuer base accordingly). This issuer grants
// client credentials only, so no response type is offered, and the authorization endpoint answers
// every request with an OAuth error saying so.
http::Response OpenIdConfiguration(Context& context, auth::TokenIssuer& issuer, const http::Request& request,
                                   const std::string& tenant_ref) {
  auto tenant = DiscoveryTenant(issuer, tenant_ref);
  if (auto* error = std::get_if<auth::OAuthError>(&tenant)) return OAuthFailure(request, *error);
  const std::string& tenant_id = std::get<std::string>(tenant);
  auto base = BaseUrl(context, request);
  if (!base.ok()) return OAuthFailure(request, InvalidRequest(base.status().message()));
  // The endpoints are where this client reached us; the issuer is the stable name our tokens carry.
  const std::string endpoints = *base + "/" + tenant_id;
  std::string body = "{\"issuer\":";
  model::AppendJsonString(body, issuer.Issuer(tenant_id == "common" ? "{tenantid}" : tenant_id));
  body += ",\"authorization_endpoint\":";
  model::AppendJsonString(body, endpoints + "/oauth2/v2.0/authorize");
  body += ",\"token_endpoint\":";
  model::AppendJsonString(body, endpoints + "/oauth2/v2.0/token");
  body += ",\"jwks_uri\":";
  model::AppendJsonString(body, endpoints + "/discovery/v2.0/keys");
  body += ",\"response_types_supported\":[]";
  body += ",\"subject_types_supported\":[\"pairwise\"]";
  body += ",\"id_token_signing_alg_values_supported\":[\"RS256\"]";
  body += ",\"token_endpoint_auth_methods_supported\":[\"client_secret_post\",\"client_secret_basic\",\"private_key_jwt\"]";
  body += ",\"token_endpoint_auth_signing_alg_values_supported\":[\"RS256\",\"PS256\"]";
  body += ",\"grant_types_supported\":[\"client_credentials\"]";
  body += ",\"scopes_supported\":";
  std::vector<std::string> scopes;
  for (const std::string& resource : issuer.options().resources) scopes.push_back(resource + "/.default");
  AppendStrings(body, scopes);
  body += ",\"claims_supported\":[\"iss\",\"aud\",\"tid\",\"appid\",\"azp\",\"oid\",\"sub\",\"roles\",\"scp\","
          "\"iat\",\"nbf\",\"exp\"]";
  body += ",\"request_uri_parameter_supported\":false";
  if (tenant_id != "common") {
    body += ",\"tenant_id\":";  // not in Entra's document, but handy to check which tenant answered
    model::AppendJsonString(body, tenant_id);
  }
  body += '}';
  return Json(200, std::move(body));
}

constexpr const char* kNoUserSignIn =
    "This issuer signs no users in: it grants client credentials only (POST /{tenant}/oauth2/v2.0/token with "
    "grant_type=client_credentials and a client secret or a certificate's client assertion). Get delegated "
    "tokens from an external issuer that aihistory trusts (serve --trust-issuer).";

// The authorization endpoint that discovery names. Nothing here signs users in, so every request is
// refused, never redirected: its redirect_uri belongs to no registered client.
http::Response Authorize(const http::Request& request) {
  return OAuthFailure(request, auth::OAuthError{400, "unsupported_response_type", kNoUserSignIn, 0, 0});
}

// The device authorization endpoint MSAL derives from token_endpoint (.../devicecode): the same answer,
// in the words of RFC 8628 section 3.2.
http::Response DeviceCode(const http::Request& request) {
  return OAuthFailure(request, auth::OAuthError{400, "unauthorized_client", kNoUserSignIn, 0, 0});
}

// Instance discovery (GET /common/discovery/instance?api-version=1.1&authorization_endpoint=<url>), the
// answer Entra gives about a host it does not know: the host is its own only alias, and its tenant's
// discovery document is ours. MSAL asks Microsoft's copy of this endpoint unless told not to
// (knownAuthorities, disableInstanceDiscovery, instance_discovery=False); this one's body can be
// given to it as cloudDiscoveryMetadata instead.
http::Response InstanceDiscovery(Context& context, const http::Request& request) {
  auto query = ParseForm(request.query());
  if (auto* error = std::get_if<auth::OAuthError>(&query)) return OAuthFailure(request, *error);
  auto& params = std::get<std::map<std::string, std::string>>(query);
  auto base = BaseUrl(context, request);
  if (!base.ok()) return OAuthFailure(request, InvalidRequest(base.status().message()));
  const std::string host = base->substr(base->find("://") + 3);
  std::string tenant = "common";
  if (auto it = params.find("authorization_endpoint"); it != params.end()) {
    // <scheme>://<host>/<tenant>/oauth2/...: it must name this server.
    const std::string& url = it->second;
    const size_t authority = url.find("://");
    const size_t path = authority == std::string::npos ? authority : url.find('/', authority + 3);
    const std::string named = path == std::string::npos ? "" : url.substr(authority + 3, path - authority - 3);
    auto lower = [](std::string text) {
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return text;
    };
    if (path == std::string::npos || lower(named) != lower(host)) {
      return OAuthFailure(request, auth::OAuthError{400, "invalid_instance",
                                                    "authorization_endpoint is not a valid URL on this server (" +
                                                        host + "): give <scheme>://" + host +
                                                        "/<tenant>/oauth2/v2.0/authorize.",
                                                    50049, 0});
    }
    const size_t tenant_end = url.find('/', path + 1);
    if (tenant_end != std::string::npos && tenant_end > path + 1) tenant = url.substr(path + 1, tenant_end - path - 1);
  }
  std::string body = "{\"tenant_discovery_endpoint\":";
  model::AppendJsonString(body, *base + "/" + tenant + "/v2.0/.well-known/openid-configuration");
  body += ",\"api-version\":\"1.1\",\"metadata\":[{\"preferred_network\":";
  model::AppendJsonString(body, host);
  body += ",\"preferred_cache\":";
  model::AppendJsonString(body, host);
  body += ",\"aliases\":";
  AppendStrings(body, {host});
  body += "}]}";
  return Json(200, std::move(body));
}

http::Response Keys(auth::TokenIssuer& issuer, const http::Request& request, const std::string& tenant_ref) {
  auto tenant = DiscoveryTenant(issuer, tenant_ref);
  if (auto* error = std::get_if<auth::OAuthError>(&tenant)) return OAuthFailure(request, *error);
  return Json(200, issuer.PublishedKeys().ToJwks());
}

}  // namespace

void AddTokenRoutes(http::Router& router, Context& context, auth::TokenIssuer& issuer) {
  router.Add("POST", "/{tenant}/oauth2/v2.0/token", [&context, &issuer](const http::Request& r, const http::PathParams& p) {
    return Token(context, issuer, r, p.at("tenant"));
  });
  router.Add("GET", "/{tenant}/v2.0/.well-known/openid-configuration",
             [&context, &issuer](const http::Request& r, const http::PathParams& p) {
               return OpenIdConfiguration(context, issuer, r, p.at("tenant"));
             });
  for (const char* method : {"GET", "POST"}) {
    router.Add(method, "/{tenant}/oauth2/v2.0/authorize",
               [](const http::Request& r, const http::PathParams&) { return Authorize(r); });
  }
  router.Add("POST", "/{tenant}/oauth2/v2.0/devicecode",
             [](const http::Request& r, const http::PathParams&) { return DeviceCode(r); });
  router.Add("GET", "/common/discovery/instance",
             [&context](const http::Request& r, const http::PathParams&) { return InstanceDiscovery(context, r); });
  router.Add("GET", "/{tenant}/discovery/v2.0/keys", [&issuer](const http::Request& r, const http::PathParams& p) {
    return Keys(issuer, r, p.at("tenant"));
  });
}

}  // namespace aih::api
