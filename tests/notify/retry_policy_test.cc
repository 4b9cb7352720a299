// The backoff schedule: doubling from the first delay to the cap, spread by jitter, given up after 4 hours.
#include <gtest/gtest.h>

#include "notify/retry_policy.h"

namespace aih::notify {
namespace {

TEST(RetryPolicy, DoublesUpToTheCap) {
  RetryPolicy p;  // 2 s, doubling, capped at 10 minutes, ±25 %
  const double middle = 0.5;  // no jitter
  EXPECT_EQ(p.Delay(1, middle).count(), 2'000);
  EXPECT_EQ(p.Delay(2, middle).count(), 4'000);
  EXPECT_EQ(p.Delay(3, middle).count(), 8'000);
  EXPECT_EQ(p.Delay(9, middle).count(), 512'000);
  EXPECT_EQ(p.Delay(10, middle).count(), 600'000);
  EXPECT_EQ(p.Delay(1000, middle).count(), 600'000);  // no overflow however long it fails
}

TEST(RetryPolicy, JitterStaysWithinItsBand) {
  RetryPolicy p;
  EXPECT_EQ(p.Delay(3, 0.0).count(), 6'000);
  EXPECT_EQ(p.Delay(3, 0.999999).count(), 9'999);
  for (int i = 0; i < 100; ++i) {
    auto d = p.Delay(4, i / 100.0).count();
    EXPECT_GE(d, 12'000);
    EXPECT_LT(d, 20'000);
  }
}

TEST(RetryPolicy, GivesUpAfterFourHours) {
  RetryPolicy p;
  const int64_t enqueued = 1'000'000;
  EXPECT_FALSE(p.GiveUp(enqueued, enqueued + 4 * 3'600'000 - 1));
  EXPECT_TRUE(p.GiveUp(enqueued, enqueued + 4 * 3'600'000));
}

// The whole schedule of a receiver that never answers: how many attempts fit in 4 hours.
TEST(RetryPolicy, ScheduleOfADeadReceiver) {
  RetryPolicy p;
  int64_t t = 0;  // the time of the next attempt
  int attempts = 0;
  while (!p.GiveUp(0, t)) {
    ++attempts;
    t += p.Delay(attempts, 0.5).count();
  }
  // 2+4+...+512 s (about 17 minutes) then every 10 minutes until 4 hours: 32 attempts.
  EXPECT_EQ(attempts, 32);
}

}  // namespace
}  // namespace aih::notify
