#include "base/utf8.h"

#include <gtest/gtest.h>

namespace aih {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(ValidUtf8Test, WellFormedTextIsUnchanged) {
  for (std::string text : {"", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC 1", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_EQ(ValidUtf8(text), text);
  }
}

TEST(ValidUtf8Test, EachIllFormedSequenceBecomesOneReplacementCharacter) {
  EXPECT_EQ(ValidUtf8("a\xFF" "b"), "a" + kFffd + "b");                 // never in UTF-8
  EXPECT_EQ(ValidUtf8("a\x80" "b"), "a" + kFffd + "b");                 // stray continuation
  EXPECT_EQ(ValidUtf8("a\xC3"), "a" + kFffd);                           // truncated at the end
  EXPECT_EQ(ValidUtf8("\xE2\x82" "x"), kFffd + "x");                    // truncated prefix: one U+FFFD
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), kFffd + kFffd);                      // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);          // a surrogate
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  EXPECT_EQ(ValidUtf8("\xC3\xA9\xFF\xC3\xA9"), "\xC3\xA9" + kFffd + "\xC3\xA9");
}

TEST(HasControlCharacterTest, C0DelAndC1ControlsButNoOtherCharacter) {
  EXPECT_TRUE(HasControlCharacter(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharacter("tab\there"));
  EXPECT_TRUE(HasControlCharacter("del\x7F"));
  EXPECT_TRUE(HasControlCharacter("c1 \xC2\x85"));   // U+0085, next line
  EXPECT_FALSE(HasControlCharacter("nbsp \xC2\xA0"));  // U+00A0, the first after C1
  EXPECT_FALSE(HasControlCharacter("caf\xC3\xA9 \xE6\x9D\xB1"));
  EXPECT_FALSE(HasControlCharacter("\xC2"));  // a lone lead byte is not a control (nor UTF-8)
  EXPECT_FALSE(HasControlCharacter(""));
}

}  // namespace
}  // namespace aih
