#include "http/request_log.h"

#include <string>
#include <vector>

#include "base/log.h"
#include "base/metrics.h"

namespace aih::http {

void RecordRequest(const Request& request, const RequestEnd& end) {
  static auto& requests = metrics::Registry::Default().AddCounterFamily(
      "aihistory_http_requests_total", "HTTP requests answered, by route template, method and status.",
      {"route", "method", "status"});
  static auto& durations = metrics::Registry::Default().AddHistogramFamily(
      "aihistory_http_request_duration_seconds",
      "Time from a request's first byte to its response's last, by route template and method.", {"route", "method"},
      metrics::LatencyBuckets());
  const RequestFacts& facts = request.facts;
  // A method no route knows is one label value: clients choose methods, and must not choose series.
  static const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
  std::string method = "other";
  for (const auto& m : kMethods) {
    if (request.method == m) method = m;
  }
  const double seconds = std::chrono::duration<double>(end.duration).count();
  requests.With({facts.route, method, std::to_string(end.status)}).Add();
  durations.With({facts.route, method}).Observe(seconds);

  log::Line line(log::Level::kInfo, "request");
  line.Str("request_id", request.request_id)
      .Str("client_request_id", request.client_request_id)
      .Str("tenant", facts.tenant_id)
      .Str("app", facts.app_id)
      .Str("method", method)
      .Str("route", facts.route)
      .Int("status", end.status)
      .Int("bytes", static_cast<int64_t>(end.bytes))
      .Num("duration_ms", static_cast<double>(end.duration.count() / 1000) / 1000.0)
      .Str("remote", request.remote_address);
  if (facts.items >= 0) line.Int("items", facts.items);
  if (end.aborted) line.Bool("aborted", true);
}

}  // namespace aih::http
