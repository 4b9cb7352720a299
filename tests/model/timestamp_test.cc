#include "model/timestamp.h"
#include "base/utf8.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aih::model {
namespace {

using ::testing::HasSubstr;

TEST(TimestampTest, ConvertsOffsetsToUtcAndKeepsTheFractionDigits) {
  EXPECT_EQ(Timestamp::Parse("2026-01-15T10:30:00.120+02:00")->ToString(),
            "2026-01-15T08:30:00.120Z");
  EXPECT_EQ(Timestamp::Parse("2026-01-15T10:30:00.1234567-05:30")->ToString(),
            "2026-01-15T16:00:00.1234567Z");
  EXPECT_EQ(Timestamp::Parse("2026-01-15T10:30:00Z")->ToString(), "2026-01-15T10:30:00Z");
}

TEST(TimestampTest, WritesBackWhatItParsed) {
  for (const char* text :
       {"1601-01-01T00:00:00.0000001Z", "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z",
        "2000-02-29T12:00:00.12Z", "2026-01-15T10:30:00.120Z", "9999-12-31T23:59:59.9999999Z"}) {
    Result<Timestamp> t = Timestamp::Parse(text);
    ASSERT_TRUE(t.ok()) << text;
    EXPECT_EQ(t->ToString(), text);
    std::string appended = "x";
    t->AppendTo(appended);
    EXPECT_EQ(appended, "x" + std::string(text));
  }
  EXPECT_EQ(Timestamp::FromUnixMillis(-1).ToString(), "1969-12-31T23:59:59.999Z");
}

TEST(TimestampTest, RefusesADateWithoutOffset) {
  Result<Timestamp> t = Timestamp::Parse("2026-01-15T10:30:00");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("no UTC offset"));
}

TEST(TimestampTest, RefusesOffsetsThatLeaveTheWritableYears) {
  // Each would be written back as a date that Parse refuses (year 10000, year 1600).
  EXPECT_THAT(Timestamp::Parse("9999-12-31T23:00:00-02:00").status().message(),
              HasSubstr("outside years 1601..9999"));
  EXPECT_THAT(Timestamp::Parse("1601-01-01T00:30:00+01:00").status().message(),
              HasSubstr("outside years 1601..9999"));
  Result<Timestamp> last = Timestamp::Parse("9999-12-31T23:59:59.9999999Z");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->ToString(), "9999-12-31T23:59:59.9999999Z");
  EXPECT_TRUE(Timestamp::Parse("1601-01-01T00:00:00Z").ok());
}

TEST(TimestampTest, MessagesQuoteLongInputOnACharacterBoundary) {
  std::string text = "2026-01-15T10:30:00Z";
  for (int i = 0; i < 40; ++i) text += "\u00e9";  // 2-byte characters straddling byte 64
  Result<Timestamp> t = Timestamp::Parse("x" + text);
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(IsUtf8(t.status().message())) << t.status().message();
}

}  // namespace
}  // namespace aih::model
