// The audit log (store/audit_log.h) and the way entries reach it (store/audit_trail.h), on every engine.
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "base/clock.h"
#include "store/audit_trail.h"
#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

using store::AuditActor;
using store::AuditEntry;
using store::AuditQuery;

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

class AuditLogTest : public StoreTest {
 protected:
  static AuditEntry Entry(const std::string& tenant, const std::string& action, int64_t time_ms = kStart) {
    AuditEntry e;
    e.time_ms = time_ms;
    e.tenant_id = tenant;
    e.actor_kind = AuditActor::kApp;
    e.actor_id = "app-1";
    e.action = action;
    e.target = "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions";
    e.request_id = "req-" + action;
    e.status = 200;
    e.count = 7;
    e.details = R"({"filter":"appClass eq 'x'"})";
    return e;
  }
  std::vector<AuditEntry> Read(AuditQuery q) {
    std::vector<AuditEntry> out;
    Status s = store().audit().Page(q, [&](const AuditEntry& e) {
      out.push_back(e);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }
  std::vector<AuditEntry> ReadAll(const std::string& tenant = "", const std::string& filter = "") {
    AuditQuery q;
    q.tenant_id = tenant;
    auto f = odata::AuditFilter::Parse(filter);
    EXPECT_TRUE(f.ok()) << f.status().message();
    if (f.ok()) q.filter = *f;
    q.limit = 100000;
    return Read(q);
  }
};

TEST_P(AuditLogTest, AnEntryIsReadBackAsAppendedInSequence) {
  ASSERT_TRUE(store().audit().Append({Entry("t1", "interactions.export"), Entry("t1", "interactions.search")}).ok());
  auto all = ReadAll();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_LT(all[0].seq, all[1].seq);
  const AuditEntry& e = all[0];
  EXPECT_EQ(e.time_ms, kStart);
  EXPECT_EQ(e.tenant_id, "t1");
  EXPECT_EQ(e.actor_kind, AuditActor::kApp);
  EXPECT_EQ(e.actor_id, "app-1");
  EXPECT_EQ(e.action, "interactions.export");
  EXPECT_EQ(e.request_id, "req-interactions.export");
  EXPECT_TRUE(e.success);
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.count, 7);
  EXPECT_EQ(e.details, R"({"filter":"appClass eq 'x'"})");
}

TEST_P(AuditLogTest, FiltersOnTimeActorActionAndTenantAndNeverLeaveTheTenant) {
  AuditEntry other = Entry("t2", "tenants.create", kStart + 2 * kDayMs);
  other.actor_kind = AuditActor::kAdminKey;
  other.actor_id = "admin-key";
  ASSERT_TRUE(store().audit().Append({Entry("t1", "interactions.export", kStart),
                                      Entry("t1", "interactions.search", kStart + kDayMs), other,
                                      Entry("", "admin.authenticationFailed", kStart + 3 * kDayMs)})
                  .ok());
  EXPECT_EQ(ReadAll().size(), 4u);
  EXPECT_EQ(ReadAll("t1").size(), 2u);
  // A tenant's view with another tenant named in the filter shows nothing, not the other tenant's.
  EXPECT_EQ(ReadAll("t1", "tenantId eq 't2'").size(), 0u);
  EXPECT_EQ(ReadAll("", "tenantId eq 't2'").size(), 1u);
  EXPECT_EQ(ReadAll("", "createdDateTime ge 2026-01-02T00:00:00Z and createdDateTime lt 2026-01-04T00:00:00Z").size(), 2u);
  EXPECT_EQ(ReadAll("", "createdDateTime gt 2026-01-02T00:00:00Z").size(), 2u);
  EXPECT_EQ(ReadAll("", "createdDateTime le 2026-01-02T00:00:00Z").size(), 2u);
  EXPECT_EQ(ReadAll("", "actorKind eq 'adminKey'").size(), 1u);
  EXPECT_EQ(ReadAll("", "actorId eq 'app-1' and action eq 'interactions.search'").size(), 1u);
  EXPECT_EQ(ReadAll("", "startswith(action, 'interactions.')").size(), 2u);
  EXPECT_EQ(ReadAll("", "outcome eq 'failure'").size(), 0u);
}

TEST_P(AuditLogTest, TheStoreRefusesToChangeAnEntry) {
  ASSERT_TRUE(store().audit().Append({Entry("t1", "interactions.export")}).ok());
  // The schema's trigger: not even SQL run on the database itself rewrites an entry.
  const std::string update = "UPDATE audit_log SET action = 'nothing happened'";
  Status refused;
  if (IsPostgresLocation(location_)) {
    auto conn = store::postgres::Connection::Open(location_);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    refused = (*conn)->Exec(update);
  } else {
    auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    refused = (*conn)->Exec(update);
  }
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("append-only"), std::string::npos) << refused.message();
  EXPECT_EQ(ReadAll()[0].action, "interactions.export");
}

TEST_P(AuditLogTest, PagesByKeysetWithoutGapsWhileOthersAppend) {
  std::atomic<bool> stop{false};
  std::atomic<int> appended{0};
  // Three writers at once: on PostgreSQL their transactions would take sequence numbers out of
  // commit order but for the append's serialisation.
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&] {
      while (!stop.load() && appended.load() < 400) {
        std::vector<AuditEntry> batch;
        for (int i = 0; i < 4; ++i) batch.push_back(Entry("t1", "interactions.export"));
        if (store().audit().Append(batch).ok()) appended += 4;
      }
    });
  }
  std::vector<int64_t> seen;
  AuditQuery q;
  q.tenant_id = "t1";
  q.limit = 7;
  for (int rounds = 0; rounds < 10000; ++rounds) {
    auto page = Read(q);
    for (const AuditEntry& e : page) seen.push_back(e.seq);
    if (!page.empty()) q.after_seq = page.back().seq;
    if (page.empty() && appended.load() >= 400) break;
  }
  stop = true;
  for (std::thread& w : writers) w.join();
  for (auto page = Read(q); !page.empty(); page = Read(q)) {
    for (const AuditEntry& e : page) seen.push_back(e.seq);
    q.after_seq = page.back().seq;
  }
  // Every appended entry was seen exactly once, in order.
  EXPECT_EQ(seen.size(), static_cast<size_t>(appended.load()));
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), seen.size());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_P(AuditLogTest, RetentionRemovesOnlyWhatIsOlderThanItsPeriodOnTheClock) {
  ManualClock clock(kStart);
  store::AuditTrailOptions options;
  options.background = false;
  options.retention_days = 2557;
  options.sweep_batch = 3;  // several transactions
  store::AuditTrail trail(store().audit(), clock, options);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(trail.RecordNow(Entry("t1", "tenants.create", 0)).ok());
  clock.Advance(std::chrono::milliseconds(2000 * kDayMs));
  ASSERT_TRUE(trail.RecordNow(Entry("t1", "users.update", 0)).ok());
  auto none = trail.Sweep();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(ReadAll().size(), 11u);
  // Seven years (and a day) after the first ten: they go, the later one stays, and the pass is on record.
  clock.Set(kStart + 2558 * kDayMs);
  auto swept = trail.Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_EQ(*swept, 10);
  auto left = ReadAll();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].action, "users.update");
  EXPECT_EQ(left[1].action, "auditLog.retention");
  EXPECT_EQ(left[1].count, 10);
  EXPECT_EQ(left[1].actor_kind, AuditActor::kSystem);
}

TEST_P(AuditLogTest, QueuedEntriesAreWrittenInBatchesAndAFullQueueDropsAndCounts) {
  ManualClock clock(kStart);
  store::AuditTrailOptions options;
  options.background = false;  // nothing drains the queue: overload
  options.queue_capacity = 50;
  options.batch = 20;
  store::AuditTrail trail(store().audit(), clock, options);
  int accepted = 0;
  for (int i = 0; i < 1000; ++i) accepted += trail.Record(Entry("t1", "interactions.export", 0)) ? 1 : 0;
  EXPECT_EQ(accepted, 50);
  EXPECT_EQ(trail.dropped(), 950u);
  EXPECT_EQ(trail.queued(), 50u);  // memory stays bounded
  ASSERT_TRUE(trail.Flush().ok());
  EXPECT_EQ(trail.queued(), 0u);
  auto all = ReadAll();
  ASSERT_EQ(all.size(), 50u);
  EXPECT_EQ(all[0].time_ms, kStart);
  // Room again once written.
  EXPECT_TRUE(trail.Record(Entry("t1", "interactions.export", 0)));
}

TEST_P(AuditLogTest, TheBackgroundThreadWritesQueuedEntriesAndTheEndWritesTheRest) {
  SystemClock clock;
  {
    store::AuditTrailOptions options;
    options.flush_interval_ms = 10;
    store::AuditTrail trail(store().audit(), clock, options);
    for (int i = 0; i < 30; ++i) ASSERT_TRUE(trail.Record(Entry("t1", "interactions.export", 0)));
    // Written by the thread within a functional bound (10 ms interval; 10 s allowed).
    for (int i = 0; i < 1000 && ReadAll().size() < 30; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(ReadAll().size(), 30u);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(trail.Record(Entry("t1", "interactions.search", 0)));
  }
  EXPECT_EQ(ReadAll().size(), 35u);
}

TEST_P(AuditLogTest, EveryDeletionIsRecordedInItsTransactionWithItsCounts) {
  for (const char* id : {"1", "2", "3"}) {
    model::Interaction in;
    in.id = id;
    in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
    in.session_id = "s1";
    in.created = model::Timestamp::FromUnixMillis(kStart);
    in.body = model::Body{"text", "hello"};
    std::vector<store::ItemOutcome> out;
    ASSERT_TRUE(store().interactions().Write({store::PrepareItem("t1", "u1", in)}, &out).ok());
  }
  store::Deletion one = store::Deletion::One("t1", "u1", "1");
  one.actor = "admin";
  ASSERT_TRUE(store().interactions().Delete(one).ok());
  store::Deletion erasure = store::Deletion::User("t1", "u1");
  erasure.reason = store::Deletion::Reason::kErasure;
  erasure.actor = "cli";
  ASSERT_TRUE(store().interactions().Delete(erasure).ok());
  store::Deletion retention;
  retention.tenant_id = "t1";
  retention.scope = store::Deletion::Scope::kKeys;
  retention.reason = store::Deletion::Reason::kRetention;
  retention.on_hold = store::Deletion::OnHold::kSkip;
  retention.actor = "retention";
  retention.keys = {{"u1", "2"}};  // already erased: nothing deleted, nothing recorded
  ASSERT_TRUE(store().interactions().Delete(retention).ok());

  auto all = ReadAll("t1");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].action, "interactions.delete");
  EXPECT_EQ(all[0].actor_kind, AuditActor::kAdminKey);
  EXPECT_EQ(all[0].count, 1);
  EXPECT_EQ(all[0].target, "u1/1");
  EXPECT_EQ(all[1].action, "interactions.erase");
  EXPECT_EQ(all[1].actor_kind, AuditActor::kOperator);
  EXPECT_EQ(all[1].count, 2);
  EXPECT_NE(all[1].details.find("\"deleted\":2"), std::string::npos) << all[1].details;
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditLogTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
