// Queries cost what they return: every supported equality filter of the export (a conversation, a
// request, an appClass, a locale) is served by an index that leads with its value, per user and
// tenant-wide, on both engines; EXPLAIN shows which, so a change that loses one fails here.
#include "odata/filter.h"
#include "store/page_sql.h"
#include "store/postgres/connection.h"
#include "store/postgres/session.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/session.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

const char* kTenant = "tenant-p";

class FilterPlanTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    // A history where each filtered value is rare: many users, sessions, requests; few appClasses
    // and locales, with one rare of each.
    std::vector<store::ItemToWrite> batch;
    for (int i = 0; i < 4000; ++i) {
      model::Interaction in;
      in.id = "i" + std::to_string(i);
      in.app_class = i == 7 ? "IPM.Rare" : (i % 2 ? "IPM.SkypeTeams.Message.Copilot.Word" : "IPM.SkypeTeams.Message.Copilot.Teams");
      in.created = model::Timestamp::FromUnixMillis(1000 + i);
      in.session_id = "s" + std::to_string(i / 4);
      in.request_id = "r" + std::to_string(i / 2);
      in.locale = i == 9 ? "th-th" : "en-us";
      in.body = model::Body{"text", "hello"};
      batch.push_back(store::PrepareItem(kTenant, "u" + std::to_string(i % 4), std::move(in)));
    }
    std::vector<store::ItemOutcome> out;
    ASSERT_TRUE(store().interactions().Write(batch, &out).ok());
  }

  // The plan of the first page of `filter`, per user (user "u1") or tenant-wide ("").
  std::string Plan(const std::string& filter, const std::string& user) {
    auto f = odata::Filter::Parse(filter);
    EXPECT_TRUE(f.ok()) << f.status().message();
    store::PageQuery q;
    q.tenant_id = kTenant;
    q.user_id = user;
    q.filter = &*f;
    q.limit = 101;
    std::string plan;
    if (GetParam() == "sqlite") {
      store::PageSql page = store::BuildPageSql(q, false, store::sql::SqliteDialect());
      auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
      EXPECT_TRUE(conn.ok());
      if (!conn.ok()) return "";
      EXPECT_TRUE((*conn)->Exec("ANALYZE").ok());
      EXPECT_TRUE(QueryOn(**conn, "EXPLAIN QUERY PLAN " + page.sql, page.params,
                                       [&](const store::sql::Row& s) { plan += std::string(s.Text(3)) + "\n"; })
                      .ok());
    } else {
      store::PageSql page = store::BuildPageSql(q, false, store::sql::PostgresDialect());
      auto conn = store::postgres::Connection::Open(location_);
      EXPECT_TRUE(conn.ok());
      if (!conn.ok()) return "";
      EXPECT_TRUE((*conn)->Exec("ANALYZE interactions").ok());
      // A few thousand rows fit in a few pages, cheapest read whole: ask for a large table's plan.
      EXPECT_TRUE((*conn)->Exec("SET enable_seqscan = off").ok());
      EXPECT_TRUE(QueryOn(**conn, "EXPLAIN " + page.sql, page.params,
                                         [&](const store::sql::Row& r) { plan += r.String(0) + "\n"; })
                      .ok());
    }
    return plan;
  }

  void ExpectIndex(const std::string& filter, const std::string& user, const std::string& index) {
    const std::string plan = Plan(filter, user);
    EXPECT_NE(plan.find(index), std::string::npos) << filter << " (user '" << user << "'):\n" << plan;
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN interactions"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;  // no sort of everything matched
  }
};

TEST_P(FilterPlanTest, EachFilterIsServedByItsIndex) {
  ExpectIndex("sessionId eq 's12'", "u1", "interactions_tenant_session");
  ExpectIndex("sessionId eq 's12'", "", "interactions_tenant_session");
  ExpectIndex("requestId eq 'r40'", "u1", "interactions_tenant_request");
  ExpectIndex("requestId eq 'r40'", "", "interactions_tenant_request");
  ExpectIndex("appClass eq 'IPM.Rare'", "u1", "interactions_user_app");
  ExpectIndex("appClass eq 'IPM.Rare'", "", "interactions_tenant_app");
  ExpectIndex("locale eq 'th-th'", "u1", "interactions_user_locale");
  ExpectIndex("locale eq 'th-th'", "", "interactions_tenant_locale");
}

TEST_P(FilterPlanTest, AFilterOnTimeIsServedByTheTimeIndex) {
  ExpectIndex("createdDateTime ge 1970-01-01T00:00:03Z", "u1", "interactions_user_time");
  ExpectIndex("createdDateTime ge 1970-01-01T00:00:03Z", "", "interactions_tenant_time");
}

INSTANTIATE_TEST_SUITE_P(Engines, FilterPlanTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
