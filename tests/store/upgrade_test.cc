// Upgrading a database written by the previous release, on every engine: tenant-wide consents of
// AiEnterpriseInteraction.Read.User become per-user grants, subscriptions get their version, and
// (PostgreSQL) the outbox's inline payloads move to the shared payload table, nothing lost.
#include <gtest/gtest.h>

#include <set>

#include "integrity/log_leaf.h"
#include "store/page_sql.h"
#include "store/postgres/connection.h"
#include "store/postgres/schema.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/store.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

constexpr const char* kTenant = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr const char* kAda = "aaaaaaaa-0000-4000-8000-0000000000a1";
constexpr const char* kLin = "aaaaaaaa-0000-4000-8000-0000000000a2";
constexpr const char* kPat = "aaaaaaaa-0000-4000-8000-0000000000a3";  // a personal account
constexpr const char* kPerUserApp = "cccccccc-0000-4000-8000-000000000001";
constexpr const char* kBothApp = "cccccccc-0000-4000-8000-000000000002";

// The last schema version of the release before per-user grants, per engine.
int PreviousRelease(const std::string& engine) { return engine == "sqlite" ? 5 : 4; }

// The previous release's directory and subscriptions, in SQL both engines read alike.
const char* kOldDirectory = R"sql(
  INSERT INTO directory_tenants VALUES ('aaaaaaaa-0000-4000-8000-000000000001', 'Contoso');
  INSERT INTO directory_users VALUES
    ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-0000000000a1', 'ada@contoso.example',
     'ada@contoso.example', 'Ada', 'work'),
    ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-0000000000a2', 'lin@contoso.example',
     'lin@contoso.example', 'Lin', 'work'),
    ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-0000000000a3', 'pat@outlook.example',
     'pat@outlook.example', 'Pat', 'personal');
  INSERT INTO directory_applications VALUES
    ('cccccccc-0000-4000-8000-000000000001', 'Per user', 'aaaaaaaa-0000-4000-8000-000000000001', 1),
    ('cccccccc-0000-4000-8000-000000000002', 'Both', 'aaaaaaaa-0000-4000-8000-000000000001', 1);
  INSERT INTO directory_consents VALUES
    ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000001', 'AiEnterpriseInteraction.Read.User', 7),
    ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002', 'AiEnterpriseInteraction.Read.User', 7),
    ('aaaaaaaa-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002', 'AiEnterpriseInteraction.Read.All', 7);
  INSERT INTO subscriptions VALUES
    ('aaaaaaaa-0000-4000-8000-000000000001', 's1', 'cccccccc-0000-4000-8000-000000000001',
     'cccccccc-0000-4000-8000-000000000001', false, 'aaaaaaaa-0000-4000-8000-0000000000a1', '/r', '', 1,
     'https://receiver.example/1', '', '', false, '', '', 9000000000000, 1, 0),
    ('aaaaaaaa-0000-4000-8000-000000000001', 's2', 'cccccccc-0000-4000-8000-000000000002',
     'cccccccc-0000-4000-8000-000000000002', false, '', '/r', '', 1,
     'https://receiver.example/2', '', '', false, '', '', 9000000000000, 1, 0);
)sql";

// Three waiting entries, two of them carrying the same payload, in the previous release's PostgreSQL
// outbox (payloads inline).
const char* kOldPostgresOutbox = R"sql(
  INSERT INTO notification_outbox (tenant_id, subscription_id, kind, url, payload, items, enqueued_ms, attempts,
                                   next_attempt_ms)
  VALUES ('aaaaaaaa-0000-4000-8000-000000000001', 's1', 0, 'https://receiver.example/1',
          convert_to('[{"seq":1}]', 'UTF8'), 1, 5, 2, 6),
         ('aaaaaaaa-0000-4000-8000-000000000001', 's2', 0, 'https://receiver.example/2',
          convert_to('[{"seq":1}]', 'UTF8'), 1, 5, 0, 6),
         ('aaaaaaaa-0000-4000-8000-000000000001', 's2', 1, 'https://receiver.example/life',
          convert_to('{"value":[]}', 'UTF8'), 1, 5, 0, 6);
)sql";

class UpgradeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = NewStoreLocation(GetParam(), "aih-upgrade");
    ASSERT_FALSE(location_.empty());
  }
  void TearDown() override { RemoveStoreLocation(location_); }

  // Brings a new database to the previous release's schema (or `version`) and runs `sql` on it.
  void MakePreviousRelease(const std::string& sql, int version = 0) {
    if (version == 0) version = PreviousRelease(GetParam());
    if (IsPostgresLocation(location_)) {
      auto conn = store::postgres::Connection::Open(location_);
      ASSERT_TRUE(conn.ok()) << conn.status().message();
      ASSERT_TRUE(store::postgres::MigrateTo(**conn, version).ok());
      Status s = (*conn)->Exec(sql);
      ASSERT_TRUE(s.ok()) << s.message();
      return;
    }
    auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    ASSERT_TRUE(store::sqlite::MigrateTo(**conn, version).ok());
    Status s = (*conn)->Exec(sql);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  int64_t PostgresCount(const std::string& sql) {
    auto conn = store::postgres::Connection::Open(location_);
    EXPECT_TRUE(conn.ok());
    if (!conn.ok()) return -1;
    auto rows = (*conn)->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return rows.ok() ? rows->Int(0, 0) : -1;
  }

  std::string location_;
};

// Interactions stored before the verifiable log (schema 8) are logged once, as they are, when the
// log first publishes or verifies; a row added behind aihistory's back afterwards is not.
TEST_P(UpgradeTest, InteractionsOlderThanTheLogAreLoggedOnceAndNothingLater) {
  std::string rows;
  for (const char* id : {"1", "2", "3"}) {
    rows += std::string("INSERT INTO interactions (tenant_id, user_id, id, created_ticks, app_class, interaction_type,"
                        " content_hash, version, json) VALUES ('") + kTenant + "', '" + kAda + "', '" + id +
            "', 1, 'IPM.SkypeTeams.Message.Copilot.Teams', 'userPrompt', 1, " + (id[0] == '2' ? "3" : "1") +
            ", '{\"id\":\"" + id + "\"}');\n";
  }
  MakePreviousRelease(rows, 8);
  auto opened = store::OpenStore(location_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  store::LogStore& log = (*opened)->log();
  EXPECT_EQ(*log.Size(kTenant), 0u);
  ASSERT_TRUE(log.AdoptPending().ok());
  ASSERT_EQ(*log.Size(kTenant), 3u);
  auto second = log.FindLeaf(kTenant, kAda, "2", 3);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->leaf.etag, "2.3");
  EXPECT_EQ(second->leaf.content_sha256, integrity::Sha256("{\"id\":\"2\"}"));
  // Once only: a row inserted directly now stays unlogged, for `aihistory verify` to name.
  const std::string forged = std::string("INSERT INTO interactions (tenant_id, user_id, id, created_ticks, app_class,"
                                         " interaction_type, content_hash, version, json) VALUES ('") +
                             kTenant + "', '" + kAda + "', 'forged', 1, 'x', 'userPrompt', 1, 1, '{}')";
  if (IsPostgresLocation(location_)) {
    auto conn = store::postgres::Connection::Open(location_);
    ASSERT_TRUE(conn.ok() && (*conn)->Exec(forged).ok());
  } else {
    auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
    ASSERT_TRUE(conn.ok() && (*conn)->Exec(forged).ok());
  }
  ASSERT_TRUE(log.AdoptPending().ok());
  EXPECT_EQ(*log.Size(kTenant), 3u);
}

TEST_P(UpgradeTest, ReadUserConsentsBecomeGrantsForTheWorkAccountsOfTheTenant) {
  MakePreviousRelease(kOldDirectory);
  auto opened = store::OpenStore(location_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  store::DirectoryStore& d = (*opened)->directory();
  for (const char* app : {kPerUserApp, kBothApp}) {
    EXPECT_TRUE(*d.HasUserAccess(kTenant, app, kAda)) << app;
    EXPECT_TRUE(*d.HasUserAccess(kTenant, app, kLin)) << app;
    EXPECT_FALSE(*d.HasUserAccess(kTenant, app, kPat)) << "personal accounts were never subscribable";
  }
  EXPECT_TRUE(d.ConsentedRoles(kTenant, kPerUserApp)->empty());
  EXPECT_EQ(*d.ConsentedRoles(kTenant, kBothApp), std::vector<std::string>{"AiEnterpriseInteraction.Read.All"});
  // Subscriptions start counting their changes at 1.
  auto s1 = (*opened)->subscriptions().Get(kTenant, "s1");
  ASSERT_TRUE(s1.ok()) << s1.status().message();
  EXPECT_EQ(s1->version, 1);
  EXPECT_TRUE(*(*opened)->subscriptions().UpdateIfUnchanged(kTenant, "s1", 1, {}, std::nullopt));
}

TEST_P(UpgradeTest, WaitingNotificationsKeepTheirPayloadsAndShareThem) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "SQLite has shared its payloads from the start";
  MakePreviousRelease(std::string(kOldDirectory) + kOldPostgresOutbox);
  auto opened = store::OpenStore(location_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  auto pending = (*opened)->subscriptions().Pending(kTenant, "", 10);
  ASSERT_TRUE(pending.ok()) << pending.status().message();
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[0].payload, R"([{"seq":1}])");
  EXPECT_EQ((*pending)[0].attempts, 2);
  EXPECT_EQ((*pending)[0].next_attempt_ms, 6);
  EXPECT_EQ((*pending)[1].payload, R"([{"seq":1}])");
  EXPECT_EQ((*pending)[2].payload, R"({"value":[]})");
  EXPECT_EQ((*pending)[2].kind, store::OutboxKind::kLifecycle);
  EXPECT_EQ(PostgresCount("SELECT count(*) FROM notification_payloads"), 2);

  // They are delivered as any other, and their payloads go with the last entry carrying them.
  auto claimed = (*opened)->subscriptions().ClaimDue("w", 10, 1000, 10, 10, {});
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  ASSERT_EQ(claimed->size(), 3u);
  std::vector<store::Settlement> delivered;
  for (const auto& e : *claimed) {
    store::Settlement st;
    st.tenant_id = e.tenant_id;
    st.subscription_id = e.subscription_id;
    st.entry_id = e.entry_id;
    delivered.push_back(st);
  }
  ASSERT_TRUE((*opened)->subscriptions().Settle("w", delivered).ok());
  EXPECT_EQ(PostgresCount("SELECT count(*) FROM notification_payloads"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, UpgradeTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
