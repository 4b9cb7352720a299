// `aihistory backup` / `aihistory restore` (store/sqlite/backup.h): an online backup taken while a
// real server acknowledges writes holds every item acknowledged before the backup began, and a
// server started on its restored copy serves them; restore verifies what it is given and never
// overwrites a store that holds data unless told to.
#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "integration_fixture.h"

namespace aih::testing {
namespace {

class BackupTest : public ServerTest {
 protected:
  void SetUp() override {
    if (GetParam() != "sqlite") GTEST_SKIP() << "aihistory backup is for SQLite stores; PostgreSQL uses pg_dump";
    ServerTest::SetUp();
    work_ = MakeTempDir("aih-backup");
  }
  void TearDown() override {
    ServerTest::TearDown();
    std::error_code ec;
    if (!work_.empty()) std::filesystem::remove_all(work_, ec);
  }

  // Every id the export of the licensed user holds, paging to the end on `port`.
  std::set<std::string> ExportedIds(int port) {
    HttpClient client(port);
    std::string token = FetchToken(client, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret);
    EXPECT_FALSE(token.empty());
    std::set<std::string> found;
    std::string target = "/v1.0/copilot/users/" + demo_.licensed_user +
                         "/interactionHistory/getAllEnterpriseInteractions?$top=1000";
    while (!target.empty()) {
      auto r = client.Send("GET", target, {{"Authorization", "Bearer " + token}});
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      for (size_t i = 0; i < JsonLength(r.body, "value"); ++i) {
        found.insert(JsonValue(r.body, "value." + std::to_string(i) + ".id"));
      }
      std::string next = JsonValue(r.body, "@odata.nextLink");
      target = next == "<missing>" ? "" : next.substr(next.find("/v1.0/"));
    }
    return found;
  }

  std::string work_;
};

TEST_P(BackupTest, AnOnlineBackupUnderWriteLoadHoldsEveryItemAcknowledgedBeforeItBegan) {
  std::mutex mu;
  std::vector<std::string> acknowledged;  // in acknowledgement order
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client(server_->port());
      for (int b = 0; !stop; ++b) {
        std::vector<std::string> ids;
        std::string body = "[";
        for (int i = 0; i < 20; ++i) {
          ids.push_back("bk-" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(i));
          body += (i ? "," : "") + Item(ids.back(), "2026-03-01T00:00:00.123Z");
        }
        body += "]";
        auto r = client.Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                             {{"Authorization", "Bearer " + writer_token_}, {"Content-Type", "application/json"}}, body);
        ASSERT_EQ(r.status, 200) << r.body;
        std::lock_guard lock(mu);
        acknowledged.insert(acknowledged.end(), ids.begin(), ids.end());
      }
    });
  }
  auto count = [&] {
    std::lock_guard lock(mu);
    return acknowledged.size();
  };
  while (count() < 3000) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  // Everything acknowledged until now must be in the backup; the writers keep going meanwhile.
  std::vector<std::string> before;
  {
    std::lock_guard lock(mu);
    before = acknowledged;
  }
  const std::string file = work_ + "/store.backup";
  std::string output;
  const int backed_up = RunAihistory({"backup", "--store", store_, "--out", file}, &output);
  const size_t during = count() - before.size();
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_EQ(backed_up, 0) << output;
  EXPECT_NE(output.find("backed up"), std::string::npos) << output;
  // The server went on acknowledging writes while the backup ran (else this proves less).
  EXPECT_GT(during, 0u);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::others_read, std::filesystem::perms::none);

  const std::string restored = work_ + "/restored";
  ASSERT_EQ(RunAihistory({"restore", "--from", file, "--store", restored}, &output), 0) << output;
  auto server = ServerProcess::Start(restored);
  ASSERT_NE(server, nullptr);
  const std::set<std::string> found = ExportedIds(server->port());
  size_t missing = 0;
  for (const auto& id : before) missing += found.count(id) == 0;
  EXPECT_EQ(missing, 0u) << "of " << before.size() << " items acknowledged before the backup began";
  // Of this test's items, nothing in it that was never acknowledged (the demo's own items are there too).
  const std::set<std::string> all(acknowledged.begin(), acknowledged.end());
  for (const auto& id : found) {
    if (id.rfind("bk-", 0) == 0) {
      EXPECT_EQ(all.count(id), 1u) << id;
    }
  }
}

TEST_P(BackupTest, RestoreRefusesAStoreWithDataUnlessForced) {
  ASSERT_EQ(Write("[" + Item("kept-1") + "]").status, 200);
  const std::string file = work_ + "/a.backup";
  std::string output;
  ASSERT_EQ(RunAihistory({"backup", "--store", store_, "--out", file}, &output), 0) << output;
  // A backup never overwrites a file.
  EXPECT_EQ(RunAihistory({"backup", "--store", store_, "--out", file}, &output), 2);
  EXPECT_NE(output.find("exists already"), std::string::npos) << output;

  server_.reset();  // the store's server is stopped before its store is replaced
  EXPECT_EQ(RunAihistory({"restore", "--from", file, "--store", store_}, &output), 2);
  EXPECT_NE(output.find("is not empty"), std::string::npos) << output;
  EXPECT_NE(output.find("--force"), std::string::npos) << output;
  EXPECT_EQ(RunAihistory({"restore", "--from", file, "--store", store_, "--force"}, &output), 0) << output;
  StartServer();
  EXPECT_EQ(ExportedIds(server_->port()).count("kept-1"), 1u);
}

TEST_P(BackupTest, RestoreVerifiesTheBackupBeforeTouchingTheStore) {
  ASSERT_EQ(Write("[" + Item("x-1") + "]").status, 200);
  const std::string file = work_ + "/b.backup";
  std::string output;
  ASSERT_EQ(RunAihistory({"backup", "--store", store_, "--out", file}, &output), 0) << output;

  // Damage the pages after the first (the header and schema stay readable), as a bad disk would.
  const auto size = std::filesystem::file_size(file);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    std::string junk(size / 2, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string target = work_ + "/target";
  EXPECT_EQ(RunAihistory({"restore", "--from", file, "--store", target}, &output), 2);
  EXPECT_NE(output.find(file), std::string::npos) << output;
  EXPECT_TRUE(output.find("damaged") != std::string::npos || output.find("not a readable") != std::string::npos)
      << output;
  EXPECT_FALSE(std::filesystem::exists(target + "/aihistory.db"));

  // Not a store at all.
  const std::string text = work_ + "/notes.txt";
  std::ofstream(text) << "not a database\n";
  EXPECT_EQ(RunAihistory({"restore", "--from", text, "--store", target}, &output), 2);
  EXPECT_FALSE(std::filesystem::exists(target + "/aihistory.db"));
  // Nothing to back up.
  EXPECT_EQ(RunAihistory({"backup", "--store", work_ + "/nowhere", "--out", work_ + "/c.backup"}, &output), 2);
  EXPECT_NE(output.find("no SQLite store"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(work_ + "/nowhere"));
}

TEST_P(BackupTest, APostgresStoreIsPointedAtPgDump) {
  std::string output;
  EXPECT_EQ(RunAihistory({"backup", "--store", "postgresql://u@127.0.0.1:1/db", "--out", work_ + "/p"}, &output), 2);
  EXPECT_NE(output.find("pg_dump"), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(Engines, BackupTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
