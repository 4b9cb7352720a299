#include "base/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json_string.h"

namespace aih::log {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("aih-log-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "aihistory.log").string();
  }
  void TearDown() override {
    Reset();
    std::filesystem::remove_all(dir_);
  }
  Status ToFile(Level level, bool text = false) {
    Options options;
    options.level = level;
    options.file = path_;
    options.text = text;
    return Configure(options);
  }
  std::filesystem::path dir_;
  std::string path_;
};

TEST(JsonStringTest, EscapesQuotesBackslashesAndControlCharactersOnly) {
  std::string out;
  AppendJsonString(out, std::string("a\"b\\c\nd\te\x01 f\xc3\xa9 long enough to take the eight-byte path"));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001 f\xc3\xa9 long enough to take the eight-byte path\"");
}

TEST_F(LogTest, ALineIsOneJsonObjectWithTimeLevelEventAndFieldsInOrder) {
  ASSERT_TRUE(ToFile(Level::kInfo).ok());
  Info("start").Str("store", "./data").Int("workers", 32).Num("ratio", 0.5).Bool("tls", false);
  const std::string text = ReadAll(path_);
  EXPECT_THAT(text, MatchesRegex(R"(\{"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z",)"
                                 R"("level":"info","event":"start","store":"./data","workers":32,"ratio":0.5,)"
                                 R"("tls":false\}
)"));
}

TEST_F(LogTest, ValuesAreEscapedSoALineStaysOneLine) {
  ASSERT_TRUE(ToFile(Level::kInfo).ok());
  Warn("odd").Str("value", "two\nlines \"quoted\" back\\slash");
  const std::string text = ReadAll(path_);
  EXPECT_THAT(text, HasSubstr(R"("value":"two\nlines \"quoted\" back\\slash"})"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST_F(LogTest, LinesBelowTheLevelAreNotWritten) {
  ASSERT_TRUE(ToFile(Level::kWarn).ok());
  Debug("debugging");
  Info("informing");
  Warn("warning");
  Error("failing");
  const std::string text = ReadAll(path_);
  EXPECT_THAT(text, Not(HasSubstr("debugging")));
  EXPECT_THAT(text, Not(HasSubstr("informing")));
  EXPECT_THAT(text, HasSubstr(R"("level":"warn","event":"warning")"));
  EXPECT_THAT(text, HasSubstr(R"("level":"error","event":"failing")"));
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
}

TEST_F(LogTest, TextFormatWritesKeyValuePairsQuotingWhatNeedsIt) {
  ASSERT_TRUE(ToFile(Level::kInfo, /*text=*/true).ok());
  Info("request").Str("route", "/v1.0/x").Str("note", "two words").Int("status", 200);
  EXPECT_THAT(ReadAll(path_), MatchesRegex(R"([0-9T:.Z-]+ info request route=/v1.0/x note="two words" status=200
)"));
}

TEST_F(LogTest, ReopenWritesToANewFileAfterTheOldOneWasMovedAway) {
  ASSERT_TRUE(ToFile(Level::kInfo).ok());
  Info("before");
  const std::string rotated = path_ + ".1";
  std::filesystem::rename(path_, rotated);
  Info("still-old");  // logrotate moved it: the open descriptor writes on to the moved file
  ASSERT_TRUE(Reopen().ok());
  Info("after");
  EXPECT_THAT(ReadAll(rotated), HasSubstr("\"before\""));
  EXPECT_THAT(ReadAll(rotated), HasSubstr("\"still-old\""));
  EXPECT_THAT(ReadAll(rotated), Not(HasSubstr("\"after\"")));
  EXPECT_THAT(ReadAll(path_), HasSubstr("\"after\""));
}

TEST_F(LogTest, AFileThatCannotBeOpenedIsRefusedNamingIt) {
  Options options;
  options.file = (dir_ / "no-such-dir" / "x.log").string();
  Status s = Configure(options);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("no-such-dir/x.log"));
}

TEST(LogLevelTest, ParsesTheFourLevelsAndRefusesOthers) {
  EXPECT_EQ(*ParseLevel("error"), Level::kError);
  EXPECT_EQ(*ParseLevel("debug"), Level::kDebug);
  auto bad = ParseLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("error, warn, info or debug"));
}

}  // namespace
}  // namespace aih::log
