#include "api/throttle.h"

#include "base/refusals.h"
#include "base/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdio>


namespace aih::api {
namespace {

// Beyond this many buckets, the full ones (which are as good as absent) are dropped.
constexpr size_t kPruneAbove = 100'000;

}  // namespace

Status ThrottleOptions::Validate() const {
  if (requests_per_second == 0) return Status::Ok();
  if (!(requests_per_second >= 1) || !std::isfinite(requests_per_second)) {
    return Status::BadRequest("the throttle rate must be at least 1 request per second (or 0 for no throttling)");
  }
  if (!(burst >= 1) || !std::isfinite(burst)) return Status::BadRequest("the throttle burst must be at least 1 request");
  return Status::Ok();
}

std::chrono::steady_clock::time_point Throttle::Now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

Status Throttle::Admit(std::string_view tenant_id, std::string_view app_id) const {
  if (options_.requests_per_second == 0) return Status::Ok();
  const auto now = Now();
  std::string key;
  key.reserve(tenant_id.size() + app_id.size() + 1);
  key.append(tenant_id).append(1, '\n').append(app_id);  // '\n' appears in neither id
  std::lock_guard lock(mu_);
  if (buckets_.size() > kPruneAbove) {
    std::erase_if(buckets_, [&](const auto& entry) {
      const double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
      return entry.second.tokens + elapsed * options_.requests_per_second >= options_.burst;
    });
  }
  auto [it, created] = buckets_.try_emplace(std::move(key), Bucket{options_.burst, now});
  Bucket& bucket = it->second;
  if (!created) {
    const double elapsed = std::max(0.0, std::chrono::duration<double>(now - bucket.updated).count());
    bucket.tokens = std::min(options_.burst, bucket.tokens + elapsed * options_.requests_per_second);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return Status::Ok();
  }
  CountRefusal("throttled");
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", options_.requests_per_second);
  return Status(Code::kTooManyRequests, "Too many requests from application " + Printable(app_id) +
                                            " in this tenant (the limit is " + rate +
                                            " requests per second); retry after the time in the Retry-After header");
}

}  // namespace aih::api
