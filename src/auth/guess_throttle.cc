#include "auth/guess_throttle.h"

#include <algorithm>

namespace aih::auth {

int64_t GuessThrottle::RetryAfter(std::string_view key, int64_t now) const {
  std::lock_guard lock(mu_);
  auto it = records_.find(std::string(key));
  if (it == records_.end() || it->second.locked_until <= now) return 0;
  return it->second.locked_until - now;
}

void GuessThrottle::RecordFailure(std::string_view key, int64_t now) {
  std::lock_guard lock(mu_);
  if (records_.size() >= options_.max_keys) DropStale(now);
  Record& record = records_[std::string(key)];
  if (record.failures > 0 && now - record.last_failure > options_.forget_after_seconds) record = Record{};
  ++record.failures;
  record.last_failure = now;
  const int beyond = record.failures - options_.lockout_after_failures;
  if (beyond < 0) return;
  // first << beyond, without overflowing for a key that keeps failing.
  int64_t lockout = options_.first_lockout_seconds;
  for (int i = 0; i < beyond && lockout < options_.max_lockout_seconds; ++i) lockout *= 2;
  record.locked_until = now + std::min(lockout, options_.max_lockout_seconds);
}

void GuessThrottle::RecordSuccess(std::string_view key) {
  std::lock_guard lock(mu_);
  records_.erase(std::string(key));
}

void GuessThrottle::DropStale(int64_t now) {
  std::erase_if(records_, [&](const auto& entry) {
    return now - entry.second.last_failure > options_.forget_after_seconds;
  });
  if (records_.size() < options_.max_keys) return;
  // Still full (a flood of fresh keys): keep only the keys locked out now. Forgetting a counting key
  // gives its owner a few more tries, which is what an attacker with that many addresses has anyway.
  std::erase_if(records_, [&](const auto& entry) { return entry.second.locked_until <= now; });
}

}  // namespace aih::auth
