// Refusals: the count of requests and connections turned away to protect the service, by reason,
// as the metric aihistory_requests_refused_total{reason} (metrics.h). Stated once here so that every
// module counts into the same family with the same reasons.
//
// Reasons: "throttled" (a tenant's app over its request rate), "lockout" (a credential or address
// locked out after failed guesses), "connection_limit" (a connection refused: too many open),
// "body_too_large" (a request body over the limit), "storage_full" (a write refused: the store's
// storage is full), "starting" (a request before the service was ready).
//
// Thread-safe; a shared-lock lookup per call (refusals are not the hot path).
#pragma once

#include <string>

namespace aih {

void CountRefusal(const std::string& reason);

// Registers every reason above at zero, so that the monitoring sees each series from the start.
void DeclareRefusals();

}  // namespace aih
