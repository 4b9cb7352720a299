#include "odata/query_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace aih::odata {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

QueryOptions MustParse(std::string_view query) {
  Result<QueryOptions> q = QueryOptions::Parse(query);
  if (!q.ok()) {
    ADD_FAILURE() << query << " -> " << q.status().message();
    std::abort();
  }
  return std::move(*q);
}

std::string ErrorOf(std::string_view query) {
  Result<QueryOptions> q = QueryOptions::Parse(query);
  EXPECT_FALSE(q.ok()) << "parsed: " << query;
  if (q.ok()) return "";
  EXPECT_EQ(q.status().code(), Code::kBadRequest);
  return q.status().message();
}

TEST(QueryOptions, DefaultsWhenNothingIsGiven) {
  for (const char* query : {"", "?", "&&", "model=A%7CB", "model=A|B&foo=bar"}) {
    QueryOptions q = MustParse(query);
    EXPECT_EQ(q.top, 100) << query;
    EXPECT_FALSE(q.filter.has_value());
    EXPECT_THAT(q.select, IsEmpty());
    EXPECT_FALSE(q.ascending);
    EXPECT_FALSE(q.orderby_given);
    EXPECT_FALSE(q.count);
    EXPECT_FALSE(q.skiptoken.has_value());
  }
}

TEST(QueryOptions, AllOptionsTogether) {
  QueryOptions q = MustParse(
      "$top=2&$filter=appClass%20eq%20%27IPM.SkypeTeams.Message.Copilot.BizChat%27&$select=id,body"
      "&$orderby=createdDateTime%20asc&$count=true&$skiptoken=abc-_1&model=A%7CB");
  EXPECT_EQ(q.top, 2);
  ASSERT_TRUE(q.filter.has_value());
  EXPECT_EQ(q.filter_text, "appClass eq 'IPM.SkypeTeams.Message.Copilot.BizChat'");
  EXPECT_EQ(q.filter->root().comparison.text, "IPM.SkypeTeams.Message.Copilot.BizChat");
  EXPECT_THAT(q.select, ElementsAre("id", "body"));
  EXPECT_TRUE(q.ascending);
  EXPECT_TRUE(q.orderby_given);
  EXPECT_TRUE(q.count);
  EXPECT_EQ(q.skiptoken, "abc-_1");
}

// ----- names -----

TEST(QueryOptions, NamesMayBeEncodedAndInAnyCase) {
  EXPECT_EQ(MustParse("%24top=5").top, 5);
  EXPECT_EQ(MustParse("$TOP=6").top, 6);
  EXPECT_EQ(MustParse("%24Top=7").top, 7);
  EXPECT_EQ(MustParse("$skipToken=t1").skiptoken, "t1");  // the classic client's spelling
  EXPECT_EQ(MustParse("$skiptoken=t2").skiptoken, "t2");
  EXPECT_EQ(MustParse("%24skiptoken=t3").skiptoken, "t3");
  EXPECT_TRUE(MustParse("$Filter=locale%20eq%20%27a%27").filter.has_value());
  EXPECT_TRUE(MustParse("$count=true").count);
}

TEST(QueryOptions, NonDollarParametersAreIgnoredEvenWhenMalformed) {
  EXPECT_EQ(MustParse("model=A|B&top=7&x=%zz&%zz=1&$top=3").top, 3);
  EXPECT_EQ(MustParse("%2524top=9").top, 100);  // decodes to "%24top": not an option name
}

TEST(QueryOptions, UnknownDollarOptionsAreRefused) {
  EXPECT_EQ(ErrorOf("$foo=1"),
            "'$foo' is not a query option of getAllEnterpriseInteractions; the options are $filter, $search, $top, "
            "$select, $orderby, $count and $skiptoken");
  EXPECT_THAT(ErrorOf("%24bar=1"), HasSubstr("'$bar' is not a query option"));
  EXPECT_THAT(ErrorOf("$=1"), HasSubstr("'$' is not a query option"));
  EXPECT_THAT(ErrorOf("%24%zz=1"), HasSubstr("query option name: '%zz' at position 4 is not a valid percent-escape"));
}

TEST(QueryOptions, UnsupportedOptionsSayWhatToDoInstead) {
  EXPECT_EQ(ErrorOf("$skip=10"), "$skip is not supported on getAllEnterpriseInteractions; page with @odata.nextLink");
  EXPECT_THAT(ErrorOf("$expand=from"), HasSubstr("$expand is not supported on getAllEnterpriseInteractions; "));
  EXPECT_THAT(ErrorOf("%24SKIP=1"), HasSubstr("$skip is not supported"));
  for (const char* option : {"$format", "$levels", "$apply", "$compute", "$deltatoken"}) {
    EXPECT_THAT(ErrorOf(std::string(option) + "=x"), HasSubstr(std::string(option) + " is not supported")) << option;
  }
}

TEST(QueryOptions, RepeatedOptionsAreRefused) {
  EXPECT_EQ(ErrorOf("$top=1&$top=2"), "$top is given more than once; give each query option once");
  EXPECT_THAT(ErrorOf("$top=1&%24TOP=1"), HasSubstr("$top is given more than once"));
  EXPECT_THAT(ErrorOf("$skipToken=a&$skiptoken=a"), HasSubstr("$skiptoken is given more than once"));
  EXPECT_THAT(ErrorOf("$filter=id%20eq%20%27a%27&$filter=id%20eq%20%27a%27"), HasSubstr("$filter is given more than once"));
}

// ----- $top -----

TEST(QueryOptionsTop, RangeAndCap) {
  EXPECT_EQ(MustParse("$top=1").top, 1);
  EXPECT_EQ(MustParse("$top=1000").top, 1000);
  EXPECT_EQ(MustParse("$top=1001").top, 1000);
  EXPECT_EQ(MustParse("$top=9999").top, 1000);
  EXPECT_EQ(MustParse("$top=99999999999999999999").top, 1000);  // no overflow
  EXPECT_EQ(MustParse("$top=007").top, 7);
  EXPECT_EQ(MustParse("$top=0000000000000000000042").top, 42);
}

TEST(QueryOptionsTop, NotAPositiveIntegerIsRefused) {
  EXPECT_EQ(ErrorOf("$top=abc"), "$top must be an integer from 1 to 1000; got 'abc'");
  EXPECT_EQ(ErrorOf("$top=-1"), "$top must be an integer from 1 to 1000; got '-1'");
  EXPECT_EQ(ErrorOf("$top=0"), "$top must be an integer from 1 to 1000; got '0'");
  EXPECT_EQ(ErrorOf("$top=000"), "$top must be an integer from 1 to 1000; got '000'");
  EXPECT_EQ(ErrorOf("$top=1.5"), "$top must be an integer from 1 to 1000; got '1.5'");
  EXPECT_EQ(ErrorOf("$top="), "$top must be an integer from 1 to 1000; got ''");
  EXPECT_EQ(ErrorOf("$top"), "$top must be an integer from 1 to 1000; got ''");
  EXPECT_EQ(ErrorOf("$top=%2B5"), "$top must be an integer from 1 to 1000; got '+5'");
  EXPECT_EQ(ErrorOf("$top=+5"), "$top must be an integer from 1 to 1000; got ' 5'");  // '+' is a space
  EXPECT_EQ(ErrorOf("$top=%205"), "$top must be an integer from 1 to 1000; got ' 5'");
  EXPECT_EQ(ErrorOf("$top=1e3"), "$top must be an integer from 1 to 1000; got '1e3'");
  EXPECT_THAT(ErrorOf("$top=%4"), HasSubstr("$top: '%4' at position 1 is not a valid percent-escape"));
}

// ----- $filter -----

TEST(QueryOptionsFilter, PlusIsASpaceInEveryOption) {
  QueryOptions q = MustParse("$filter=locale+eq+%27en-us%27");
  EXPECT_EQ(q.filter_text, "locale eq 'en-us'");
  EXPECT_EQ(q.filter->root().comparison.text, "en-us");
  // A literal plus inside a string is sent as %2B.
  EXPECT_EQ(MustParse("$filter=sessionId%20eq%20%27a%2Bb%27").filter->root().comparison.text, "a+b");
  EXPECT_EQ(MustParse("$filter=sessionId+eq+'a+b'").filter->root().comparison.text, "a b");
  // Every option's value is form-decoded, as curl --data-urlencode sends it: '+' is a space, %2B a plus.
  EXPECT_TRUE(MustParse("$orderby=createdDateTime+asc").ascending);
  EXPECT_EQ(MustParse("$skiptoken=a%2Bb").skiptoken, "a+b");
  EXPECT_THAT(ErrorOf("$select=id+body"), HasSubstr("unknown property 'id body'"));
}

TEST(QueryOptionsFilter, RawQuotesAndUnicodeAreDecoded) {
  QueryOptions q = MustParse("$filter=locale%20eq%20'%C3%A9%E6%BC%A2'");
  EXPECT_EQ(q.filter->root().comparison.text, "é漢");
  EXPECT_EQ(MustParse("$filter=locale eq 'raw é'").filter->root().comparison.text, "raw é");
}

TEST(QueryOptionsFilter, FilterErrorsPassThroughWithTheirPositions) {
  EXPECT_EQ(ErrorOf("$filter=foo%20eq%20%27x%27"),
            "$filter: unknown property 'foo' at position 1; filterable properties are appClass, conversationType, "
            "createdDateTime, id, interactionType, locale, requestId, sessionId");
  EXPECT_THAT(ErrorOf("$filter="), HasSubstr("$filter is empty"));
  EXPECT_THAT(ErrorOf("$filter=locale%20eq%20%27%zz%27"), HasSubstr("$filter: '%zz' at position 18 is not a valid"));
  EXPECT_THAT(ErrorOf("$filter=locale%20eq%20%27%FF%27"), HasSubstr("$filter: the decoded text is not valid UTF-8"));
  EXPECT_THAT(ErrorOf("$filter=locale%20eq%20%27%ED%A0%80%27"), HasSubstr("not valid UTF-8"));  // a surrogate
}

// ----- $select, $orderby, $count, $skiptoken -----

TEST(QueryOptionsSelect, NamesSpacesDuplicatesAndStar) {
  EXPECT_THAT(MustParse("$select=id").select, ElementsAre("id"));
  EXPECT_THAT(MustParse("$select=id,%20body%20,from").select, ElementsAre("id", "body", "from"));
  EXPECT_THAT(MustParse("$select=id,body,id,body").select, ElementsAre("id", "body"));
  EXPECT_THAT(MustParse("$select=*").select, IsEmpty());
  EXPECT_THAT(MustParse("$select=id,*").select, IsEmpty());
  EXPECT_THAT(MustParse("$select=id,sessionId,requestId,appClass,interactionType,conversationType,etag,"
                        "createdDateTime,locale,body,from,attachments,contexts,links,mentions")
                  .select.size(),
              15u);
}

TEST(QueryOptionsSelect, BadNamesAreRefused) {
  EXPECT_THAT(ErrorOf("$select=id,foo"), HasSubstr("$select: unknown property 'foo'; aiInteraction has id, sessionId"));
  EXPECT_THAT(ErrorOf("$select=Body"), HasSubstr("did you mean 'body'?"));
  EXPECT_THAT(ErrorOf("$select=from/user"), HasSubstr("only top-level properties can be selected; 'from/user'"));
  EXPECT_THAT(ErrorOf("$select="), HasSubstr("$select has an empty property name"));
  EXPECT_THAT(ErrorOf("$select=id,,body"), HasSubstr("$select has an empty property name"));
  EXPECT_THAT(ErrorOf("$select=id,"), HasSubstr("$select has an empty property name"));
}

TEST(QueryOptionsOrderBy, DirectionsAndRefusals) {
  QueryOptions q = MustParse("$orderby=createdDateTime%20desc");
  EXPECT_FALSE(q.ascending);
  EXPECT_TRUE(q.orderby_given);
  EXPECT_TRUE(MustParse("$orderby=createdDateTime%20asc").ascending);
  EXPECT_TRUE(MustParse("$orderby=createdDateTime").ascending);  // OData's default direction
  EXPECT_TRUE(MustParse("$orderby=%20createdDateTime%20%20%09asc%20").ascending);
  for (const char* bad : {"$orderby=", "$orderby=id", "$orderby=createdDateTime%20DESC", "$orderby=createdDateTime%20up",
                          "$orderby=createdDateTime%20desc,id%20desc", "$orderby=createdDateTime%20asc%20asc",
                          "$orderby=createddatetime"}) {
    EXPECT_THAT(ErrorOf(bad), HasSubstr("$orderby must be 'createdDateTime desc' (the default) or 'createdDateTime asc'"))
        << bad;
  }
}

TEST(QueryOptionsCount, TrueFalseInAnyCase) {
  EXPECT_TRUE(MustParse("$count=true").count);
  EXPECT_TRUE(MustParse("$count=TRUE").count);
  EXPECT_FALSE(MustParse("$count=False").count);
  EXPECT_EQ(ErrorOf("$count=yes"), "$count must be true or false; got 'yes'");
  EXPECT_EQ(ErrorOf("$count=1"), "$count must be true or false; got '1'");
  EXPECT_EQ(ErrorOf("$count"), "$count must be true or false; got ''");
}

TEST(QueryOptionsSkipToken, KeptDecodedAndNeverEmpty) {
  EXPECT_EQ(MustParse("$skiptoken=a%2Db").skiptoken, "a-b");
  EXPECT_EQ(ErrorOf("$skiptoken="), "$skiptoken is invalid or has expired; restart from the first page");
}

// ----- fingerprint -----

std::string Fingerprint(std::string_view query) { return MustParse(query).Fingerprint(); }

TEST(QueryOptionsFingerprint, SameMeaningSameFingerprint) {
  EXPECT_EQ(Fingerprint("$filter=locale%20eq%20%27a%27"), Fingerprint("$filter=(locale+eq+'a')"));
  EXPECT_EQ(Fingerprint(""), Fingerprint("$orderby=createdDateTime%20desc"));
  EXPECT_EQ(Fingerprint(""), Fingerprint("$select=*"));
  // Page size, count and the token are not part of it: they may change between pages.
  EXPECT_EQ(Fingerprint("$top=5"), Fingerprint("$top=7&$count=true&$skiptoken=x"));
}

TEST(QueryOptionsFingerprint, DifferentQueriesDiffer) {
  const std::string base = Fingerprint("");
  EXPECT_NE(base, Fingerprint("$filter=locale%20eq%20%27a%27"));
  EXPECT_NE(base, Fingerprint("$select=id"));
  EXPECT_NE(base, Fingerprint("$orderby=createdDateTime%20asc"));
  EXPECT_NE(Fingerprint("$select=id"), Fingerprint("$select=id,body"));
  EXPECT_NE(Fingerprint("$filter=locale%20eq%20%27a%27"), Fingerprint("$filter=locale%20eq%20%27b%27"));
  // A filter cannot imitate the fields after it.
  EXPECT_NE(Fingerprint("$filter=locale%20eq%20%27a;select:id%27"), Fingerprint("$filter=locale%20eq%20%27a%27&$select=id"));
}

TEST(QueryOptionsSearch, ParsedAndBoundToTheCursor) {
  QueryOptions q = MustParse("$search=budget+AND+%22Q3+plan%22");
  ASSERT_NE(q.search, nullptr);
  EXPECT_EQ(q.search->ToString(), "(AND budget \"Q3 plan\")");
  EXPECT_EQ(q.search_text, "budget AND \"Q3 plan\"");
  // The same meaning, the same cursor binding; another search, another.
  EXPECT_EQ(Fingerprint("$search=budget+%22Q3+plan%22"), q.Fingerprint());
  EXPECT_NE(Fingerprint("$search=budget"), q.Fingerprint());
  EXPECT_NE(Fingerprint(""), Fingerprint("$search=budget"));
  EXPECT_EQ(MustParse("$search=a%2Bb").NextQuery("t"), "$search=a%2Bb&$top=100&$skiptoken=t");
}

TEST(QueryOptionsSearch, ParserErrorsPassThroughWithTheirPositions) {
  EXPECT_THAT(ErrorOf("$search=budget+AND"), HasSubstr("(at character 8)"));
  EXPECT_THAT(ErrorOf("$search=%22open"), HasSubstr("a quote is not closed"));
  EXPECT_THAT(ErrorOf("$search=a&$search=b"), HasSubstr("more than once"));
}

// ----- nextLink query -----

TEST(QueryOptionsNextQuery, EncodesValuesAndKeepsWhatWasGiven) {
  QueryOptions q = MustParse(
      "%24top=2&%24filter=appClass+eq+'IPM.SkypeTeams.Message.Copilot.BizChat'+and+sessionId+eq+'{a+b}%2Bc%22'"
      "&$select=id,body&$orderby=createdDateTime&$count=true&$skiptoken=old");
  EXPECT_EQ(q.NextQuery("tok-_1"),
            "$filter=appClass%20eq%20%27IPM.SkypeTeams.Message.Copilot.BizChat%27%20and%20sessionId%20eq%20%27%7Ba%20b%7D"
            "%2Bc%22%27&$top=2&$select=id,body&$orderby=createdDateTime%20asc&$count=true&$skiptoken=tok-_1");
}

TEST(QueryOptionsNextQuery, AlwaysCarriesTheEffectivePageSize) {
  EXPECT_EQ(MustParse("").NextQuery("t"), "$top=100&$skiptoken=t");
  EXPECT_EQ(MustParse("$top=5000").NextQuery("t"), "$top=1000&$skiptoken=t");
  EXPECT_EQ(MustParse("$orderby=createdDateTime%20desc&$count=false").NextQuery("t"),
            "$top=100&$orderby=createdDateTime%20desc&$skiptoken=t");
}

TEST(QueryOptionsNextQuery, HasNoCharactersClientsMangle) {
  QueryOptions q = MustParse("$filter=sessionId%20eq%20%27%7B%7D%2B%20%22%27%27%26%3D%23%25%E6%BC%A2%27");
  const std::string next = q.NextQuery("a+b/c=");
  for (char c : std::string("{}+ '\"#")) EXPECT_EQ(next.find(c), std::string::npos) << c << " in " << next;
}

TEST(QueryOptionsNextQuery, ParsesBackToTheSameQuery) {
  for (const char* query :
       {"", "$top=3", "$filter=locale+eq+'it''s'+or+createdDateTime+ge+2026-01-01T00:00:00%2B05:30",
        "$select=id,%20from&$orderby=createdDateTime%20asc&$count=TRUE&$top=99999",
        "$filter=sessionId%20eq%20%27%7B%7D%2B%20%22%26%3D%E6%BC%A2%27&$skiptoken=zz",
        "$search=%22M%C3%BCller+report%22+OR+(budget*+-draft)&$filter=locale+eq+'de'"}) {
    QueryOptions q = MustParse(query);
    QueryOptions next = MustParse(q.NextQuery("t+/="));
    EXPECT_EQ(next.Fingerprint(), q.Fingerprint()) << query;
    EXPECT_EQ(next.filter_text, q.filter_text) << query;
    EXPECT_EQ(next.search_text, q.search_text) << query;
    EXPECT_EQ(next.top, q.top) << query;
    EXPECT_EQ(next.count, q.count) << query;
    EXPECT_EQ(next.select, q.select) << query;
    EXPECT_EQ(next.ascending, q.ascending) << query;
    EXPECT_EQ(next.skiptoken, "t+/=") << query;
  }
}

}  // namespace
}  // namespace aih::odata
