// Small pieces every resource uses: authenticating a request, the base URL of absolute links,
// and turning a failed Status into the Graph error response.
#pragma once

#include <string>

#include "api/service.h"
#include "auth/principal.h"
#include "http/graph_error.h"

namespace aih::api {

// The Principal of the request's bearer token, or kUnauthenticated; then kTooManyRequests when its
// (tenant, app) has used up its requests (throttle.h): every authenticated route is throttled.
Result<auth::Principal> Authenticate(const Context& context, const http::Request& request);
// The same with the Authorization header's value given (a credential that came in another header).
Result<auth::Principal> Authenticate(const Context& context, const http::Request& request,
                                     std::string_view authorization);

// "https://host:port" (or the configured public URL), for absolute links; kBadRequest if the Host
// header is missing or malformed (it is copied into links, so it must be a plain host[:port]).
Result<std::string> BaseUrl(const Context& context, const http::Request& request);

// "v1.0" or "beta" from the path's first segment (matched case-insensitively).
std::string ApiVersion(const http::Request& request);

inline http::Response Fail(const http::Request& request, const Status& status) {
  return http::ErrorResponse(request, status);
}

}  // namespace aih::api
