// Throttle: a token bucket per (tenant, application), as Graph throttles this API (section 9).
//
// Each bucket holds up to `burst` requests and refills at `requests_per_second`; a request that finds
// its bucket empty is refused with 429 TooManyRequests and Retry-After. Rates are at least one
// request per second, so a refused caller always has a request again within one second: Retry-After
// is 1 (http::ErrorResponse's value for 429). The default is far above Graph's; Graph() reproduces
// Graph's ~30 requests/s per app per tenant for people testing their clients' retry handling.
// Thread-safe; the clock is injectable so tests never sleep.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace aih::api {

struct ThrottleOptions {
  double requests_per_second = 10'000;  // 0 turns throttling off; otherwise at least 1
  double burst = 20'000;                // at least 1
  std::function<std::chrono::steady_clock::time_point()> clock;  // unset: steady_clock::now

  // Graph's limits for this API family: about 30 requests/s per app per tenant.
  static ThrottleOptions Graph() { return {30, 30, {}}; }
  // kBadRequest when the limits make no sense.
  Status Validate() const;
};

class Throttle {
 public:
  explicit Throttle(ThrottleOptions options) : options_(std::move(options)) {}

  // Ok, taking one request from the bucket of (tenant_id, app_id); kTooManyRequests when it is empty.
  // Const: resources see the Context const; the buckets are the throttle's own bookkeeping.
  Status Admit(std::string_view tenant_id, std::string_view app_id) const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  std::chrono::steady_clock::time_point Now() const;

  const ThrottleOptions options_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace aih::api
