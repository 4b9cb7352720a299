// The prepared-statement caches stay bounded whatever queries clients send (statement_cache.h):
// every distinct `$filter` shape is a distinct SQL text, and a client can send ever new ones.
#include <gtest/gtest.h>

#include <string>

#include "odata/filter.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/statement_cache.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

const char* kTenant = "tenant-cache";

model::Interaction Prompt(const std::string& id, int64_t ms) {
  model::Interaction in;
  in.id = id;
  in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
  in.interaction_type = model::InteractionType::kUserPrompt;
  in.created = model::Timestamp::FromUnixMillis(ms);
  in.body = model::Body{"text", "hello " + id};
  return in;
}

// A filter with `terms` comparisons or-ed together: each term count is its own SQL shape. Every
// term matches only item "1", whatever the count.
std::string Shape(int terms) {
  std::string f;
  for (int i = 0; i < terms; ++i) f += std::string(i ? " or " : "") + "id eq '1'";
  return f;
}

// The statements kept by one connection of `s`, and, for PostgreSQL, those the server holds for
// that session (DEALLOCATE really happened).
size_t CachedStatements(store::Store& s, size_t* on_server) {
  *on_server = 0;
  if (auto* sqlite = dynamic_cast<store::sqlite::SqliteStore*>(&s)) {
    auto lease = sqlite->database().Read();
    EXPECT_TRUE(lease.ok());
    return lease.ok() ? (*lease)->cached_statements() : 0;
  }
  auto& pg = dynamic_cast<store::postgres::PostgresStore&>(s);
  size_t cached = 0;
  Status st = pg.database().Run([&](store::postgres::Connection& c) {
    cached = c.prepared_statements();
    auto rows = c.Query("SELECT count(*) FROM pg_prepared_statements");
    if (!rows.ok()) return rows.status();
    *on_server = static_cast<size_t>(rows->Int(0, 0));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return cached;
}

class StatementCacheStoreTest : public StoreTest {};

TEST_P(StatementCacheStoreTest, StaysAtItsBoundAndCountsEvictions) {
  std::vector<store::ItemOutcome> out;
  ASSERT_TRUE(store().interactions().Write({store::PrepareItem(kTenant, "u1", Prompt("1", 1000)),
                                            store::PrepareItem(kTenant, "u1", Prompt("2", 2000))},
                                           &out).ok());
  store_.reset();  // reopened with a small cache below
  constexpr size_t kCapacity = 8;
  store::StoreOptions options;
  options.statement_cache_size = kCapacity;
  auto opened = store::OpenStore(location_, options);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  store_ = std::move(*opened);
  EXPECT_EQ(store().statement_cache_evictions(), 0u);

  constexpr int kShapes = 60;
  for (int terms = 1; terms <= kShapes; ++terms) {
    auto filter = odata::Filter::Parse(Shape(terms));
    ASSERT_TRUE(filter.ok()) << filter.status().message();
    store::PageQuery q;
    q.tenant_id = kTenant;
    q.user_id = "u1";
    q.filter = &*filter;
    std::vector<std::string> ids;
    Status st = store().interactions().Page(q, [&](const store::PageRow& r) {
      ids.emplace_back(r.id);
      return true;
    });
    ASSERT_TRUE(st.ok()) << st.message();
    ASSERT_EQ(ids, std::vector<std::string>{"1"}) << terms << " terms";
    size_t on_server = 0;
    ASSERT_LE(CachedStatements(store(), &on_server), kCapacity) << terms << " terms";
    ASSERT_LE(on_server, kCapacity + 1) << terms << " terms";  // + the count query itself
  }
  // Nearly every shape pushed an older statement out: kShapes - kCapacity on one connection, a few
  // less per connection when the pool spreads the pages over more than one.
  EXPECT_GE(store().statement_cache_evictions(), static_cast<uint64_t>(kShapes / 2));
  // A shape asked again after its eviction is prepared again and still right.
  auto first = odata::Filter::Parse(Shape(1));
  store::PageQuery again;
  again.tenant_id = kTenant;
  again.filter = &*first;
  int rows = 0;
  ASSERT_TRUE(store().interactions().Page(again, [&](const store::PageRow&) { return ++rows, true; }).ok());
  EXPECT_EQ(rows, 1);
}

TEST(StatementCacheTest, EvictsTheLeastRecentlyUsedButNeverOneInUse) {
  auto stats = std::make_shared<store::StatementCacheStats>();
  store::StatementCache<int> cache({2, stats});  // the value: 1 = in use
  std::vector<std::string> released;
  auto in_use = [](const int& v) { return v == 1; };
  auto add = [&](const std::string& key, int value) {
    cache.MakeRoom(in_use, [&](int&) { released.push_back(key); return Status::Ok(); });
    cache.Add(key, value);
  };
  add("a", 0);
  add("b", 0);
  ASSERT_NE(cache.Find("a"), nullptr);  // a is now the most recently used: b goes first
  released.clear();
  int* victim_value = nullptr;
  cache.MakeRoom(in_use, [&](int& v) { victim_value = &v; return Status::Ok(); });
  EXPECT_EQ(cache.Find("b"), nullptr);
  EXPECT_NE(cache.Find("a"), nullptr);
  EXPECT_NE(victim_value, nullptr);
  EXPECT_EQ(stats->evictions.load(), 1u);
  cache.Add("c", 1);  // in use
  *cache.Find("a") = 1;  // in use too
  cache.MakeRoom(in_use, [&](int&) { return Status::Ok(); });
  EXPECT_EQ(cache.size(), 2u);  // nothing could go: briefly over nothing, never a borrowed one
  EXPECT_EQ(stats->evictions.load(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, StatementCacheStoreTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
