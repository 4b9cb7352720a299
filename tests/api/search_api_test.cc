// $search on the export (per user and tenant-wide): found as soon as written, combined with $filter
// and $count, paged with the signed cursor, and every malformed query a 400 naming what is wrong.
#include <set>

#include "api_fixture.h"
#include "odata/percent_encoding.h"

namespace aih::testing {
namespace {

const std::string kUserPath = "/v1.0/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions";
const std::string kTenantPath = "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions";

class SearchApiTest : public ApiTest {
 protected:
  // Writes one prompt of `user` with body `text` at second `second` of 2026-01-01.
  void WriteText(const std::string& user, const std::string& id, int second, const std::string& text,
                 const std::string& app = "IPM.SkypeTeams.Message.Copilot.BizChat") {
    char created[64];
    std::snprintf(created, sizeof created, "2026-01-01T00:%02d:%02dZ", second / 60, second % 60);
    std::string body = "{\"@aihistory.userId\":\"" + user + "\",\"id\":\"" + id + "\",\"appClass\":\"" + app +
                       "\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"" + created +
                       "\",\"sessionId\":\"s-" + id + "\",\"body\":{\"contentType\":\"text\",\"content\":\"" + text + "\"}}";
    auto r = Post("/v1.0/copilot/interactionHistory/interactions", body);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::string Search(const std::string& path, const std::string& query, const std::string& more = "") {
    return path + "?$search=" + odata::PercentEncode(query) + more;
  }

  std::vector<std::string> Ids(const std::string& body) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < JsonArraySize(body, "value"); ++i) ids.push_back(JsonAt(body, "value." + std::to_string(i) + ".id"));
    return ids;
  }

  // Follows nextLinks from `target`, returning every id seen in order.
  std::vector<std::string> PageAll(std::string target, int* pages) {
    std::vector<std::string> ids;
    *pages = 0;
    while (!target.empty()) {
      auto r = Get(target);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      ++*pages;
      for (auto& id : Ids(r.body)) ids.push_back(id);
      std::string next = JsonAt(r.body, "@odata.nextLink");
      if (next == "<missing>") break;
      target = next.substr(std::string("http://127.0.0.1:8080").size());
    }
    return ids;
  }
  using V = std::vector<std::string>;
};

TEST_P(SearchApiTest, FindsWhatWasJustWrittenPerUserAndTenantWide) {
  WriteText("u1", "de", 1, "Frau Müller fragt nach dem Budget");
  WriteText("u1", "zh", 2, "我们明天在北京开会");
  WriteText("u2", "fr", 3, "Réunion budget à l'Élysée");
  auto r = Get(Search(kUserPath, "muller"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Ids(r.body), V{"de"});
  EXPECT_EQ(Ids(Get(Search(kUserPath, "北京")).body), V{"zh"});
  EXPECT_EQ(Ids(Get(Search(kUserPath, "budget")).body), V{"de"});
  EXPECT_EQ(Ids(Get(Search(kTenantPath, "budget")).body), (V{"fr", "de"}));
  EXPECT_EQ(Ids(Get(Search(kTenantPath, "elysee OR 开会")).body), (V{"fr", "zh"}));
  EXPECT_EQ(Ids(Get(Search(kTenantPath, "sessionId:s-de")).body), V{"de"});
}

TEST_P(SearchApiTest, CombinesWithFilterCountAndPaging) {
  for (int i = 0; i < 25; ++i) {
    WriteText("u1", "m" + std::to_string(100 + i), i, i % 5 ? "quarterly report" : "other things",
              i % 2 ? "IPM.SkypeTeams.Message.Copilot.Word" : "IPM.SkypeTeams.Message.Copilot.Excel");
  }
  auto r = Get(Search(kUserPath, "report", "&$count=true&$top=3"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "@odata.count"), "20");
  const std::string next = JsonAt(r.body, "@odata.nextLink");
  EXPECT_NE(next.find("$search=report"), std::string::npos) << next;
  int pages = 0;
  auto all = PageAll(Search(kUserPath, "report", "&$top=3"), &pages);
  EXPECT_EQ(pages, 7);
  std::vector<std::string> expected;
  for (int i = 24; i >= 0; --i) {
    if (i % 5) expected.push_back("m" + std::to_string(100 + i));
  }
  EXPECT_EQ(all, expected);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());

  auto filtered = Get(Search(kUserPath, "\"quarterly report\"",
                             "&$count=true&$filter=" + odata::PercentEncode("appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'")));
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(JsonAt(filtered.body, "@odata.count"), "10");
  EXPECT_EQ(JsonAt(filtered.body, "value.0.id"), "m123");

  // A token minted for one search does not continue another.
  const std::string token = next.substr(next.find("$skiptoken=") + 11);
  auto other = Get(Search(kUserPath, "things", "&$skiptoken=" + token));
  EXPECT_EQ(other.status, 400) << other.body;
}

TEST_P(SearchApiTest, BadInputIsAClearBadRequest) {
  WriteText("u1", "a", 1, "some text");
  const std::string big_terms = [] {
    std::string q;
    for (int i = 0; i < 10000; ++i) q += "w" + std::to_string(i) + " ";
    return q;
  }();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\"unbalanced", "quote is not closed"},
      {"(budget OR plan", "is not closed"},
      {"budget)", "is not expected here"},
      {"NOT", "needs a term after it"},
      {"NOT budget", "only excludes"},
      {"-budget", "only excludes"},
      {big_terms, "at most"},
      {std::string(1 << 20, 'a'), "bytes long"},
      {"*", "wildcard"},
      {"bud*get", "does not end it"},
      {"!!! ... ,,,", "no letter or digit"},
      {"\xF0\x9F\x98\x80", "no letter or digit"},  // an emoji: no search term
      {"NEAR(a, b)", "NEAR is not supported"},
      {"a AND", "needs a term after it"},
      {"OR b", "needs a term before it"},
      {"appClass:", "needs a value"},
      {"   ", "empty"},
  };
  for (const auto& [query, says] : cases) {
    auto r = Get(Search(kUserPath, query));
    EXPECT_EQ(r.status, 400) << query.substr(0, 40) << ": " << r.body.substr(0, 300);
    EXPECT_EQ(JsonAt(r.body, "error.code"), "BadRequest") << query.substr(0, 40);
    EXPECT_NE(JsonAt(r.body, "error.message").find(says), std::string::npos)
        << query.substr(0, 40) << ": " << JsonAt(r.body, "error.message");
    EXPECT_NE(JsonAt(r.body, "error.message").find("$search"), std::string::npos) << query.substr(0, 40);
  }
  auto invalid = Get(kUserPath + "?$search=%FF%FE");
  EXPECT_EQ(invalid.status, 400) << invalid.body;
  EXPECT_NE(JsonAt(invalid.body, "error.message").find("UTF-8"), std::string::npos) << invalid.body;
  // SQL and full-text syntax inside words is text: searched, never run.
  for (const char* query : {"Robert'; DROP TABLE interactions;--", "a^b", "x-y", "col:val", "\"a\" OR 1=1", "text\\",
                            "{near} [x] <y> ~z", "some NEAR2 text", "$1 ?1 %s"}) {
    auto r = Get(Search(kUserPath, query));
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
  }
  EXPECT_EQ(Ids(Get(Search(kUserPath, "some:text")).body), V{"a"});  // not a property: two words
  EXPECT_EQ(Get(kUserPath).status, 200);  // and nothing was harmed
}

INSTANTIATE_TEST_SUITE_P(Engines, SearchApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
