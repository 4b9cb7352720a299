// GuessThrottle: the lockout schedule of repeated failures, with explicit times (no sleeping).
#include "auth/guess_throttle.h"

#include <gtest/gtest.h>

namespace aih::auth {
namespace {

constexpr int64_t kT = 1'768'473'000;

GuessThrottleOptions Options() {
  GuessThrottleOptions options;
  options.lockout_after_failures = 5;
  options.first_lockout_seconds = 1;
  options.max_lockout_seconds = 60;
  options.forget_after_seconds = 600;
  return options;
}

TEST(GuessThrottleTest, TheFifthFailureLocksAndEachFurtherOneDoublesTheLockout) {
  GuessThrottle throttle(Options());
  for (int i = 0; i < 4; ++i) {
    throttle.RecordFailure("client:a", kT);
    EXPECT_EQ(throttle.RetryAfter("client:a", kT), 0) << "after failure " << i + 1;
  }
  throttle.RecordFailure("client:a", kT);
  EXPECT_EQ(throttle.RetryAfter("client:a", kT), 1);
  EXPECT_EQ(throttle.RetryAfter("client:a", kT + 1), 0);
  throttle.RecordFailure("client:a", kT + 1);
  EXPECT_EQ(throttle.RetryAfter("client:a", kT + 1), 2);
  throttle.RecordFailure("client:a", kT + 3);
  EXPECT_EQ(throttle.RetryAfter("client:a", kT + 3), 4);
  for (int i = 0; i < 40; ++i) throttle.RecordFailure("client:a", kT + 10);  // no overflow: capped
  EXPECT_EQ(throttle.RetryAfter("client:a", kT + 10), 60);
}

TEST(GuessThrottleTest, KeysAreIndependent) {
  GuessThrottle throttle(Options());
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("client:a", kT);
  EXPECT_GT(throttle.RetryAfter("client:a", kT), 0);
  EXPECT_EQ(throttle.RetryAfter("client:b", kT), 0);
  EXPECT_EQ(throttle.RetryAfter("address:192.0.2.1", kT), 0);
}

TEST(GuessThrottleTest, ASuccessClearsTheKey) {
  GuessThrottle throttle(Options());
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("client:a", kT);
  throttle.RecordSuccess("client:a");
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("client:a", kT);
  EXPECT_EQ(throttle.RetryAfter("client:a", kT), 0);
}

TEST(GuessThrottleTest, OldFailuresAreForgotten) {
  GuessThrottle throttle(Options());
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("client:a", kT);
  throttle.RecordFailure("client:a", kT + 601);  // the first of a new series
  EXPECT_EQ(throttle.RetryAfter("client:a", kT + 601), 0);
}

TEST(GuessThrottleTest, MemoryIsBoundedButLockedKeysStayLocked) {
  GuessThrottleOptions options = Options();
  options.max_keys = 10;
  GuessThrottle throttle(options);
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("address:attacker", kT);
  for (int i = 0; i < 100; ++i) throttle.RecordFailure("address:" + std::to_string(i), kT);
  EXPECT_GT(throttle.RetryAfter("address:attacker", kT), 0);
}

}  // namespace
}  // namespace aih::auth
