// PostgreSQL-specific: several servers over one database (each Store object is one `aihistory serve`),
// migrations racing at start, and losing the database server. Skipped without AIH_TEST_POSTGRES_URL.
// The same over real HTTP, with `aihistory serve` processes: tests/integration/scale_out_test.cc.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "store/postgres/connection.h"
#include "store/postgres/database.h"
#include "store/postgres/schema.h"
#include "store/postgres/session.h"
#include "store/sql/sql_log.h"
#include "store/store.h"
#include "store_fixture.h"
#include "support/postgres_server.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;
using store::ItemOutcome;
using store::ItemToWrite;
using store::WriteResult;

model::Interaction MakeInteraction(const std::string& id, int64_t ms, const std::string& text = "hello") {
  model::Interaction in;
  in.id = id;
  in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
  in.created = model::Timestamp::FromUnixMillis(ms);
  in.body = model::Body{"text", text};
  return in;
}

std::unique_ptr<store::Store> Open(const std::string& url) {
  auto s = store::OpenStore(url);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? std::move(*s) : nullptr;
}

// Runs `sql` (one row, one int8 column) on `url`.
int64_t QueryInt(const std::string& url, const std::string& sql) {
  auto conn = store::postgres::Connection::Open(url);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return -1;
  auto rows = (*conn)->Query(sql);
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  return rows.ok() && rows->size() == 1 ? rows->Int(0, 0) : -1;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresServerUrl().empty()) GTEST_SKIP() << "AIH_TEST_POSTGRES_URL is not set";
    url_ = CreateThrowawaySchema();
    ASSERT_FALSE(url_.empty());
  }
  void TearDown() override { DropThrowawaySchemas(); }
  std::string url_;
};

TEST_F(PostgresStoreTest, ServersStartingTogetherApplyEachMigrationOnce) {
  constexpr int kServers = 8;
  std::atomic<int> ready{0}, failures{0};
  std::vector<std::thread> servers;
  for (int i = 0; i < kServers; ++i) {
    servers.emplace_back([&] {
      ++ready;
      while (ready < kServers) std::this_thread::yield();  // start as close together as possible
      auto s = store::OpenStore(url_);
      if (!s.ok() || *(*s)->SchemaVersion() != store::postgres::LatestSchemaVersion()) ++failures;
    });
  }
  for (auto& t : servers) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM schema_migrations"), store::postgres::LatestSchemaVersion());
}

TEST_F(PostgresStoreTest, ServerProcessesStartingTogetherApplyEachMigrationOnce) {
  constexpr int kProcesses = 4;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto s = store::OpenStore(url_);
      _exit(s.ok() && *(*s)->SchemaVersion() == store::postgres::LatestSchemaVersion() ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a server failed to open the store";
  }
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM schema_migrations"), store::postgres::LatestSchemaVersion());
}

TEST_F(PostgresStoreTest, ADatabaseNewerThanThisBinaryIsRefused) {
  ASSERT_NE(Open(url_), nullptr);
  auto conn = store::postgres::Connection::Open(url_);
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Exec("INSERT INTO schema_migrations (version) VALUES (" +
                            std::to_string(store::postgres::LatestSchemaVersion() + 1) + ")").ok());
  auto s = store::OpenStore(url_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("upgrade aihistory"), std::string::npos) << s.status().message();
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailableAndNamed) {
  auto s = store::OpenStore("postgresql://aih@127.0.0.1:1/postgres");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kUnavailable);
  EXPECT_NE(s.status().message().find("127.0.0.1:1"), std::string::npos) << s.status().message();
}

TEST_F(PostgresStoreTest, AWriteAcknowledgedByOneServerIsVisibleFromAnotherAtOnce) {
  auto a = Open(url_), b = Open(url_);
  ASSERT_TRUE(a && b);
  std::vector<ItemToWrite> items;
  for (int i = 0; i < 10; ++i) items.push_back(store::PrepareItem("t", "u", MakeInteraction("id" + std::to_string(i), 1000 + i)));
  std::vector<ItemOutcome> out;
  ASSERT_TRUE(a->interactions().Write(items, &out).ok());
  EXPECT_TRUE(b->interactions().Get("t", "u", "id3").ok());

  // A cursor from one server continues on the other.
  store::PageQuery q;
  q.tenant_id = "t";
  q.user_id = "u";
  q.limit = 4;
  std::vector<std::string> seen;
  store::Store* servers[] = {a.get(), b.get()};
  for (int page = 0;; ++page) {
    std::vector<std::string> ids;
    odata::CursorPosition last;
    ASSERT_TRUE(servers[page % 2]->interactions().Page(q, [&](const store::PageRow& r) {
      ids.emplace_back(r.id);
      last = {r.ticks, std::string(r.id), std::string(r.user_id)};
      return true;
    }).ok());
    seen.insert(seen.end(), ids.begin(), ids.end());
    if (static_cast<int>(ids.size()) < q.limit) break;
    q.after = last;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"id9", "id8", "id7", "id6", "id5", "id4", "id3", "id2", "id1", "id0"}));

  // An update through B is what A reads next, and A's re-send of it is unchanged at B's version.
  auto edited = store::PrepareItem("t", "u", MakeInteraction("id3", 1003, "edited"));
  ASSERT_TRUE(b->interactions().Write({edited}, &out).ok());
  EXPECT_EQ(out[0].etag, "id3.2");
  auto json = a->interactions().Get("t", "u", "id3");
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"etag\":\"id3.2\""), std::string::npos);
  ASSERT_TRUE(a->interactions().Write({edited}, &out).ok());
  EXPECT_EQ(out[0].result, WriteResult::kUnchanged);
  EXPECT_EQ(out[0].etag, "id3.2");
}

// A write whose tenant gets its first subscription at the same moment, on another server, records
// its change unless it committed first (sql/sql_subscriptions.h TenantsWantingChanges): the write
// takes the tenant's subscriptions key shared, the creation takes it alone. Here a transaction holds
// the key alone with the new subscription inserted but not committed; the write must wait for it and
// then see the subscription. Were the key not taken, the write would not see the uncommitted row and
// would record no change: one lost notification.
TEST_F(PostgresStoreTest, AWriteBesideASubscriptionBeingCreatedWaitsForItAndRecordsItsChange) {
  auto server = Open(url_);
  ASSERT_TRUE(server);
  Subscribe(*server, "model-tenant");  // a row to copy: the creation below is that row in tenant "t"
  auto creation = store::postgres::Connection::Open(url_);
  ASSERT_TRUE(creation.ok()) << creation.status().message();
  store::postgres::Connection& c = **creation;
  ASSERT_TRUE(c.Exec("BEGIN").ok());
  ASSERT_TRUE(c.Exec("SELECT pg_advisory_xact_lock(hashtextextended('aihistory subscriptions t', 0))").ok());
  ASSERT_TRUE(c.Exec("CREATE TEMP TABLE copied ON COMMIT DROP AS SELECT * FROM subscriptions WHERE tenant_id = 'model-tenant';"
                     " UPDATE copied SET tenant_id = 't'; INSERT INTO subscriptions SELECT * FROM copied").ok());

  std::atomic<bool> written{false};
  Status status;
  std::thread write([&] {
    std::vector<ItemOutcome> out;
    status = server->interactions().Write({store::PrepareItem("t", "u", MakeInteraction("a", 1000))}, &out);
    written = true;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(written) << "the write went on while the tenant's subscription creation held its key";
  ASSERT_TRUE(c.Exec("COMMIT").ok());
  write.join();
  ASSERT_TRUE(status.ok()) << status.message();
  auto changes = server->changes().Peek(10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 1u) << "the write saw the subscription committed before it went on";
  EXPECT_EQ((*changes)[0].interaction_id, "a");
}

TEST_F(PostgresStoreTest, ServersWritingTheSameItemsAtOnceNeverLoseAVersion) {
  // Every write carries new content, so each one is either the first (stored) or a new version:
  // versions are counted under row locks, and crossed batches (deadlocks) are retried.
  constexpr int kServers = 3, kRounds = 6, kKeys = 20;
  std::vector<std::unique_ptr<store::Store>> servers;
  for (int i = 0; i < kServers; ++i) servers.push_back(Open(url_));
  Subscribe(*servers[0], "t");  // the change rows are counted below
  std::atomic<int> stored{0}, updated{0}, failures{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < kServers; ++s) {
    threads.emplace_back([&, s] {
      std::mt19937 rng(s);
      for (int round = 0; round < kRounds; ++round) {
        std::vector<ItemToWrite> items;
        for (int k = 0; k < kKeys; ++k) {
          std::string text = "server " + std::to_string(s) + " round " + std::to_string(round);
          items.push_back(store::PrepareItem("t", "u", MakeInteraction("k" + std::to_string(k), 1000 + k, text)));
        }
        std::shuffle(items.begin(), items.end(), rng);  // cross the other servers' lock order
        std::vector<ItemOutcome> out;
        Status st = servers[s]->interactions().Write(items, &out);
        if (!st.ok()) { ++failures; ADD_FAILURE() << st.message(); continue; }
        for (auto& o : out) ++(o.result == WriteResult::kStored ? stored : updated);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(stored, kKeys);
  EXPECT_EQ(updated, kKeys * (kServers * kRounds - 1));
  for (int k = 0; k < kKeys; ++k) {
    std::string id = "k" + std::to_string(k);
    auto json = servers[0]->interactions().Get("t", "u", id);
    ASSERT_TRUE(json.ok());
    EXPECT_NE(json->find("\"etag\":\"" + id + "." + std::to_string(kServers * kRounds) + "\""), std::string::npos)
        << *json;
  }
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM changes"), kKeys * kServers * kRounds);
}

// A group commit takes the turns of every log its jobs append to at once, sorted, before any job
// runs (sql/group_commit.h). Here each server's group appends to the logs of two tenants in opposite
// orders, taking its first tenant's turn and then waiting (up to three seconds) for the other server
// to take its own: turns taken job by job would deadlock there, and PostgreSQL would abort one of
// them to run it again. Each job must run exactly once, and both commit.
TEST_F(PostgresStoreTest, GroupsAppendingToTwoTenantsInOppositeOrdersNeverDeadlock) {
  store::postgres::Options options;
  options.writers = 1;
  options.pool_size = 2;
  auto first = store::postgres::Database::Open(url_, options);
  auto second = store::postgres::Database::Open(url_, options);
  ASSERT_TRUE(first.ok() && second.ok());
  std::mutex mu;
  std::condition_variable cv;
  int first_turns_taken = 0;
  std::atomic<int> runs{0};
  auto append = [](store::postgres::Connection& c, const std::string& tenant, const std::string& id) {
    integrity::LogLeaf leaf{integrity::LeafKind::kStored, tenant, "u", id, 1, id, integrity::Sha256(id)};
    return store::postgres::OnConnection(c, [&](store::sql::Session& s) { return store::sql::AppendToLog(s, {leaf}); });
  };
  auto job = [&](std::string one, std::string other) {
    return [&, one, other](store::postgres::Connection& c) -> Status {
      ++runs;
      AIH_RETURN_IF_ERROR(append(c, one, "from-" + one));
      {
        std::unique_lock lock(mu);
        ++first_turns_taken;
        cv.notify_all();
        cv.wait_for(lock, 3s, [&] { return first_turns_taken >= 2; });
      }
      return append(c, other, "from-" + one);
    };
  };
  Status one_status, other_status;
  std::thread a([&] { one_status = (*first)->Write(job("t1", "t2"), {"t1", "t2"}); });
  std::thread b([&] { other_status = (*second)->Write(job("t2", "t1"), {"t2", "t1"}); });
  a.join();
  b.join();
  EXPECT_TRUE(one_status.ok()) << one_status.message();
  EXPECT_TRUE(other_status.ok()) << other_status.message();
  EXPECT_EQ(runs, 2) << "a job ran again: its group waited for a turn in a cycle (a deadlock)";
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM log_leaves"), 4);
}

// An interaction write has no savepoint of its own (sql/group_commit.h Undo::kWithGroup). When such a
// job fails after all (here a statement PostgreSQL refuses, which aborts the whole transaction), the
// group goes back and runs again with every job in a savepoint: the failed job alone is undone.
TEST_F(PostgresStoreTest, AJobWithoutASavepointThatFailsRunsItsGroupAgainEachJobApart) {
  store::postgres::Options options;
  options.writers = 1;  // one writer: the jobs below are one group
  options.pool_size = 2;
  auto db = store::postgres::Database::Open(url_, options);
  ASSERT_TRUE(db.ok()) << db.status().message();
  {
    auto conn = store::postgres::Connection::Open(url_);
    ASSERT_TRUE(conn.ok() && (*conn)->Exec("CREATE TABLE t (v text)").ok());
  }
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    (void)(*db)->Write([released](store::postgres::Connection&) {
      released.wait();
      return Status::Ok();
    });
  });
  std::this_thread::sleep_for(50ms);  // the holder's group is running
  std::atomic<int> first_runs{0};
  std::vector<store::postgres::WriteQueue::Job> jobs{
      [&first_runs](store::postgres::Connection& c) {
        ++first_runs;
        return c.Exec("INSERT INTO t VALUES ('first')");
      },
      [](store::postgres::Connection& c) {
        AIH_RETURN_IF_ERROR(c.Exec("INSERT INTO t VALUES ('undone')"));
        return c.Exec("INSERT INTO no_such_table VALUES (1)");
      },
      [](store::postgres::Connection& c) { return c.Exec("INSERT INTO t VALUES ('last')"); }};
  std::vector<std::future<Status>> results;
  for (auto& job : jobs) {
    results.push_back(std::async(std::launch::async, [&db, job] {
      return (*db)->Write(job, {}, store::sql::Undo::kWithGroup);
    }));
    std::this_thread::sleep_for(50ms);  // queued in this order
  }
  release.set_value();
  holder.join();
  const Status first = results[0].get(), failed = results[1].get(), last = results[2].get();
  EXPECT_TRUE(first.ok()) << first.message();
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find("no_such_table"), std::string::npos) << failed.message();
  EXPECT_TRUE(last.ok()) << last.message();
  EXPECT_EQ(first_runs, 2) << "the group ran again from its first job";
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM t"), 2) << "the failed job's row was stored, or a job's row twice";
}

// The same through the stores: two servers writing batches to two tenants, each batch one tenant,
// the two servers in opposite orders, all at once. Every write succeeds and each log is dense.
TEST_F(PostgresStoreTest, ServersWritingToTwoTenantsInOppositeOrdersAllSucceed) {
  constexpr int kRounds = 20;
  auto one = Open(url_), other = Open(url_);
  ASSERT_TRUE(one && other);
  std::atomic<int> failures{0};
  auto writer = [&](store::Store& s, const std::string& first, const std::string& second, const std::string& tag) {
    for (int round = 0; round < kRounds; ++round) {
      for (const std::string& tenant : {first, second}) {
        std::vector<ItemOutcome> out;
        std::vector<ItemToWrite> items{store::PrepareItem(
            tenant, "u", MakeInteraction(tag + "-" + std::to_string(round), 1000 + round))};
        Status st = s.interactions().Write(items, &out);
        if (!st.ok()) {
          ++failures;
          ADD_FAILURE() << st.message();
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] { writer(*one, "t1", "t2", "one-" + std::to_string(i)); });
    threads.emplace_back([&, i] { writer(*other, "t2", "t1", "other-" + std::to_string(i)); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  for (const char* tenant : {"t1", "t2"}) {
    auto size = one->log().Size(tenant);
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, 4u * kRounds) << tenant;
  }
}

TEST_F(PostgresStoreTest, ServersClaimingTheChangeFeedDeliverEachChangeExactlyOnce) {
  constexpr int kServers = 3, kWorkersPerServer = 2, kBatches = 40, kPerBatch = 10;
  std::vector<std::unique_ptr<store::Store>> servers;
  for (int i = 0; i < kServers; ++i) servers.push_back(Open(url_));
  Subscribe(*servers[0], "t");
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::mutex mu;
  std::multiset<std::string> delivered;
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<ItemToWrite> items;
      for (int i = 0; i < kPerBatch; ++i) {
        items.push_back(store::PrepareItem("t", "u" + std::to_string(b % 3),
                                           MakeInteraction(std::to_string(b) + "-" + std::to_string(i), 1000)));
      }
      std::vector<ItemOutcome> out;
      if (!servers[b % kServers]->interactions().Write(items, &out).ok()) ++failures;
    }
    writing = false;
  });
  std::vector<std::thread> workers;
  for (int s = 0; s < kServers; ++s) {
    for (int w = 0; w < kWorkersPerServer; ++w) {
      workers.emplace_back([&, s, w] {
        const std::string me = "server-" + std::to_string(s) + "-worker-" + std::to_string(w);
        store::ChangeFeed& feed = servers[s]->changes();
        for (;;) {
          const bool last_round = !writing;
          auto claimed = feed.Claim(me, 16, 60s);
          if (!claimed.ok()) { ++failures; return; }
          if (claimed->empty()) {
            if (last_round) return;
            std::this_thread::sleep_for(2ms);
            continue;
          }
          std::vector<int64_t> seqs;
          {
            std::lock_guard<std::mutex> lock(mu);
            for (auto& c : *claimed) {
              delivered.insert(c.user_id + "/" + c.interaction_id);
              seqs.push_back(c.seq);
            }
          }
          auto done = feed.Complete(me, seqs);
          if (!done.ok() || *done != static_cast<int64_t>(seqs.size())) ++failures;
        }
      });
    }
  }
  writer.join();
  for (auto& t : workers) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(delivered.size(), static_cast<size_t>(kBatches * kPerBatch));
  EXPECT_EQ(std::set<std::string>(delivered.begin(), delivered.end()).size(), delivered.size()) << "a change was delivered twice";
  EXPECT_TRUE(servers[0]->changes().Peek(1)->empty());
}

class PostgresRestartTest : public ::testing::Test {
 protected:
  // A private cluster that the tests stop and start (the shared one serves other tests).
  static void SetUpTestSuite() {
    if (!PostgresServerUrl().empty()) cluster_ = new PrivateCluster;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    if (!cluster_) GTEST_SKIP() << "AIH_TEST_POSTGRES_URL is not set";
  }
  static PrivateCluster* cluster_;
};
PrivateCluster* PostgresRestartTest::cluster_ = nullptr;

TEST_F(PostgresRestartTest, EveryCallIsUnavailableWhileTheServerIsDownAndTheStoreRecoversByItself) {
  auto s = Open(cluster_->url());
  ASSERT_NE(s, nullptr);
  std::vector<ItemOutcome> out;
  ASSERT_TRUE(s->interactions().Write({store::PrepareItem("t", "u", MakeInteraction("before", 1))}, &out).ok());

  cluster_->Crash();
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(s->interactions().Write({store::PrepareItem("t", "u", MakeInteraction("during", 2))}, &out).code(),
            Code::kUnavailable);
  EXPECT_EQ(s->interactions().Get("t", "u", "before").status().code(), Code::kUnavailable);
  store::PageQuery q;
  q.tenant_id = "t";
  EXPECT_EQ(s->interactions().Page(q, [](const store::PageRow&) { return true; }).code(), Code::kUnavailable);
  EXPECT_EQ(s->interactions().Count(q).status().code(), Code::kUnavailable);
  EXPECT_EQ(s->changes().Claim("w", 10, 60s).status().code(), Code::kUnavailable);
  EXPECT_EQ(s->directory().ListTenants().status().code(), Code::kUnavailable);
  EXPECT_EQ(s->Secret("cursor", 32).status().code(), Code::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s) << "failing calls must fail fast";

  cluster_->Start();
  // The same Store, never reopened: the pool reconnects, and what was acknowledged is there.
  EXPECT_TRUE(s->interactions().Get("t", "u", "before").ok());
  Status after = s->interactions().Write({store::PrepareItem("t", "u", MakeInteraction("after", 3))}, &out);
  EXPECT_TRUE(after.ok()) << after.message();
  EXPECT_EQ(*s->interactions().Count(q), 2);
}

TEST_F(PostgresRestartTest, ARestartUnderLoadLosesNoAcknowledgedWrite) {
  auto s = Open(cluster_->url());
  ASSERT_NE(s, nullptr);
  constexpr int kWriters = 4;
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::map<Code, int> failures;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int n = 0; !stop; ++n) {
        std::vector<ItemToWrite> items;
        std::vector<std::string> ids;
        for (int i = 0; i < 5; ++i) {
          ids.push_back("w" + std::to_string(w) + "-" + std::to_string(n) + "-" + std::to_string(i));
          items.push_back(store::PrepareItem("t", "load", MakeInteraction(ids.back(), 1000 + n)));
        }
        std::vector<ItemOutcome> out;
        Status st = s->interactions().Write(items, &out);
        std::lock_guard<std::mutex> lock(mu);
        if (st.ok()) {
          acknowledged.insert(acknowledged.end(), ids.begin(), ids.end());
        } else {
          ++failures[st.code()];
          std::this_thread::sleep_for(20ms);
        }
      }
    });
  }
  std::this_thread::sleep_for(700ms);
  cluster_->Crash();
  std::this_thread::sleep_for(300ms);
  cluster_->Start();
  std::this_thread::sleep_for(700ms);
  stop = true;
  for (auto& t : writers) t.join();

  EXPECT_GT(failures[Code::kUnavailable], 0) << "the crash went unnoticed: the test proves nothing";
  for (auto& [code, n] : failures) EXPECT_EQ(code, Code::kUnavailable) << n << " writes failed otherwise";
  size_t missing = 0;
  for (const std::string& id : acknowledged) {
    if (!s->interactions().Get("t", "load", id).ok()) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged writes";
  EXPECT_GT(acknowledged.size(), 0u);
}

}  // namespace
}  // namespace aih::testing
