#include "base/utc_time.h"

#include <gtest/gtest.h>

namespace aih {
namespace {

TEST(UtcTimeTest, WritesIsoUtcByDefault) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1796566509), "2026-12-06T14:15:09Z");
}

TEST(UtcTimeTest, TakesAnyStrftimeFormat) {
  EXPECT_EQ(FormatUtc(1796566509, "%Y-%m-%d %H:%M:%SZ"), "2026-12-06 14:15:09Z");  // Entra's OAuth errors
  EXPECT_EQ(FormatUtc(1796566509, "%Y-%m-%dT%H:%M:%S"), "2026-12-06T14:15:09");    // Graph's innerError date
}

TEST(UtcTimeTest, MillisecondsAsTheLogWritesThem) {
  EXPECT_EQ(FormatUtcMillis(1796566509142), "2026-12-06T14:15:09.142Z");
  EXPECT_EQ(FormatUtcMillis(1796566509007), "2026-12-06T14:15:09.007Z");
  EXPECT_EQ(FormatUtcMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcMillis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(UtcTimeTest, NowIsTheCurrentYearOrLater) {
  EXPECT_GE(FormatUtcNow("%Y"), "2026");
  EXPECT_EQ(FormatUtcNow().size(), 20u);
}

}  // namespace
}  // namespace aih
