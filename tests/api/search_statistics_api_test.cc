// The eDiscovery view of $search through the admin API (search_resource.h): where a tenant's hits
// are, per user and per appClass, on every source and user of the tenant and of no other tenant;
// then exactly those hits exported as NDJSON.
#include <set>

#include "directory_fixture.h"
#include "odata/percent_encoding.h"

namespace aih::testing {
namespace {

class SearchStatisticsApiTest : public DirectoryApiTest {
 protected:
  void Store(const std::string& tenant, const std::string& user, const std::string& id, const std::string& app,
             const std::string& text) {
    model::Interaction in;
    in.id = id;
    in.app_class = app;
    in.interaction_type = model::InteractionType::kUserPrompt;
    in.created = model::Timestamp::FromUnixMillis(1767225600000 + static_cast<int64_t>(id.size()));
    in.body = model::Body{"text", text};
    std::vector<store::ItemOutcome> outcomes;
    Status s = store_->interactions().Write({store::PrepareItem(tenant, user, std::move(in))}, &outcomes);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  http::Response Statistics(const std::string& tenant, const std::string& query) {
    return Admin("GET", "/admin/tenants/" + tenant + "/search/statistics" + query);
  }
  http::Response SearchExport(const std::string& tenant, const std::string& query) {
    return Admin("GET", "/admin/tenants/" + tenant + "/search/export" + query);
  }
  // The (user, id) of each NDJSON line, in order.
  static std::vector<std::pair<std::string, std::string>> Lines(const std::string& ndjson) {
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t at = 0; at < ndjson.size();) {
      size_t end = ndjson.find('\n', at);
      EXPECT_NE(end, std::string::npos) << "the last line has no newline";
      if (end == std::string::npos) break;
      const std::string line = ndjson.substr(at, end - at);
      out.emplace_back(JsonAt(line, "@aihistory.userId"), JsonAt(line, "id"));
      at = end + 1;
    }
    return out;
  }
  static std::string Q(const std::string& search, const std::string& filter = "") {
    std::string out = "?$search=" + odata::PercentEncode(search);
    if (!filter.empty()) out += "&$filter=" + odata::PercentEncode(filter);
    return out;
  }
};

TEST_P(SearchStatisticsApiTest, CountsTheHitsPerUserAndAppClassOfOneTenant) {
  Store(kTenantA, licensed_.id, "a1", kFirstParty, "the quarterly budget");
  Store(kTenantA, licensed_.id, "a2", kFirstParty, "Budget für Müller");
  Store(kTenantA, licensed_.id, "a3", kThirdOff, "budget of a hidden source");
  Store(kTenantA, licensed_.id, "a4", kFirstParty, "nothing to find");
  Store(kTenantA, unlicensed_.id, "a5", kThirdOn, "an unlicensed user's budget");
  Store(kTenantB, tenant_b_user_.id, "b1", kFirstParty, "tenant B's budget");

  auto r = Statistics(kTenantA, Q("budget"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "contentQuery"), "budget");
  EXPECT_EQ(JsonAt(r.body, "indexedItemCount"), "4");
  EXPECT_EQ(JsonAt(r.body, "userCount"), "2");
  EXPECT_EQ(JsonAt(r.body, "users.0.userId"), licensed_.id);
  EXPECT_EQ(JsonAt(r.body, "users.0.itemCount"), "3");
  EXPECT_EQ(JsonAt(r.body, "users.1.userId"), unlicensed_.id);
  EXPECT_EQ(JsonAt(r.body, "users.1.itemCount"), "1");
  EXPECT_EQ(JsonAt(r.body, "appClassCount"), "3");
  EXPECT_EQ(JsonAt(r.body, "appClasses.0.appClass"), kFirstParty);
  EXPECT_EQ(JsonAt(r.body, "appClasses.0.itemCount"), "2");

  // With a $filter, and with a restriction inside the query: the same conditions as the export's.
  r = Statistics(kTenantA, Q("budget", "appClass eq '" + std::string(kFirstParty) + "'"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "indexedItemCount"), "2");
  EXPECT_EQ(JsonAt(r.body, "userCount"), "1");
  r = Statistics(kTenantA, Q("muller OR appClass:Contoso.*"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "indexedItemCount"), "3");

  // Nothing of tenant A in tenant B's figures, nor the other way round.
  r = Statistics(kTenantB, Q("budget"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "indexedItemCount"), "1");
  EXPECT_EQ(JsonAt(r.body, "users.0.userId"), tenant_b_user_.id);
  r = Statistics(kTenantA, Q("zyzzogeton"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "indexedItemCount"), "0");
  EXPECT_EQ(JsonArraySize(r.body, "users"), 0u);
}

TEST_P(SearchStatisticsApiTest, BadInputIsAClearBadRequest) {
  auto expect = [&](const http::Response& r, int status, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(JsonAt(r.body, "error.message").find(needle), std::string::npos) << r.body;
  };
  expect(Statistics(kTenantA, ""), 400, "$search is required");
  expect(Statistics(kTenantA, Q("budget AND")), 400, "'AND' needs a term after it");
  expect(Statistics(kTenantA, Q("\"unbalanced")), 400, "$search");
  expect(Statistics(kTenantA, Q("budget", "appClass eq")), 400, "$filter");
  expect(Statistics(kTenantA, "?$search=%FF"), 400, "$search");
  expect(Statistics("not-a-tenant", Q("budget")), 400, "tenant id");
  expect(Statistics("cccccccc-3333-4333-8333-000000000003", Q("budget")), 404, "cccccccc");
  auto anonymous = Send("GET", "/admin/tenants/" + std::string(kTenantA) + "/search/statistics" + Q("budget"));
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
}

// The export of exactly what the statistics count: one stored interaction per line with its owner,
// newest first, every source and user of the tenant and nothing of another, across many store reads.
TEST_P(SearchStatisticsApiTest, ExportsExactlyTheHitsAsNdjson) {
  Store(kTenantA, licensed_.id, "a1", kFirstParty, "the quarterly budget");
  Store(kTenantA, licensed_.id, "a22", kThirdOff, "budget of a hidden source");
  Store(kTenantA, licensed_.id, "a333", kFirstParty, "nothing to find");
  Store(kTenantA, unlicensed_.id, "a4444", kThirdOn, "an unlicensed user's budget");
  Store(kTenantB, tenant_b_user_.id, "b1", kFirstParty, "tenant B's budget");

  auto r = SearchExport(kTenantA, Q("budget"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/x-ndjson");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Lines(r.body), (Pairs{{unlicensed_.id, "a4444"}, {licensed_.id, "a22"}, {licensed_.id, "a1"}}));
  auto stats = Statistics(kTenantA, Q("budget"));
  EXPECT_EQ(JsonAt(stats.body, "indexedItemCount"), "3");
  // Each line is the stored interaction as the export gives it.
  const std::string first = r.body.substr(0, r.body.find('\n'));
  EXPECT_EQ(JsonAt(first, "body.content"), "an unlicensed user's budget");
  EXPECT_EQ(JsonAt(first, "appClass"), kThirdOn);

  r = SearchExport(kTenantA, Q("budget", "appClass eq '" + std::string(kFirstParty) + "'"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Lines(r.body), (Pairs{{licensed_.id, "a1"}}));
  r = SearchExport(kTenantB, Q("budget"));
  EXPECT_EQ(Lines(r.body), (Pairs{{tenant_b_user_.id, "b1"}}));
  r = SearchExport(kTenantA, Q("zyzzogeton"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "");

  // More hits than one read of the store (1,000), a frequent term: each exactly once, in order.
  std::vector<store::ItemToWrite> batch;
  for (int i = 0; i < 2600; ++i) {
    model::Interaction in;
    in.id = "m" + std::to_string(i);
    in.app_class = kFirstParty;
    in.interaction_type = model::InteractionType::kUserPrompt;
    in.created = model::Timestamp::FromUnixMillis(1767225600000 + 1000 * static_cast<int64_t>((i * 7) % 2600));
    in.body = model::Body{"text", i % 2 ? "many budget lines" : "many other lines"};
    batch.push_back(store::PrepareItem(kTenantA, i % 3 ? licensed_.id : unlicensed_.id, std::move(in)));
  }
  std::vector<store::ItemOutcome> outcomes;
  ASSERT_TRUE(store_->interactions().Write(batch, &outcomes).ok());
  r = SearchExport(kTenantA, Q("many"));
  ASSERT_EQ(r.status, 200);
  const Pairs lines = Lines(r.body);
  ASSERT_EQ(lines.size(), 2600u);
  EXPECT_EQ(lines.front().second, "m1857");  // (1857 * 7) % 2600 == 2599: the newest
  EXPECT_EQ(lines.back().second, "m0");
  std::set<std::string> ids;
  for (const auto& l : lines) ids.insert(l.second);
  EXPECT_EQ(ids.size(), 2600u);
  r = SearchExport(kTenantA, Q("many budget"));
  EXPECT_EQ(Lines(r.body).size(), 1300u);
}

TEST_P(SearchStatisticsApiTest, ExportBadInputIsAClearBadRequest) {
  auto expect = [&](const http::Response& r, int status, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(JsonAt(r.body, "error.message").find(needle), std::string::npos) << r.body;
  };
  expect(SearchExport(kTenantA, ""), 400, "$search is required");
  expect(SearchExport(kTenantA, Q("NOT budget")), 400, "$search");
  expect(SearchExport(kTenantA, Q("budget", "createdDateTime gt")), 400, "$filter");
  expect(SearchExport(kTenantA, "?$search=%FF"), 400, "$search");
  expect(SearchExport("not-a-tenant", Q("budget")), 400, "tenant id");
  expect(SearchExport("cccccccc-3333-4333-8333-000000000003", Q("budget")), 404, "cccccccc");
  auto anonymous = Send("GET", "/admin/tenants/" + std::string(kTenantA) + "/search/export" + Q("budget"));
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
}

INSTANTIATE_TEST_SUITE_P(Engines, SearchStatisticsApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
