// StorageCondition: a full disk is remembered, named, and told to back off ever longer.
#include "store/storage_condition.h"

#include <gtest/gtest.h>

namespace aih::testing {
namespace {

using store::StorageCondition;
using namespace std::chrono_literals;

TEST(StorageConditionTest, RetryAfterDoublesPerRefusalUpToAMinuteAndAWriteEndsIt) {
  StorageCondition storage;
  const auto t0 = StorageCondition::Clock::now();
  EXPECT_FALSE(storage.full(t0));
  EXPECT_EQ(storage.retry_after_seconds(t0), 1);
  const Status refused = Status::StorageFull("disk full");
  std::vector<int> delays;
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(storage.Observe(refused, true, t0).code(), Code::kStorageFull);  // passed through unchanged
    delays.push_back(storage.retry_after_seconds(t0));
  }
  EXPECT_EQ(delays, (std::vector<int>{1, 2, 4, 8, 16, 32, 60, 60, 60}));
  EXPECT_TRUE(storage.full(t0));
  // Other failures say nothing about space.
  storage.Observe(Status::Unavailable("busy"), true, t0);
  EXPECT_TRUE(storage.full(t0));
  // A write that changed nothing may succeed on a full disk (an empty transaction): it says nothing.
  EXPECT_TRUE(storage.Observe(Status::Ok(), /*changed=*/false, t0).ok());
  EXPECT_TRUE(storage.full(t0));
  EXPECT_EQ(storage.retry_after_seconds(t0), 60);
  // A write that succeeds and changed something ends it.
  EXPECT_TRUE(storage.Observe(Status::Ok(), /*changed=*/true, t0).ok());
  EXPECT_FALSE(storage.full(t0));
  EXPECT_EQ(storage.retry_after_seconds(t0), 1);
}

TEST(StorageConditionTest, AQuietSpellWithoutRefusalsForgetsIt) {
  StorageCondition storage;
  const auto t0 = StorageCondition::Clock::now();
  storage.RecordFull("disk full", t0);
  storage.RecordFull("disk full", t0);
  EXPECT_TRUE(storage.full(t0 + StorageCondition::kForget));
  EXPECT_FALSE(storage.full(t0 + StorageCondition::kForget + 1s));
  // A new refusal after that starts a new episode, at 1 s again.
  storage.RecordFull("disk full", t0 + StorageCondition::kForget + 2s);
  EXPECT_EQ(storage.retry_after_seconds(t0 + StorageCondition::kForget + 2s), 1);
}

}  // namespace
}  // namespace aih::testing
