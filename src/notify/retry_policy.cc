#include "notify/retry_policy.h"

#include <algorithm>

namespace aih::notify {

std::chrono::milliseconds RetryPolicy::Delay(int failures, double random01) const {
  double delay = static_cast<double>(first_delay.count());
  const double cap = static_cast<double>(max_delay.count());
  for (int i = 1; i < failures && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  const double spread = 1.0 + jitter * (2.0 * std::clamp(random01, 0.0, 1.0) - 1.0);
  return std::chrono::milliseconds(std::max<int64_t>(1, static_cast<int64_t>(delay * spread)));
}

}  // namespace aih::notify
