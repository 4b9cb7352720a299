#include "odata/search_terms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aih::odata {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SearchTerms, AsciiWordsAreLowerCasedAndSplitAtPunctuation) {
  EXPECT_THAT(SearchTerms("Hello, World! e-mail x_y https://Example.com/a?b=1"),
              ElementsAre("hello", "world", "e", "mail", "x", "y", "https", "example", "com", "a", "b", "1"));
  EXPECT_THAT(SearchTerms("  ,;:!  "), IsEmpty());
}

TEST(SearchTerms, CaseAndDiacriticsFold) {
  EXPECT_THAT(SearchTerms("Müller MÜLLER muller"), ElementsAre("muller", "muller", "muller"));
  EXPECT_THAT(SearchTerms("Straße STRASSE"), ElementsAre("strasse", "strasse"));
  EXPECT_THAT(SearchTerms("Café crème à l'Élysée"), ElementsAre("cafe", "creme", "a", "l", "elysee"));
  EXPECT_THAT(SearchTerms("ΣΟΦΊΑ σοφία"), ElementsAre("σοφια", "σοφια"));
  EXPECT_THAT(SearchTerms("Привет ПРИВЕТ"), ElementsAre("привет", "привет"));
  // A decomposed "é" (e + U+0301) folds as the composed one does.
  EXPECT_THAT(SearchTerms("Cafe\xCC\x81"), ElementsAre("cafe"));
  // Full-width letters and ligatures are their plain forms.
  EXPECT_THAT(SearchTerms("ＡＢＣ １２３ ﬁle"), ElementsAre("abc", "123", "file"));
}

TEST(SearchTerms, UnspacedScriptsBecomeOverlappingPairs) {
  EXPECT_THAT(SearchTerms("東京都"), ElementsAre("東京", "京都"));
  EXPECT_THAT(SearchTerms("猫"), ElementsAre("猫"));
  EXPECT_THAT(SearchTerms("データベース"), ElementsAre("デー", "ータ", "タベ", "ベー", "ース"));
  EXPECT_THAT(SearchTerms("ภาษา"), ElementsAre("ภา", "าษ", "ษา"));
  // The kana's voicing marks stay: they change the word.
  EXPECT_THAT(SearchTerms("がか"), ElementsAre("がか"));
}

TEST(SearchTerms, MixedScriptsSplitWhereTheScriptChanges) {
  EXPECT_THAT(SearchTerms("iPhone手机很好 2024年"), ElementsAre("iphone", "手机", "机很", "很好", "2024", "年"));
  EXPECT_THAT(SearchTerms("Über東京"), ElementsAre("uber", "東京"));
}

TEST(SearchTerms, LongWordsAreCutTheSameWay) {
  const std::string ascii(500, 'a');
  ASSERT_EQ(SearchTerms(ascii).size(), 1u);
  EXPECT_EQ(SearchTerms(ascii)[0].size(), kMaxTermBytes);
  // Non-ASCII text takes the other path; an ASCII word in it is cut at the same length.
  EXPECT_EQ(SearchTerms(ascii + " ü")[0], SearchTerms(ascii)[0]);
}

TEST(SearchTerms, InvalidUtf8IsNoTerm) {
  EXPECT_THAT(SearchTerms("ab\xFF\xFE" "cd"), ElementsAre("ab", "cd"));
}

}  // namespace
}  // namespace aih::odata
