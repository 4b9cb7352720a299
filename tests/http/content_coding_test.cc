#include "http/content_coding.h"

#include <gtest/gtest.h>

#include "support/gzip.h"

namespace aih::http {
namespace {

using testing::Gzip;

TEST(Gunzip, InflatesOneMemberOrSeveral) {
  auto one = Gunzip(Gzip("hello, history"), 1024);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(*one, "hello, history");
  auto two = Gunzip(Gzip("first ") + Gzip("second"), 1024);
  ASSERT_TRUE(two.ok()) << two.status().message();
  EXPECT_EQ(*two, "first second");
  auto empty = Gunzip(Gzip(""), 1024);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(Gunzip, TheLimitHoldsForTheInflatedSize) {
  const std::string bomb = Gzip(std::string(10 << 20, '\0'));
  ASSERT_LT(bomb.size(), 64u << 10);
  auto r = Gunzip(bomb, 1 << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTooLarge);
  EXPECT_NE(r.status().message().find("1048576"), std::string::npos) << r.status().message();
  EXPECT_TRUE(Gunzip(bomb, 10 << 20).ok());  // exactly the limit is allowed
}

TEST(Gunzip, CorruptOrCutBodiesAreBadRequests) {
  auto corrupt = Gunzip("this is not gzip", 1024);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().code(), Code::kBadRequest);
  const std::string whole = Gzip(std::string(5000, 'a') + "tail");
  auto cut = Gunzip(whole.substr(0, whole.size() - 6), 1 << 20);
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), Code::kBadRequest);
  EXPECT_NE(cut.status().message().find("cut short"), std::string::npos) << cut.status().message();
}

}  // namespace
}  // namespace aih::http
