// The export resource: paths, query options, paging, the page's shape, and its errors.
#include <set>

#include "api_fixture.h"
#include "seed/synthetic_history.h"

namespace aih::testing {
namespace {

const std::string kUserPath = "/v1.0/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions";

class ExportApiTest : public ApiTest {
 protected:
  // Writes `n` interactions for user `user` through the ingest API; returns their ids.
  std::vector<std::string> WriteSeeded(const std::string& user, int n, uint64_t seed = 1) {
    seed::SyntheticOptions options;
    options.seed = seed;
    options.users = 1;
    options.interactions_per_user = n;
    seed::SyntheticHistory history(options);
    std::string body = "[";
    std::vector<std::string> ids;
    for (auto& item : history.InteractionsOf(0)) {
      ids.push_back(item.interaction.id);
      std::string json = "{\"@aihistory.userId\":\"" + user + "\",\"id\":\"" + item.interaction.id +
                         "\",\"appClass\":\"" + item.interaction.app_class + "\",\"interactionType\":\"" +
                         model::ToString(item.interaction.interaction_type) + "\",\"createdDateTime\":\"" +
                         item.interaction.created.ToString() + "\",\"sessionId\":\"" + *item.interaction.session_id + "\"}";
      body += (body.size() > 1 ? "," : "") + json;
    }
    body += "]";
    auto r = Post("/v1.0/copilot/interactionHistory/interactions", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return ids;
  }

  // Follows nextLinks from `target`, returning every id seen in order.
  std::vector<std::string> PageAll(std::string target, int* pages = nullptr) {
    std::vector<std::string> ids;
    int n = 0;
    while (!target.empty()) {
      auto r = Get(target);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      ++n;
      for (size_t i = 0; i < JsonArraySize(r.body, "value"); ++i) ids.push_back(JsonAt(r.body, "value." + std::to_string(i) + ".id"));
      std::string next = JsonAt(r.body, "@odata.nextLink");
      if (next == "<missing>") break;
      const std::string prefix = "http://127.0.0.1:8080";
      EXPECT_EQ(next.rfind(prefix, 0), 0u) << next;
      target = next.substr(prefix.size());
    }
    if (pages) *pages = n;
    return ids;
  }
};

TEST_P(ExportApiTest, EmptyHistoryIsAnEmptyPage) {
  auto r = Get(kUserPath);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"@odata.context\":\"http://127.0.0.1:8080/v1.0/$metadata#Collection(microsoft.graph.aiInteraction)\",\"value\":[]}");
}

TEST_P(ExportApiTest, EveryItemHasAllFifteenPropertiesNewestFirst) {
  WriteSeeded("u1", 5);
  auto r = Get(kUserPath);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(JsonArraySize(r.body, "value"), 5u);
  for (const char* p : {"id", "sessionId", "requestId", "appClass", "interactionType", "conversationType", "etag",
                        "createdDateTime", "locale", "body", "from", "attachments", "contexts", "links", "mentions"}) {
    EXPECT_NE(JsonAt(r.body, std::string("value.0.") + p), "<missing>") << p;
  }
  EXPECT_EQ(JsonAt(r.body, "value.0.attachments"), "[]");
  std::string previous = "9999";
  for (int i = 0; i < 5; ++i) {
    std::string created = JsonAt(r.body, "value." + std::to_string(i) + ".createdDateTime");
    EXPECT_LT(created, previous);
    EXPECT_EQ(created.back(), 'Z');
    previous = created;
  }
}

TEST_P(ExportApiTest, PathFormsVersionsAndCaseAreAllAccepted) {
  WriteSeeded("u1", 3);
  for (std::string path : {kUserPath, kUserPath + "()", std::string("/beta/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions()"),
                           std::string("/V1.0/Copilot/Users/u1/InteractionHistory/GETALLENTERPRISEINTERACTIONS"),
                           std::string("/v1.0/copilot/users/%75%31/interactionHistory/getAllEnterpriseInteractions")}) {
    auto r = Get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    EXPECT_EQ(JsonArraySize(r.body, "value"), 3u) << path;
  }
  auto beta = Get("/beta/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions");
  EXPECT_EQ(JsonAt(beta.body, "@odata.context"), "http://127.0.0.1:8080/beta/$metadata#Collection(microsoft.graph.aiInteraction)");
}

TEST_P(ExportApiTest, PagingVisitsEveryItemExactlyOnceWithAbsoluteLinks) {
  auto written = WriteSeeded("u1", 250);
  int pages = 0;
  auto ids = PageAll(kUserPath + "?$top=30", &pages);
  EXPECT_EQ(pages, 9);
  EXPECT_EQ(ids.size(), 250u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), std::set<std::string>(written.begin(), written.end()));
}

TEST_P(ExportApiTest, WritesDuringPagingCauseNoDuplicatesOrGaps) {
  auto first = WriteSeeded("u1", 100, 1);
  auto r = Get(kUserPath + "?$top=10");
  std::vector<std::string> ids;
  for (size_t i = 0; i < JsonArraySize(r.body, "value"); ++i) ids.push_back(JsonAt(r.body, "value." + std::to_string(i) + ".id"));
  // New items arrive while the client pages (some newer, some older than what it has seen).
  WriteSeeded("u1", 40, 2);
  auto rest = PageAll(JsonAt(r.body, "@odata.nextLink").substr(std::string("http://127.0.0.1:8080").size()));
  ids.insert(ids.end(), rest.begin(), rest.end());
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size()) << "duplicates";
  for (auto& id : first) EXPECT_TRUE(unique.count(id)) << "gap: " << id;
}

TEST_P(ExportApiTest, NextLinkKeepsOptionsAndIsSafeForKiota) {
  WriteSeeded("u1", 30);
  auto r = Get(kUserPath + "?$top=5&$filter=appClass%20ne%20'x%7By%7D'&$select=id,createdDateTime&$orderby=createdDateTime%20asc");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string next = JsonAt(r.body, "@odata.nextLink");
  EXPECT_EQ(next.rfind("http://127.0.0.1:8080/v1.0/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions?", 0), 0u) << next;
  for (char c : {'{', '}', '+', ' ', '\''}) EXPECT_EQ(next.find(c), std::string::npos) << "raw '" << c << "' in " << next;
  for (const char* opt : {"$top=5", "$filter=", "$select=", "$orderby=", "$skiptoken="}) EXPECT_NE(next.find(opt), std::string::npos) << opt;
  // The link works and keeps the order and the selection.
  auto page2 = Get(next.substr(std::string("http://127.0.0.1:8080").size()));
  ASSERT_EQ(page2.status, 200) << page2.body;
  EXPECT_EQ(JsonAt(page2.body, "value.0.appClass"), "<missing>");
  EXPECT_LT(JsonAt(r.body, "value.4.createdDateTime"), JsonAt(page2.body, "value.0.createdDateTime"));
}

TEST_P(ExportApiTest, SelectCountOrderAndFilter) {
  WriteSeeded("u1", 20);
  auto r = Get(kUserPath + "?$select=id,interactionType&$count=true&$top=3");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "@odata.count"), "20");
  EXPECT_EQ(JsonAt(r.body, "value.0.body"), "<missing>");
  EXPECT_NE(JsonAt(r.body, "value.0.interactionType"), "<missing>");

  auto prompts = Get(kUserPath + "?$filter=interactionType%20eq%20'userPrompt'&$count=true");
  ASSERT_EQ(prompts.status, 200) << prompts.body;
  EXPECT_EQ(JsonAt(prompts.body, "@odata.count"), "10");
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(JsonAt(prompts.body, "value." + std::to_string(i) + ".interactionType"), "userPrompt");

  auto none = Get(kUserPath + "?$filter=createdDateTime%20lt%201999-01-01T00:00:00Z");
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(JsonArraySize(none.body, "value"), 0u);
  // '+' as a space inside $filter, as some clients send it.
  auto plus = Get(kUserPath + "?$filter=interactionType+eq+'aiResponse'&$count=true");
  EXPECT_EQ(JsonAt(plus.body, "@odata.count"), "10") << plus.body;
}

// $count costs one count per query, not one per page: the first page counts, and its cursor carries
// the count to the next pages (items written meanwhile are newer than the cursor, so not in them).
TEST_P(ExportApiTest, CountIsComputedOnceAndCarriedByTheCursor) {
  WriteSeeded("u1", 12);
  auto first = Get(kUserPath + "?$count=true&$top=5");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(JsonAt(first.body, "@odata.count"), "12");
  WriteSeeded("u1", 3, 99);  // another seed: other ids
  const std::string prefix = "http://127.0.0.1:8080";
  std::string next = JsonAt(first.body, "@odata.nextLink").substr(prefix.size());
  auto second = Get(next);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(JsonAt(second.body, "@odata.count"), "12");  // carried, not recounted (15 now)
  // A token without a count (asked without $count) counts once when $count is added.
  auto plain = Get(kUserPath + "?$top=5");
  std::string plain_next = JsonAt(plain.body, "@odata.nextLink").substr(prefix.size());
  auto counted = Get(plain_next + "&$count=true");
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_EQ(JsonAt(counted.body, "@odata.count"), "15");
  // A fresh query counts again.
  EXPECT_EQ(JsonAt(Get(kUserPath + "?$count=true").body, "@odata.count"), "15");
}

TEST_P(ExportApiTest, TopDefaultsAndCaps) {
  WriteSeeded("u1", 120);
  EXPECT_EQ(JsonArraySize(Get(kUserPath).body, "value"), 100u);
  EXPECT_EQ(JsonArraySize(Get(kUserPath + "?$top=5000").body, "value"), 120u);
  EXPECT_EQ(JsonArraySize(Get(kUserPath + "?%24top=7").body, "value"), 7u);
  for (const char* bad : {"-1", "0", "abc", "1.5", ""}) {
    auto r = Get(kUserPath + "?$top=" + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(JsonAt(r.body, "error.code"), "BadRequest");
    EXPECT_NE(JsonAt(r.body, "error.message").find("$top"), std::string::npos) << r.body;
  }
}

TEST_P(ExportApiTest, SkiptokenIsBoundToUserQueryAndIntegrity) {
  WriteSeeded("u1", 10);
  WriteSeeded("u2", 10);
  auto r = Get(kUserPath + "?$top=3");
  std::string next = JsonAt(r.body, "@odata.nextLink");
  std::string token = next.substr(next.find("$skiptoken=") + 11);
  // Another user's export.
  auto other = Get("/v1.0/copilot/users/u2/interactionHistory/getAllEnterpriseInteractions?$top=3&$skiptoken=" + token);
  EXPECT_EQ(other.status, 400) << other.body;
  // Another query.
  auto filtered = Get(kUserPath + "?$top=3&$filter=locale%20eq%20'en-us'&$skiptoken=" + token);
  EXPECT_EQ(filtered.status, 400);
  // Truncated and altered.
  EXPECT_EQ(Get(kUserPath + "?$top=3&$skiptoken=" + token.substr(0, token.size() - 3)).status, 400);
  std::string altered = token;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  auto bad = Get(kUserPath + "?$top=3&$skiptoken=" + altered);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(JsonAt(bad.body, "error.message").find("skiptoken"), std::string::npos);
  // The genuine one still works.
  EXPECT_EQ(Get(kUserPath + "?$top=3&$skiptoken=" + token).status, 200);
}

TEST_P(ExportApiTest, HostileFiltersAreClearBadRequests) {
  std::string deep(1000, '(');
  deep += "appClass eq 'x'";
  deep += std::string(1000, ')');
  for (std::string f : {deep, std::string("from/user/id eq 'x'"), std::string("contains(appClass,'x')"),
                        std::string("interactionType eq 'UserPrompt'"), std::string("appClass eq 'unterminated"),
                        std::string("createdDateTime gt '2026-01-01T00:00:00Z'"), std::string("not appClass eq 'x'"),
                        std::string("appClass eq 'x' or")}) {
    std::string encoded;
    for (unsigned char c : f) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
    auto r = Get(kUserPath + "?$filter=" + encoded);
    EXPECT_EQ(r.status, 400) << f.substr(0, 60);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_NE(JsonAt(r.body, "error.message"), "<missing>");
  }
  // Quotes and unicode inside literals are fine.
  EXPECT_EQ(Get(kUserPath + "?$filter=appClass%20eq%20'O''Brien%20%E2%9C%93'").status, 200);
}

TEST_P(ExportApiTest, UnsupportedOptionsAreRefused) {
  for (const char* q : {"$search=x%20AND", "$skip=10", "$expand=body", "$orderby=id", "$select=nope", "$count=maybe", "$bogus=1"}) {
    auto r = Get(kUserPath + "?" + q);
    EXPECT_EQ(r.status, 400) << q << " " << r.body;
  }
  EXPECT_EQ(Get(kUserPath + "?model=A").status, 200);
}

TEST_P(ExportApiTest, TenantWideCarriesTheOwnerAnnotation) {
  WriteSeeded("u1", 3);
  WriteSeeded("u2", 3, 7);
  auto r = Get("/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions()?$count=true");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "@odata.count"), "6");
  std::set<std::string> owners;
  for (int i = 0; i < 6; ++i) owners.insert(JsonAt(r.body, "value." + std::to_string(i) + ".@aihistory.userId"));
  EXPECT_EQ(owners, (std::set<std::string>{"u1", "u2"}));
  // Another tenant sees nothing of it.
  auto other = Get("/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions?$count=true", "other-tenant");
  EXPECT_EQ(JsonAt(other.body, "@odata.count"), "0");
}

TEST_P(ExportApiTest, InteractionHistoryEntity) {
  auto r = Get("/beta/copilot/users/u1/interactionHistory");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "id"), "u1");
  EXPECT_NE(JsonAt(r.body, "@odata.context").find("/beta/$metadata#"), std::string::npos);
}

TEST_P(ExportApiTest, ErrorsHaveTheGraphShape) {
  auto unauth = Get(kUserPath, "");
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(JsonAt(unauth.body, "error.code"), "InvalidAuthenticationToken");
  bool www = false;
  for (auto& [k, v] : unauth.headers) www |= k == "WWW-Authenticate";
  EXPECT_TRUE(www);
  EXPECT_EQ(JsonAt(unauth.body, "error.innerError.request-id"), "req-1");
  EXPECT_NE(JsonAt(unauth.body, "error.innerError.date"), "<missing>");

  auto wrong_role = Get(kUserPath, "writer");
  EXPECT_EQ(wrong_role.status, 403);
  EXPECT_EQ(JsonAt(wrong_role.body, "error.code"), "Forbidden");

  auto unknown = Get("/v1.0/copilot/users/u1/nothingHere");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(JsonAt(unknown.body, "error.code"), "ResourceNotFound");
  EXPECT_NE(JsonAt(unknown.body, "error.message").find("nothingHere"), std::string::npos);

  auto method = Post(kUserPath, "{}");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(JsonAt(method.body, "error.code"), "MethodNotAllowed");
  EXPECT_EQ(method.content_type, "application/json");
}

INSTANTIATE_TEST_SUITE_P(Engines, ExportApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
