#include "api/request_context.h"

namespace aih::api {

Result<auth::Principal> Authenticate(const Context& context, const http::Request& request) {
  return Authenticate(context, request, request.Header("authorization"));
}

Result<auth::Principal> Authenticate(const Context& context, const http::Request& request,
                                     std::string_view authorization) {
  Result<auth::Principal> principal = context.authenticator.Authenticate(authorization);
  if (!principal.ok()) return principal;
  // Who called, for the request's log line (http::RequestFacts): ids only, never the token.
  request.facts.tenant_id = principal->tenant_id;
  request.facts.app_id = principal->app_id;
  AIH_RETURN_IF_ERROR(context.throttle.Admit(principal->tenant_id, principal->app_id));
  return principal;
}

Result<std::string> BaseUrl(const Context& context, const http::Request& request) {
  if (!context.options.public_url.empty()) return context.options.public_url;
  const std::string& host = request.host;
  if (host.empty() || host.size() > 255) {
    return Status::BadRequest("the request has no valid Host header, needed to build absolute links");
  }
  for (unsigned char c : host) {
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_')) {
      return Status::BadRequest("the Host header '" + host + "' is not a plain host[:port]");
    }
  }
  return request.scheme + "://" + host;
}

std::string ApiVersion(const http::Request& request) {
  std::string_view path = request.path();
  size_t end = path.find('/', 1);
  std::string first(path.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1));
  for (auto& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return first == "beta" ? "beta" : "v1.0";
}

}  // namespace aih::api
