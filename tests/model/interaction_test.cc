#include "model/interaction.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "model/sample_interaction.h"

namespace aih::model {
namespace {

using testing::At;

TEST(InteractionTest, InteractionTypesAreSpelledAsGraphDoes) {
  EXPECT_STREQ(ToString(InteractionType::kUserPrompt), "userPrompt");
  EXPECT_STREQ(ToString(InteractionType::kAiResponse), "aiResponse");
  EXPECT_STREQ(ToString(InteractionType::kUnknownFutureValue), "unknownFutureValue");
}

TEST(InteractionTest, PropertiesAreTheFifteenOfGraphInOrder) {
  const std::vector<std::string> expected = {"id",
                                             "sessionId",
                                             "requestId",
                                             "appClass",
                                             "interactionType",
                                             "conversationType",
                                             "etag",
                                             "createdDateTime",
                                             "locale",
                                             "body",
                                             "from",
                                             "attachments",
                                             "contexts",
                                             "links",
                                             "mentions"};
  ASSERT_EQ(std::size(kInteractionProperties), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(kInteractionProperties[i], expected[i]);
  for (const std::string& name : expected) EXPECT_TRUE(IsInteractionProperty(name)) << name;
  EXPECT_FALSE(IsInteractionProperty("AppClass"));  // case-sensitive, like $select in Graph
  EXPECT_FALSE(IsInteractionProperty("@odata.type"));
  EXPECT_FALSE(IsInteractionProperty(""));
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

TEST(InteractionTest, AssignIdIsTheMillisecondsAndSixteenHexDigits) {
  Interaction x;
  x.created = At("2026-01-15T10:30:00.1234567Z");
  AssignId(x);
  ASSERT_EQ(x.id.size(), 13u + 1 + 16) << x.id;
  EXPECT_EQ(x.id.substr(0, 14), std::to_string(x.created.UnixMillis()) + "-");
  EXPECT_EQ(x.id.substr(0, 13), "1768473000123");
  EXPECT_TRUE(IsLowerHex(x.id.substr(14))) << x.id;
  EXPECT_TRUE(x.etag.empty());
}

TEST(InteractionTest, AssignIdKeepsAnIdTheWriterSent) {
  Interaction x;
  x.id = "writer-id";
  AssignId(x);
  EXPECT_EQ(x.id, "writer-id");
}

TEST(InteractionTest, AssignIdIsUniqueWithinOneMillisecond) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    Interaction x;
    x.created = At("2026-01-15T10:30:00Z");
    AssignId(x);
    ids.insert(x.id);
  }
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(InteractionTest, AssignIdSortsByCreationTime) {
  const char* times[] = {"2001-09-09T01:46:40Z",  // the first 13-digit millisecond
                         "2020-01-01T00:00:00.001Z", "2026-01-15T10:30:00Z",
                         "2026-01-15T10:30:00.001Z", "2026-01-15T10:30:01Z",
                         "2286-11-20T17:46:39Z"};
  std::vector<std::string> ids;
  for (const char* t : times) {
    Interaction x;
    x.created = At(t);
    AssignId(x);
    ids.push_back(x.id);
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(InteractionTest, AssignIdBefore1970KeepsTheFormat) {
  Interaction old_one, older;
  old_one.created = At("1999-12-31T23:59:59Z");
  older.created = At("1601-01-01T00:00:00Z");
  AssignId(old_one);
  AssignId(older);
  EXPECT_EQ(old_one.id.substr(0, 14), "0946684799000-");
  EXPECT_EQ(older.id.substr(0, 14), "0000000000000-");
  EXPECT_TRUE(IsDigits(older.id.substr(0, 13)));
  EXPECT_LT(older.id.substr(0, 13), old_one.id.substr(0, 13));
}

}  // namespace
}  // namespace aih::model
