// The record of one finished request: its line in the log (base/log.h, event "request") and its
// count and latency in the metrics (aihistory_http_requests_total{route,method,status},
// aihistory_http_request_duration_seconds{route,method}).
//
// The route is the template the router matched (request.facts.route), never the raw path: ids in
// paths must not reach the log or label values. The line holds ids, sizes and timings only, never a
// header, token, body or content.
//
// Thread-safe. Called by the server once per request, when its response has ended (or was cut off).
#pragma once

#include <chrono>
#include <cstddef>

#include "http/message.h"

namespace aih::http {

struct RequestEnd {
  int status = 0;              // the response's status
  size_t bytes = 0;            // body bytes sent
  std::chrono::nanoseconds duration{0};  // from the request's first header byte to its response's last
  bool aborted = false;        // the response was cut off (client gone, or failure after the head)
};

void RecordRequest(const Request& request, const RequestEnd& end);

}  // namespace aih::http
