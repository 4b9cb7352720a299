// The leaf encoding of the verifiable log (integrity/log_leaf.h, docs/integrity.md): exact bytes,
// escaping that keeps one field per line, and a strict parser.
#include "integrity/log_leaf.h"

#include <gtest/gtest.h>

#include "base/hex.h"

namespace aih::integrity {
namespace {

LogLeaf Example() {
  return {LeafKind::kUpdated, "t1", "u1", "abc", 2, "abc.2", Sha256("{}")};
}

TEST(LogLeafTest, EncodesEightLinesExactly) {
  EXPECT_EQ(EncodeLeaf(Example()),
            "aihistory-log-leaf v1\nkind updated\ntenant t1\nuser u1\nid abc\nversion 2\netag abc.2\n"
            "sha256 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\n");
}

TEST(LogLeafTest, EscapesControlBytesAndPercentSoThatAFieldStaysOnItsLine) {
  LogLeaf leaf = Example();
  leaf.interaction_id = "a\nb%c d\x7f";
  leaf.etag = leaf.interaction_id + ".2";
  const std::string text = EncodeLeaf(leaf);
  EXPECT_NE(text.find("\nid a%0Ab%25c d%7F\n"), std::string::npos) << text;
  auto parsed = ParseLeaf(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, leaf);
}

TEST(LogLeafTest, RoundTripsEveryKind) {
  for (LeafKind kind : {LeafKind::kStored, LeafKind::kUpdated, LeafKind::kDeleted}) {
    LogLeaf leaf = Example();
    leaf.kind = kind;
    auto parsed = ParseLeaf(EncodeLeaf(leaf));
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(*parsed, leaf);
  }
}

TEST(LogLeafTest, RefusesWhatIsNotExactlyALeafNamingTheLine) {
  const std::string good = EncodeLeaf(Example());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  struct Case {
    std::string text, message;
  } cases[] = {
      {replace("aihistory-log-leaf v1", "aihistory-log-leaf v2"), "begins with"},
      {replace("kind updated", "kind edited"), "kind 'edited'"},
      {replace("version 2", "version 02"), "version '02'"},
      {replace("version 2", "version 0"), "version '0'"},
      {replace("id abc", "id a%41c"), "escapes a byte"},
      {replace("id abc", "id a%4"), "bad %-escape"},
      {replace("user u1", "owner u1"), "user line"},
      {good.substr(0, good.size() - 1), "sha256"},
      {good + "x\n", "after its sha256"},
      {replace("sha256 44", "sha256 4G"), "hex digits"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseLeaf(c.text);
    EXPECT_EQ(parsed.status().code(), Code::kBadRequest) << c.text;
    EXPECT_NE(parsed.status().message().find(c.message), std::string::npos) << parsed.status().message();
  }
}

}  // namespace
}  // namespace aih::integrity
