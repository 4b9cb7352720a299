// The Graph error envelope (section 8 of the contract).
//
// Every failure leaves the service as
//   {"error":{"code":"BadRequest","message":"...","innerError":{"date":"...","request-id":"...",
//   "client-request-id":"..."}}}
// with Content-Type application/json, because Microsoft's clients lose the status and message
// otherwise. 401 adds WWW-Authenticate; 429, 503 and 507 (storage full) add Retry-After.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "http/message.h"

namespace aih::http {

// The HTTP status and Graph error code of a failed Status.
int HttpStatusOf(Code code);
const char* GraphCodeOf(Code code);

// One entry of error.details (e.g. why one item of a batch was refused).
struct ErrorDetail {
  std::string code, message, target;
};

// The error response for `status` on `request`. `retry_after_seconds` > 0 adds Retry-After (429,
// 503 and 507 always carry one: 1 second when not given).
Response ErrorResponse(const Request& request, const Status& status, int retry_after_seconds = 0,
                       const std::vector<ErrorDetail>& details = {});

// A Graph-shaped error for an explicit HTTP status and code (405, 404 of unknown routes, ...).
Response ErrorResponse(const Request& request, int http_status, const std::string& code,
                       const std::string& message);

// A new random GUID in lower-case 8-4-4-4-12 form.
std::string NewGuid();

}  // namespace aih::http
