// How many validation handshakes run at once: per app, per tenant and in all, refused at once beyond.
#include "notify/handshake_limiter.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace aih::notify {
namespace {

TEST(HandshakeLimiter, EachBoundIsKeptAndPlacesComeBack) {
  HandshakeLimiter limiter({/*total=*/5, /*per_tenant=*/3, /*per_app=*/2});
  std::vector<HandshakeLimiter::Slot> held;
  auto take = [&](const char* tenant, const char* app) {
    auto slot = limiter.TryAcquire(tenant, app);
    if (!slot.ok()) return slot.status();
    held.push_back(std::move(*slot));
    return Status::Ok();
  };
  ASSERT_TRUE(take("t1", "a").ok());
  ASSERT_TRUE(take("t1", "a").ok());
  Status app_full = take("t1", "a");
  EXPECT_EQ(app_full.code(), Code::kTooManyRequests);
  EXPECT_NE(app_full.message().find("this application"), std::string::npos) << app_full.message();
  EXPECT_TRUE(take("t2", "a").ok());  // the same app id in another tenant is another budget
  ASSERT_TRUE(take("t1", "b").ok());
  Status tenant_full = take("t1", "c");
  EXPECT_EQ(tenant_full.code(), Code::kTooManyRequests);
  EXPECT_NE(tenant_full.message().find("this tenant"), std::string::npos) << tenant_full.message();
  ASSERT_TRUE(take("t3", "x").ok());  // five in all
  Status all_full = take("t4", "y");
  EXPECT_EQ(all_full.code(), Code::kUnavailable);
  EXPECT_NE(all_full.message().find("(5)"), std::string::npos) << all_full.message();
  held.clear();  // every place returns
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(take("t1", "a").ok());
  EXPECT_TRUE(take("t1", "c").ok());
}

TEST(HandshakeLimiter, AMovedSlotReleasesOnce) {
  HandshakeLimiter limiter({1, 1, 1});
  {
    auto slot = limiter.TryAcquire("t", "a");
    ASSERT_TRUE(slot.ok());
    std::optional<HandshakeLimiter::Slot> moved(std::move(*slot));
    EXPECT_FALSE(limiter.TryAcquire("t", "a").ok());
  }
  EXPECT_TRUE(limiter.TryAcquire("t", "a").ok());
  EXPECT_TRUE(limiter.TryAcquire("t", "a").ok());  // the last one went out of scope at once
}

}  // namespace
}  // namespace aih::notify
