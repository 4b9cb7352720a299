#include "base/refusals.h"

#include "base/metrics.h"

namespace aih {

namespace {

metrics::Family<metrics::Counter>& Refused() {
  static auto& refused = metrics::Registry::Default().AddCounterFamily(
      "aihistory_requests_refused_total", "Requests and connections refused to protect the service, by reason.",
      {"reason"});
  return refused;
}

}  // namespace

void CountRefusal(const std::string& reason) { Refused().With({reason}).Add(); }

void DeclareRefusals() {
  for (const char* reason : {"throttled", "lockout", "connection_limit", "body_too_large", "storage_full", "starting"}) {
    Refused().With({reason});
  }
}

}  // namespace aih
