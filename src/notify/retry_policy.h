// RetryPolicy: when a failed delivery is tried again, and when it is given up (section 7: after
// 4 hours, with a `missed` lifecycle event).
//
// The delay doubles with each consecutive failure of a subscription's receiver, from first_delay up
// to max_delay, and is spread by random jitter (±jitter of the delay) so that receivers which failed
// together are not retried together. A batch first due more than give_up_after ago is dropped.
#pragma once

#include <chrono>
#include <cstdint>

namespace aih::notify {

struct RetryPolicy {
  std::chrono::milliseconds first_delay{2'000};
  std::chrono::milliseconds max_delay{10 * 60 * 1'000};
  std::chrono::milliseconds give_up_after{4 * 3600 * 1'000};
  double jitter = 0.25;

  // The delay after `failures` consecutive failures (1: the first); `random01` is uniform in [0, 1).
  std::chrono::milliseconds Delay(int failures, double random01) const;

  // True when a batch first due at `enqueued_ms` must be dropped rather than retried at `now_ms`.
  bool GiveUp(int64_t enqueued_ms, int64_t now_ms) const { return now_ms - enqueued_ms >= give_up_after.count(); }
};

}  // namespace aih::notify
