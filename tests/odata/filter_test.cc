#include "odata/filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace aih::odata {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Kind = FilterNode::Kind;

Filter MustParse(std::string_view text) {
  Result<Filter> f = Filter::Parse(text);
  EXPECT_TRUE(f.ok()) << text << " -> " << f.status().message();
  if (!f.ok()) std::abort();
  return *f;
}

// The message of the refusal of `text` (and a failure if it parses).
std::string ErrorOf(std::string_view text) {
  Result<Filter> f = Filter::Parse(text);
  EXPECT_FALSE(f.ok()) << "parsed: " << text;
  if (f.ok()) return "";
  EXPECT_EQ(f.status().code(), Code::kBadRequest);
  return f.status().message();
}

std::string Canonical(std::string_view text) { return MustParse(text).Canonical(); }

int64_t Ticks(std::string_view iso) { return model::Timestamp::Parse(iso)->ticks; }

// ----- grammar -----

TEST(FilterParse, OneComparisonPerProperty) {
  struct Case {
    const char* text;
    Property property;
    Op op;
    const char* value;
  } cases[] = {
      {"appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'", Property::kAppClass, Op::kEq,
       "IPM.SkypeTeams.Message.Copilot.Word"},
      {"appClass ne 'x'", Property::kAppClass, Op::kNe, "x"},
      {"conversationType eq 'appchat'", Property::kConversationType, Op::kEq, "appchat"},
      {"conversationType ne 'bizchat'", Property::kConversationType, Op::kNe, "bizchat"},
      {"interactionType eq 'userPrompt'", Property::kInteractionType, Op::kEq, "userPrompt"},
      {"interactionType ne 'aiResponse'", Property::kInteractionType, Op::kNe, "aiResponse"},
      {"interactionType eq 'unknownFutureValue'", Property::kInteractionType, Op::kEq, "unknownFutureValue"},
      {"locale eq 'en-us'", Property::kLocale, Op::kEq, "en-us"},
      {"locale ne 'fr-fr'", Property::kLocale, Op::kNe, "fr-fr"},
      {"sessionId eq '19:abc@thread.v2'", Property::kSessionId, Op::kEq, "19:abc@thread.v2"},
      {"requestId eq 'r-1'", Property::kRequestId, Op::kEq, "r-1"},
      {"id eq '1731412345678'", Property::kId, Op::kEq, "1731412345678"},
  };
  for (const Case& c : cases) {
    Filter f = MustParse(c.text);
    ASSERT_EQ(f.root().kind, Kind::kComparison) << c.text;
    EXPECT_EQ(f.root().comparison.property, c.property) << c.text;
    EXPECT_EQ(f.root().comparison.op, c.op) << c.text;
    EXPECT_EQ(f.root().comparison.text, c.value) << c.text;
  }
}

TEST(FilterParse, DateTimeOperatorsAndBothDateForms) {
  const int64_t utc = Ticks("2026-01-15T10:30:00Z");
  EXPECT_EQ(utc, 17684730000000000);  // 1768473000 s since the epoch
  const std::pair<const char*, Op> ops[] = {{"gt", Op::kGt}, {"ge", Op::kGe}, {"lt", Op::kLt}, {"le", Op::kLe}};
  for (const auto& [name, op] : ops) {
    Filter f = MustParse(std::string("createdDateTime ") + name + " 2026-01-15T10:30:00Z");
    EXPECT_EQ(f.root().comparison.property, Property::kCreatedDateTime);
    EXPECT_EQ(f.root().comparison.op, op);
    EXPECT_EQ(f.root().comparison.ticks, utc);
  }
  // With an offset and seven fractional digits: 10:30 at +02:00 is 08:30Z.
  Filter f = MustParse("createdDateTime ge 2026-01-15T10:30:00.1234567+02:00");
  EXPECT_EQ(f.root().comparison.ticks, utc - 2 * 3600 * 10'000'000LL + 1'234'567);
}

TEST(FilterParse, AndBindsTighterThanOr) {
  Filter f = MustParse("locale eq 'a' or locale eq 'b' and appClass eq 'c'");
  const FilterNode& root = f.root();
  ASSERT_EQ(root.kind, Kind::kOr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0]->kind, Kind::kComparison);
  EXPECT_EQ(root.children[0]->comparison.text, "a");
  ASSERT_EQ(root.children[1]->kind, Kind::kAnd);
  EXPECT_EQ(root.children[1]->children[0]->comparison.text, "b");
  EXPECT_EQ(root.children[1]->children[1]->comparison.text, "c");
}

TEST(FilterParse, ParenthesesOverridePrecedence) {
  Filter f = MustParse("(locale eq 'a' or locale eq 'b') and appClass eq 'c'");
  const FilterNode& root = f.root();
  ASSERT_EQ(root.kind, Kind::kAnd);
  ASSERT_EQ(root.children.size(), 2u);
  ASSERT_EQ(root.children[0]->kind, Kind::kOr);
  EXPECT_EQ(root.children[0]->children.size(), 2u);
  EXPECT_EQ(root.children[1]->comparison.text, "c");
}

TEST(FilterParse, SameKindGroupsAreFlattened) {
  for (const char* text : {"locale eq 'a' and locale eq 'b' and locale eq 'c'",
                           "locale eq 'a' and (locale eq 'b' and locale eq 'c')",
                           "((locale eq 'a' and locale eq 'b')) and (locale eq 'c')"}) {
    Filter f = MustParse(text);
    ASSERT_EQ(f.root().kind, Kind::kAnd) << text;
    ASSERT_EQ(f.root().children.size(), 3u) << text;
    for (const auto& child : f.root().children) EXPECT_EQ(child->kind, Kind::kComparison) << text;
  }
  Filter f = MustParse("(((locale eq 'a')))");
  EXPECT_EQ(f.root().kind, Kind::kComparison);
}

TEST(FilterParse, WhitespaceIsFlexible) {
  for (const char* text : {"  locale   eq\t'a'  ", "\tlocale eq 'a'\t", "(locale eq 'a')", "( locale eq 'a' )",
                           "locale eq'a'"}) {
    Filter f = MustParse(text);
    EXPECT_EQ(f.root().comparison.text, "a") << text;
  }
  MustParse("(locale eq 'a')and(locale eq 'b')");
  MustParse("locale eq 'a'\tor\tlocale eq 'b'");
}

TEST(FilterParse, StringLiterals) {
  EXPECT_EQ(MustParse("locale eq 'it''s'").root().comparison.text, "it's");
  EXPECT_EQ(MustParse("locale eq ''").root().comparison.text, "");
  EXPECT_EQ(MustParse("locale eq ''''").root().comparison.text, "'");
  EXPECT_EQ(MustParse("locale eq ''''''").root().comparison.text, "''");
  EXPECT_EQ(MustParse("locale eq 'a and b or (c)'").root().comparison.text, "a and b or (c)");
  EXPECT_EQ(MustParse("locale eq '  spaced\tout  '").root().comparison.text, "  spaced\tout  ");
  EXPECT_EQ(MustParse("sessionId eq '漢字 ✓ 🎉 é'").root().comparison.text, "漢字 ✓ 🎉 é");
}

TEST(FilterParse, KeywordsAndNamesAreCaseSensitive) {
  EXPECT_THAT(ErrorOf("locale eq 'a' AND locale eq 'b'"), HasSubstr("unexpected 'AND' at position 15"));
  EXPECT_THAT(ErrorOf("Locale eq 'a'"), HasSubstr("did you mean 'locale'?"));
  EXPECT_THAT(ErrorOf("locale Eq 'a'"), HasSubstr("unknown operator 'Eq' at position 8 (operators are lowercase)"));
}

// ----- errors: each names the token and its 1-based character position -----

TEST(FilterErrors, UnknownProperty) {
  EXPECT_EQ(ErrorOf("foo eq 'x'"),
            "$filter: unknown property 'foo' at position 1; filterable properties are appClass, conversationType, "
            "createdDateTime, id, interactionType, locale, requestId, sessionId");
  EXPECT_THAT(ErrorOf("appClass eq 'x' and body eq 'y'"), HasSubstr("unknown property 'body' at position 21"));
}

TEST(FilterErrors, NotIsRefused) {
  EXPECT_THAT(ErrorOf("not locale eq 'a'"), HasSubstr("the 'not' operator is not supported ('not' at position 1)"));
  EXPECT_THAT(ErrorOf("not(locale eq 'a')"), HasSubstr("the 'not' operator is not supported"));
  EXPECT_THAT(ErrorOf("locale eq 'a' and not locale eq 'b'"), HasSubstr("'not' at position 19"));
}

TEST(FilterErrors, FunctionsAreRefused) {
  EXPECT_THAT(ErrorOf("contains(appClass,'Copilot')"),
              HasSubstr("functions are not supported: 'contains' at position 1"));
  EXPECT_THAT(ErrorOf("locale eq 'a' or startswith(appClass, 'IPM')"),
              HasSubstr("functions are not supported: 'startswith' at position 18"));
}

TEST(FilterErrors, NestedPathsAreRefused) {
  EXPECT_THAT(ErrorOf("from/user/id eq 'u1'"),
              HasSubstr("only top-level properties can be filtered; 'from/user/id' at position 1 is a nested path"));
}

TEST(FilterErrors, WrongOperatorNamesBothAndListsAllowed) {
  EXPECT_EQ(ErrorOf("createdDateTime eq 2026-01-15T10:30:00Z"),
            "$filter: operator 'eq' at position 17 is not allowed for createdDateTime; createdDateTime allows gt, "
            "ge, lt and le");
  EXPECT_EQ(ErrorOf("id ne 'x'"), "$filter: operator 'ne' at position 4 is not allowed for id; id allows only eq");
  EXPECT_THAT(ErrorOf("appClass gt 'x'"), HasSubstr("appClass allows eq and ne"));
  EXPECT_THAT(ErrorOf("sessionId ne 'x'"), HasSubstr("sessionId allows only eq"));
  EXPECT_THAT(ErrorOf("requestId ge 'x'"), HasSubstr("requestId allows only eq"));
  EXPECT_THAT(ErrorOf("locale has 'x'"), HasSubstr("unknown operator 'has' at position 8; locale allows eq and ne"));
  EXPECT_THAT(ErrorOf("locale in ('a','b')"), HasSubstr("the 'in' operator at position 8 is not supported"));
}

TEST(FilterErrors, InteractionTypeOutsideTheEnum) {
  EXPECT_THAT(ErrorOf("interactionType eq 'UserPrompt'"),
              HasSubstr("interactionType value 'UserPrompt' at position 20 is not one of 'userPrompt', 'aiResponse', "
                        "'unknownFutureValue'"));
  EXPECT_THAT(ErrorOf("interactionType ne 'chat'"), HasSubstr("'chat' at position 20"));
}

TEST(FilterErrors, MalformedLiterals) {
  EXPECT_EQ(ErrorOf("locale eq 'en-us"),
            "$filter: unterminated string starting at position 11; end it with ' (and write '' for a quote inside it)");
  EXPECT_EQ(ErrorOf("locale eq 'it's'"),
            "$filter: unexpected 's' at position 15; expected 'and', 'or' or the end of the filter (to put a quote "
            "inside a string, write it twice: 'it''s')");
  EXPECT_THAT(ErrorOf("(locale eq 'it's')"), HasSubstr("write it twice"));
  EXPECT_THAT(ErrorOf("locale eq 'a' s"), Not(HasSubstr("write it twice")));
  EXPECT_THAT(ErrorOf("appClass eq IPM.Copilot"),
              HasSubstr("the value 'IPM.Copilot' at position 13 compared with appClass must be a string in single "
                        "quotes, like 'IPM.Copilot'"));
  EXPECT_THAT(ErrorOf("interactionType eq userPrompt"), HasSubstr("must be a string in single quotes"));
  EXPECT_THAT(ErrorOf("locale eq null"), HasSubstr("'null' at position 11: comparing locale with null is not supported"));
  EXPECT_THAT(ErrorOf("createdDateTime gt '2026-01-15T10:30:00Z'"),
              HasSubstr("the date '2026-01-15T10:30:00Z' at position 20 must not be quoted; write createdDateTime gt "
                        "2026-01-15T10:30:00Z"));
  EXPECT_THAT(ErrorOf("createdDateTime gt 2026-13-15T10:30:00Z"),
              HasSubstr("invalid createdDateTime value at position 20: '2026-13-15T10:30:00Z' is not a valid "
                        "DateTimeOffset"));
  EXPECT_THAT(ErrorOf("createdDateTime gt 2026-01-15"), HasSubstr("at position 20"));
  EXPECT_THAT(ErrorOf("createdDateTime gt 2026-01-15T10:30:00"), HasSubstr("no UTC offset"));
  // In range locally, but not in UTC: Canonical() could not write it back.
  EXPECT_THAT(ErrorOf("createdDateTime gt 1601-01-01T00:30:00+01:00"),
              HasSubstr("at position 20: '1601-01-01T00:30:00+01:00' is not a valid DateTimeOffset"));
  EXPECT_THAT(ErrorOf("createdDateTime gt 9999-12-31T23:30:00-01:00"), HasSubstr("at position 20"));
}

TEST(FilterErrors, AnOffsetWhosePlusBecameASpaceGetsAHint) {
  // "...+02:00" sent raw in a query string arrives as "... 02:00".
  EXPECT_THAT(ErrorOf("createdDateTime gt 2026-01-15T10:30:00 02:00"),
              HasSubstr("its '+' became a space, because '+' means a space in a query string; encode it as %2B"));
}

TEST(FilterErrors, StructureErrors) {
  EXPECT_THAT(ErrorOf(""), HasSubstr("$filter is empty"));
  EXPECT_THAT(ErrorOf(" \t "), HasSubstr("$filter is empty"));
  EXPECT_EQ(ErrorOf("(locale eq 'a'"), "$filter: the '(' at position 1 is never closed; add a ')'");
  EXPECT_EQ(ErrorOf("locale eq 'a')"), "$filter: unexpected ')' at position 14 with no matching '('");
  EXPECT_EQ(ErrorOf("locale eq 'a' locale eq 'b'"),
            "$filter: unexpected 'locale' at position 15; expected 'and', 'or' or the end of the filter");
  EXPECT_THAT(ErrorOf("(locale eq 'a' 'b')"),
              HasSubstr("unexpected the string 'b' at position 16; expected 'and', 'or' or the ')' closing the '(' "
                        "at position 1"));
  EXPECT_EQ(ErrorOf("locale eq 'a' and"), "$filter: the filter ends at position 18 where a comparison was expected");
  EXPECT_THAT(ErrorOf("locale eq 'a' and or locale eq 'b'"), HasSubstr("expected a comparison at position 19 but found 'or'"));
  EXPECT_THAT(ErrorOf("()"), HasSubstr("unexpected ')' at position 2 where a comparison was expected"));
  EXPECT_THAT(ErrorOf("locale"), HasSubstr("'locale' at position 1 is not followed by an operator"));
  EXPECT_THAT(ErrorOf("locale ("), HasSubstr("functions are not supported"));
  EXPECT_THAT(ErrorOf("locale 'a'"), HasSubstr("expected an operator after 'locale' at position 8 but found the string 'a'"));
  EXPECT_THAT(ErrorOf("locale eq"), HasSubstr("the filter ends at position 10 where the value compared with locale"));
  EXPECT_THAT(ErrorOf("locale eq )"), HasSubstr("expected the value compared with locale at position 11 but found ')'"));
  EXPECT_THAT(ErrorOf("'a' eq locale"), HasSubstr("expected a property name at position 1 but found the string 'a'"));
}

TEST(FilterErrors, PositionsCountCharactersNotBytes) {
  // 'é' and '漢' are 2 and 3 bytes; positions are what a person counts.
  EXPECT_THAT(ErrorOf("locale eq 'é漢' and foo eq 'x'"), HasSubstr("'foo' at position 20"));
  EXPECT_THAT(ErrorOf("locale eq '🎉' bar"), HasSubstr("'bar' at position 15"));
}

TEST(FilterErrors, LongTokensAreCutInMessages) {
  const std::string name(5000, 'x');
  const std::string message = ErrorOf(name + " eq 'a'");
  EXPECT_LT(message.size(), 300u);
  EXPECT_THAT(message, HasSubstr("'" + std::string(64, 'x') + "...'"));
  // Cut on a character boundary: the message stays valid UTF-8.
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "漢";
  EXPECT_THAT(ErrorOf(wide + " eq 'a'"), HasSubstr("'" + wide.substr(0, 64 * 3) + "...'"));
}

TEST(FilterErrors, InvalidUtf8AndNulAreRefused) {
  EXPECT_THAT(ErrorOf("locale eq '\xff'"), HasSubstr("$filter is not valid UTF-8 (at byte 12)"));
  EXPECT_THAT(ErrorOf("locale eq '\xc0\xaf'"), HasSubstr("not valid UTF-8"));  // overlong '/'
  EXPECT_THAT(ErrorOf(std::string("locale eq 'a\0b'", 16)), HasSubstr("a NUL character at position 13"));
}

// ----- hostile input -----

std::string Nested(int depth) {
  return std::string(depth, '(') + "locale eq 'a'" + std::string(depth, ')');
}

TEST(FilterLimits, NestingUpToTheLimitIsAccepted) {
  Filter f = MustParse(Nested(Filter::kMaxDepth));
  EXPECT_EQ(f.root().kind, Kind::kComparison);
}

TEST(FilterLimits, NestingBeyondTheLimitIsRefused) {
  EXPECT_EQ(ErrorOf(Nested(Filter::kMaxDepth + 1)),
            "$filter: the filter is nested more than 32 levels deep; the '(' at position 33 is one too many");
  EXPECT_THAT(ErrorOf(std::string(1000, '(')), HasSubstr("nested more than 32 levels deep"));
  EXPECT_THAT(ErrorOf(std::string(Filter::kMaxLength, '(')), HasSubstr("nested more than 32 levels deep"));
}

TEST(FilterLimits, LengthIsCapped) {
  const std::string base = "locale eq '";
  std::string ok = base + std::string(Filter::kMaxLength - base.size() - 1, 'a') + "'";
  ASSERT_EQ(ok.size(), Filter::kMaxLength);
  MustParse(ok);
  std::string too_long = base + std::string(Filter::kMaxLength - base.size(), 'a') + "'";
  EXPECT_THAT(ErrorOf(too_long), HasSubstr("$filter is 8193 bytes long, more than the 8192 allowed"));
}

TEST(FilterLimits, ComparisonsAreCapped) {
  auto chain = [](int n) {
    std::string s = "id eq '0'";
    for (int i = 1; i < n; ++i) s += " or id eq '" + std::to_string(i) + "'";
    return s;
  };
  Filter f = MustParse(chain(Filter::kMaxComparisons));
  EXPECT_EQ(f.root().children.size(), static_cast<size_t>(Filter::kMaxComparisons));
  EXPECT_THAT(ErrorOf(chain(Filter::kMaxComparisons + 1)), HasSubstr("more than 200 comparisons"));
}

// ----- canonical form -----

TEST(FilterCanonical, WhitespaceAndRedundantParenthesesDoNotMatter) {
  const std::string expected = "appClass eq 'a' and (locale eq 'b' or locale eq 'c')";
  for (const char* text : {"appClass eq 'a' and (locale eq 'b' or locale eq 'c')",
                           "  appClass\teq 'a'   and(locale eq'b' or (locale eq 'c'))",
                           "((appClass eq 'a') and ((locale eq 'b') or locale eq 'c'))",
                           "(appClass eq 'a' and (locale eq 'b' or (locale eq 'c')))"}) {
    EXPECT_EQ(Canonical(text), expected) << text;
  }
  EXPECT_EQ(Canonical("locale eq 'a' or locale eq 'b' and locale eq 'c'"),
            "locale eq 'a' or locale eq 'b' and locale eq 'c'");
  EXPECT_EQ(Canonical("(locale eq 'a' or locale eq 'b') or (locale eq 'c' or locale eq 'd')"),
            "locale eq 'a' or locale eq 'b' or locale eq 'c' or locale eq 'd'");
}

TEST(FilterCanonical, QuotesAreReEscapedAndUnicodeKept) {
  EXPECT_EQ(Canonical("locale eq 'it''s'"), "locale eq 'it''s'");
  EXPECT_EQ(Canonical("sessionId eq '漢字 🎉'"), "sessionId eq '漢字 🎉'");
}

TEST(FilterCanonical, DatesAreUtcWithTheFewestDigits) {
  EXPECT_EQ(Canonical("createdDateTime gt 2026-01-15T10:30:00.1200000+02:00"),
            "createdDateTime gt 2026-01-15T08:30:00.12Z");
  EXPECT_EQ(Canonical("createdDateTime gt 2026-01-15T08:30:00.12z"), "createdDateTime gt 2026-01-15T08:30:00.12Z");
  EXPECT_EQ(Canonical("createdDateTime lt 2026-01-15t08:30:00.000Z"), "createdDateTime lt 2026-01-15T08:30:00Z");
  EXPECT_EQ(Canonical("createdDateTime lt 1969-12-31T23:59:59.9999999Z"),
            "createdDateTime lt 1969-12-31T23:59:59.9999999Z");
}

TEST(FilterCanonical, DifferentMeaningsGiveDifferentText) {
  EXPECT_NE(Canonical("locale eq 'a'"), Canonical("locale ne 'a'"));
  EXPECT_NE(Canonical("locale eq 'a'"), Canonical("locale eq 'A'"));
  EXPECT_NE(Canonical("createdDateTime gt 2026-01-15T10:30:00Z"), Canonical("createdDateTime gt 2026-01-15T10:30:00.0000001Z"));
  EXPECT_NE(Canonical("(locale eq 'a' or locale eq 'b') and locale eq 'c'"),
            Canonical("locale eq 'a' or locale eq 'b' and locale eq 'c'"));
  EXPECT_NE(Canonical("locale eq 'a'' or locale eq ''b'"), Canonical("locale eq 'a' or locale eq 'b'"));
}

TEST(FilterCanonical, ReparsesToItself) {
  for (const char* text :
       {"locale eq 'a'", "locale eq 'a' or appClass eq 'b' and (id eq 'c' or requestId eq 'd')",
        "((createdDateTime ge 2026-01-01T00:00:00+05:30 and createdDateTime lt 2026-02-01T00:00:00.5Z) or "
        "interactionType eq 'aiResponse') and conversationType ne 'it''s'",
        "createdDateTime ge 1601-01-01T00:00:00Z and createdDateTime le 9999-12-31T23:59:59.9999999Z"}) {
    const std::string canonical = Canonical(text);
    EXPECT_EQ(Canonical(canonical), canonical) << text;
  }
  // Canonical text is never deeper than its input.
  const std::string deep = Canonical(Nested(Filter::kMaxDepth));
  EXPECT_EQ(Canonical(deep), deep);
}

TEST(FilterNames, PropertyAndOpNames) {
  EXPECT_STREQ(PropertyName(Property::kAppClass), "appClass");
  EXPECT_STREQ(PropertyName(Property::kConversationType), "conversationType");
  EXPECT_STREQ(PropertyName(Property::kInteractionType), "interactionType");
  EXPECT_STREQ(PropertyName(Property::kLocale), "locale");
  EXPECT_STREQ(PropertyName(Property::kSessionId), "sessionId");
  EXPECT_STREQ(PropertyName(Property::kRequestId), "requestId");
  EXPECT_STREQ(PropertyName(Property::kId), "id");
  EXPECT_STREQ(PropertyName(Property::kCreatedDateTime), "createdDateTime");
  EXPECT_STREQ(OpName(Op::kEq), "eq");
  EXPECT_STREQ(OpName(Op::kNe), "ne");
  EXPECT_STREQ(OpName(Op::kGt), "gt");
  EXPECT_STREQ(OpName(Op::kGe), "ge");
  EXPECT_STREQ(OpName(Op::kLt), "lt");
  EXPECT_STREQ(OpName(Op::kLe), "le");
}

// ----- evaluation -----

model::Interaction Sample() {
  model::Interaction i;
  i.id = "1768473000000";
  i.session_id = "s1";
  i.request_id = "r1";
  i.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
  i.interaction_type = model::InteractionType::kAiResponse;
  i.conversation_type = "appchat";
  i.created.ticks = Ticks("2026-01-15T10:30:00Z");
  i.locale = std::nullopt;
  return i;
}

bool Matches(std::string_view text, const model::Interaction& i = Sample()) { return MustParse(text).Matches(i); }

TEST(FilterMatches, StringProperties) {
  EXPECT_TRUE(Matches("appClass eq 'IPM.SkypeTeams.Message.Copilot.Teams'"));
  EXPECT_FALSE(Matches("appClass eq 'IPM.SkypeTeams.Message.Copilot.teams'"));  // case-sensitive
  EXPECT_TRUE(Matches("appClass ne 'IPM.SkypeTeams.Message.Copilot.Word'"));
  EXPECT_FALSE(Matches("appClass ne 'IPM.SkypeTeams.Message.Copilot.Teams'"));
  EXPECT_TRUE(Matches("conversationType eq 'appchat'"));
  EXPECT_FALSE(Matches("conversationType ne 'appchat'"));
  EXPECT_TRUE(Matches("sessionId eq 's1'"));
  EXPECT_FALSE(Matches("sessionId eq 's2'"));
  EXPECT_TRUE(Matches("requestId eq 'r1'"));
  EXPECT_TRUE(Matches("id eq '1768473000000'"));
  EXPECT_FALSE(Matches("id eq '1768473000001'"));
}

TEST(FilterMatches, NullPropertiesFollowODataSemantics) {
  // locale is null in Sample().
  EXPECT_FALSE(Matches("locale eq 'en-us'"));
  EXPECT_FALSE(Matches("locale eq ''"));
  EXPECT_TRUE(Matches("locale ne 'en-us'"));
  EXPECT_TRUE(Matches("locale ne ''"));
  model::Interaction i = Sample();
  i.session_id.reset();
  i.conversation_type.reset();
  EXPECT_FALSE(Matches("sessionId eq 's1'", i));
  EXPECT_TRUE(Matches("conversationType ne 'appchat'", i));
  i.locale = "";
  EXPECT_TRUE(Matches("locale eq ''", i));
  EXPECT_FALSE(Matches("locale ne ''", i));
}

TEST(FilterMatches, InteractionTypeByGraphName) {
  EXPECT_TRUE(Matches("interactionType eq 'aiResponse'"));
  EXPECT_FALSE(Matches("interactionType eq 'userPrompt'"));
  EXPECT_TRUE(Matches("interactionType ne 'userPrompt'"));
  model::Interaction i = Sample();
  i.interaction_type = model::InteractionType::kUnknownFutureValue;
  EXPECT_TRUE(Matches("interactionType eq 'unknownFutureValue'", i));
  i.interaction_type = model::InteractionType::kUserPrompt;
  EXPECT_TRUE(Matches("interactionType eq 'userPrompt'", i));
}

TEST(FilterMatches, CreatedDateTimeByTicks) {
  EXPECT_TRUE(Matches("createdDateTime ge 2026-01-15T10:30:00Z"));
  EXPECT_FALSE(Matches("createdDateTime gt 2026-01-15T10:30:00Z"));
  EXPECT_TRUE(Matches("createdDateTime le 2026-01-15T12:30:00+02:00"));  // the same instant
  EXPECT_FALSE(Matches("createdDateTime lt 2026-01-15T12:30:00+02:00"));
  EXPECT_TRUE(Matches("createdDateTime gt 2026-01-15T10:29:59.9999999Z"));
  EXPECT_FALSE(Matches("createdDateTime gt 2026-01-15T10:30:00.0000001Z"));
  EXPECT_TRUE(Matches("createdDateTime lt 2026-01-15T10:30:00.0000001Z"));
}

TEST(FilterMatches, AndOrAndPrecedence) {
  EXPECT_TRUE(Matches("locale eq 'x' or sessionId eq 's1'"));
  EXPECT_FALSE(Matches("locale eq 'x' and sessionId eq 's1'"));
  // or(false, and(true, true)) vs and(or(true, false), false)
  EXPECT_TRUE(Matches("locale eq 'x' or sessionId eq 's1' and requestId eq 'r1'"));
  EXPECT_FALSE(Matches("(sessionId eq 's1' or locale eq 'x') and requestId eq 'r2'"));
  EXPECT_TRUE(Matches("sessionId eq 's1' or locale eq 'x' and requestId eq 'r2'"));
  EXPECT_TRUE(Matches("createdDateTime ge 2026-01-01T00:00:00Z and createdDateTime lt 2026-02-01T00:00:00Z and "
                      "(interactionType eq 'userPrompt' or interactionType eq 'aiResponse')"));
}

}  // namespace
}  // namespace aih::odata
