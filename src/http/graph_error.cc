#include "http/graph_error.h"

#include "base/guid.h"
#include "base/json_string.h"
#include "base/log.h"
#include "base/utc_time.h"
#include "base/utf8.h"

namespace aih::http {
namespace {

// Messages may quote what a client sent (a path segment, a header): whatever the bytes, the body
// stays valid JSON and valid UTF-8 (valid_utf8.h).
void AppendEscaped(std::string& out, std::string_view s) { AppendJsonString(out, ValidUtf8(s)); }

Response Build(const Request& request, int http_status, const std::string& code,
               const std::string& message, const std::vector<ErrorDetail>& details) {
  Response r;
  r.status = http_status;
  r.content_type = "application/json";
  std::string& b = r.body;
  b = "{\"error\":{\"code\":";
  AppendEscaped(b, code);
  b += ",\"message\":";
  AppendEscaped(b, message);
  if (!details.empty()) {
    b += ",\"details\":[";
    for (size_t i = 0; i < details.size(); ++i) {
      if (i) b += ',';
      b += "{\"code\":";
      AppendEscaped(b, details[i].code);
      b += ",\"message\":";
      AppendEscaped(b, details[i].message);
      b += ",\"target\":";
      AppendEscaped(b, details[i].target);
      b += '}';
    }
    b += ']';
  }
  b += ",\"innerError\":{\"date\":";
  AppendEscaped(b, FormatUtcNow("%Y-%m-%dT%H:%M:%S"));
  b += ",\"request-id\":";
  AppendEscaped(b, request.request_id);
  b += ",\"client-request-id\":";
  AppendEscaped(b, request.client_request_id.empty() ? request.request_id : request.client_request_id);
  b += "}}}";
  return r;
}

}  // namespace

int HttpStatusOf(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kBadRequest: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kForbidden: return 403;
    case Code::kNotFound: return 404;
    case Code::kMethodNotAllowed: return 405;
    case Code::kConflict: return 409;
    case Code::kTooLarge: return 413;
    case Code::kUnsupportedMediaType: return 415;
    case Code::kTooManyRequests: return 429;
    case Code::kUnavailable: return 503;
    case Code::kStorageFull: return 507;
    case Code::kInternal: return 500;
  }
  return 500;
}

const char* GraphCodeOf(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kBadRequest: return "BadRequest";
    case Code::kUnauthenticated: return "InvalidAuthenticationToken";
    case Code::kForbidden: return "Forbidden";
    case Code::kNotFound: return "ResourceNotFound";
    case Code::kMethodNotAllowed: return "MethodNotAllowed";
    case Code::kConflict: return "Conflict";
    case Code::kTooLarge: return "RequestEntityTooLarge";
    case Code::kUnsupportedMediaType: return "UnsupportedMediaType";
    case Code::kTooManyRequests: return "TooManyRequests";
    case Code::kUnavailable: return "ServiceUnavailable";
    case Code::kStorageFull: return "InsufficientStorage";
    case Code::kInternal: return "InternalServerError";
  }
  return "InternalServerError";
}

Response ErrorResponse(const Request& request, const Status& status, int retry_after_seconds,
                       const std::vector<ErrorDetail>& details) {
  // Our own failures (a database down, a bug) may name hosts, files or internals: they go to the
  // server's log under the request id, and the client gets a message it can act on.
  std::string message = status.message();
  if (status.code() == Code::kInternal || status.code() == Code::kUnavailable || status.code() == Code::kStorageFull) {
    log::Error("request_failed").Str("request_id", request.request_id).Str("error", message);
    message = status.code() == Code::kUnavailable
                  ? "the service is temporarily unavailable; retry after the Retry-After delay"
              : status.code() == Code::kStorageFull
                  ? "the service's storage is full: nothing was written. Retry after the Retry-After delay; the "
                    "service's operator has to free space"
                  : "an internal error occurred; the server's log has the details under this request-id";
  }
  Response r = Build(request, HttpStatusOf(status.code()), GraphCodeOf(status.code()), message, details);
  if (status.code() == Code::kUnauthenticated) r.SetHeader("WWW-Authenticate", "Bearer realm=\"aihistory\"");
  if (status.code() == Code::kTooManyRequests || status.code() == Code::kUnavailable ||
      status.code() == Code::kStorageFull) {
    if (retry_after_seconds <= 0) retry_after_seconds = 1;
  }
  if (retry_after_seconds > 0) r.SetHeader("Retry-After", std::to_string(retry_after_seconds));
  return r;
}

Response ErrorResponse(const Request& request, int http_status, const std::string& code,
                       const std::string& message) {
  return Build(request, http_status, code, message, {});
}

std::string NewGuid() { return aih::NewGuid().value(); }

}  // namespace aih::http
