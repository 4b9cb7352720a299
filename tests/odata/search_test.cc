#include "odata/search.h"

#include <gtest/gtest.h>

#include <string>

namespace aih::odata {
namespace {

std::string Tree(std::string_view query) {
  auto search = Search::Parse(query);
  EXPECT_TRUE(search.ok()) << query << ": " << search.status().message();
  return search.ok() ? search->ToString() : "";
}

std::string Refusal(std::string_view query) {
  auto search = Search::Parse(query);
  EXPECT_FALSE(search.ok()) << query << " was accepted as " << (search.ok() ? search->ToString() : "");
  if (!search.ok()) {
    EXPECT_EQ(search.status().code(), Code::kBadRequest) << query;
  }
  return search.ok() ? "" : search.status().message();
}

TEST(Search, WordsPhrasesPrefixesAndOperators) {
  EXPECT_EQ(Tree("budget"), "budget");
  EXPECT_EQ(Tree("quarterly budget"), "(AND quarterly budget)");  // side by side: both
  EXPECT_EQ(Tree("quarterly AND budget"), "(AND quarterly budget)");
  EXPECT_EQ(Tree("a OR b c"), "(OR a (AND b c))");  // AND binds tighter than OR
  EXPECT_EQ(Tree("(a OR b) c"), "(AND (OR a b) c)");
  EXPECT_EQ(Tree("\"exact phrase\" budg*"), "(AND \"exact phrase\" budg*)");
  EXPECT_EQ(Tree("budget NOT draft"), "(AND budget (NOT draft))");
  EXPECT_EQ(Tree("budget -draft"), "(AND budget (NOT draft))");
  EXPECT_EQ(Tree("a AND (b AND c)"), "(AND a b c)");  // flattened
  EXPECT_EQ(Tree("budget and or not"), "(AND budget and or not)");  // lower case: words
}

TEST(Search, PropertyRestrictions) {
  EXPECT_EQ(Tree("appClass:IPM.SkypeTeams.Message.Copilot.Word budget"),
            "(AND appClass:IPM.SkypeTeams.Message.Copilot.Word budget)");
  EXPECT_EQ(Tree("FROM:adele"), "from:adele");  // property names ignore case, as in KQL
  EXPECT_EQ(Tree("sessionId:\"19:abc@thread.v2\""), "sessionId:\"19:abc@thread.v2\"");
  EXPECT_EQ(Tree("interactionType:aiResponse"), "interactionType:aiResponse");
  // A colon after anything else is part of the word: URLs are searchable as they are written.
  EXPECT_EQ(Tree("https://contoso.sharepoint.com/budget.xlsx"), "https://contoso.sharepoint.com/budget.xlsx");
}

TEST(Search, EveryScriptIsText) {
  EXPECT_EQ(Tree("予算 会議"), "(AND 予算 会議)");
  EXPECT_EQ(Tree("\"Überprüfung des Budgets\""), "\"Überprüfung des Budgets\"");
  EXPECT_EQ(Tree("งบประมาณ*"), "งบประมาณ*");
  EXPECT_EQ(Tree("e-mail C++ a^b"), "(AND e-mail C++ a^b)");  // punctuation inside a word is the word's
}

TEST(Search, BadQueriesNameTheTokenAndPosition) {
  EXPECT_EQ(Refusal("budget \"unclosed"), "$search: a quote is not closed (at character 8)");
  EXPECT_EQ(Refusal("(a OR b"), "$search: '(' is not closed (at character 1)");
  EXPECT_EQ(Refusal("a OR b)"), "$search: ')' is not expected here (at character 7)");
  EXPECT_EQ(Refusal("NOT"), "$search: 'NOT' needs a term after it (at character 1)");
  EXPECT_EQ(Refusal("a AND"), "$search: 'AND' needs a term after it (at character 3)");
  EXPECT_EQ(Refusal("OR b"), "$search: 'OR' needs a term before it (at character 1)");
  EXPECT_EQ(Refusal("*"), "$search: '*' is a wildcard with nothing before it to search for (at character 1)");
  EXPECT_EQ(Refusal("bu*dget"), "$search: 'bu*dget' has a '*' that does not end it: only a trailing * is a wildcard "
                                "(at character 1)");
  EXPECT_EQ(Refusal("!!! ,,, ..."), "$search: '!!!' has no letter or digit to search for (at character 1)");
  EXPECT_NE(Refusal("budget NEAR draft").find("NEAR is not supported"), std::string::npos);
  EXPECT_NE(Refusal("NOT draft").find("only excludes"), std::string::npos);
  EXPECT_NE(Refusal("budget OR -draft").find("only excludes"), std::string::npos);
  EXPECT_NE(Refusal("appClass:").find("needs a value"), std::string::npos);
  EXPECT_EQ(Refusal(""), "$search is empty: give the words to find");
  EXPECT_EQ(Refusal("   "), "$search is empty: give the words to find");
  EXPECT_NE(Refusal("caf\xc3").find("not valid UTF-8 (at byte 4)"), std::string::npos);
  // Positions count characters, not bytes.
  EXPECT_EQ(Refusal("予算 \"x"), "$search: a quote is not closed (at character 4)");
}

TEST(Search, HostileSizesAreRefusedBeforeAnyWork) {
  std::string many;
  for (int i = 0; i < 10'000; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_NE(Refusal(many).find("at most"), std::string::npos);
  EXPECT_NE(Refusal(std::string(1 << 20, 'a')).find("bytes long; at most 4096"), std::string::npos);
  std::string deep = std::string(Search::kMaxDepth + 1, '(') + "a" + std::string(Search::kMaxDepth + 1, ')');
  EXPECT_NE(Refusal(deep).find("nests deeper than"), std::string::npos);
  std::string nots;
  for (int i = 0; i < 50; ++i) nots += "NOT ";
  EXPECT_NE(Refusal(nots + "a").find("nests deeper than"), std::string::npos);
  // At the limits it is accepted.
  std::string hundred;
  for (int i = 0; i < Search::kMaxTerms; ++i) hundred += "w" + std::to_string(i) + " ";
  EXPECT_TRUE(Search::Parse(hundred).ok());
}

}  // namespace
}  // namespace aih::odata
