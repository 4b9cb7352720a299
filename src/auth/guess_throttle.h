// GuessThrottle: slows down whoever guesses client secrets at the token endpoint.
//
// Failures are counted per key (the token issuer uses one key per client id and one per remote
// address). Once a key has failed `lockout_after_failures` times in a row it is locked out, for
// first_lockout_seconds after that failure, twice as long after the next one, and so on up to
// max_lockout_seconds; a success clears the key, and a key that has not failed for
// forget_after_seconds starts afresh. While locked out nothing is even checked, so an attacker
// burns no CPU on secret hashing either. Thread-safe; memory is bounded by max_keys.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace aih::auth {

struct GuessThrottleOptions {
  int lockout_after_failures = 5;
  int64_t first_lockout_seconds = 1;
  int64_t max_lockout_seconds = 15 * 60;
  int64_t forget_after_seconds = 30 * 60;  // longer than max_lockout_seconds
  size_t max_keys = 100'000;               // beyond it, keys that no longer lock anything are dropped
};

class GuessThrottle {
 public:
  explicit GuessThrottle(GuessThrottleOptions options = {}) : options_(options) {}

  // Whole seconds until `key` may try again at `now` (Unix seconds); 0 when it may try now.
  int64_t RetryAfter(std::string_view key, int64_t now) const;

  void RecordFailure(std::string_view key, int64_t now);
  void RecordSuccess(std::string_view key);

 private:
  struct Record {
    int failures = 0;
    int64_t last_failure = 0;
    int64_t locked_until = 0;
  };
  void DropStale(int64_t now);  // with mu_ held

  const GuessThrottleOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace aih::auth
