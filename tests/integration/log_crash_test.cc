// The verifiable log survives kill -9: writers stream new and updated interactions, the server is
// killed mid-stream, and `aihistory verify` then finds every row and its log in agreement (a leaf
// commits with its write or not at all), on each engine; and it names a row edited behind its back.
#include <atomic>
#include <thread>

#include "integration_fixture.h"
#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

class LogCrashTest : public ServerTest {};

TEST_P(LogCrashTest, TheLogAndTheRowsAgreeAfterSigkill) {
  std::atomic<bool> stop{false};
  std::atomic<int> batches{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client(server_->port());
      for (int b = 0; !stop; ++b) {
        // Half the batch new items, half new versions of the previous batch's (updated).
        std::string body = "[";
        for (int i = 0; i < 40; ++i) {
          const int batch = i < 20 ? b : b - 1;
          const std::string id = "log-" + std::to_string(w) + "-" + std::to_string(batch) + "-" + std::to_string(i % 20);
          body += (i ? "," : "") + Item(id, i < 20 ? "2026-03-01T00:00:00Z" : "2026-03-01T00:00:01Z");
        }
        body += "]";
        auto r = client.Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                             {{"Authorization", "Bearer " + writer_token_}, {"Content-Type", "application/json"}}, body);
        if (r.status != 200) break;
        ++batches;
      }
    });
  }
  while (batches < 30) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Kill9();
  stop = true;
  for (auto& t : writers) t.join();

  std::string output;
  EXPECT_EQ(RunAihistory({"verify", "--store", store_, "--tenant", demo_.tenant_id}, &output), 0) << output;
  EXPECT_NE(output.find("matches its log"), std::string::npos) << output;

  // A row edited in the database is named by the command, which then fails.
  StartServer();
  ASSERT_EQ(Write("[" + Item("edited-behind") + "]").status, 200);
  server_.reset();
  ASSERT_EQ(RunAihistory({"verify", "--store", store_}, &output), 0) << output;
  const std::string sql = "UPDATE interactions SET version = 7 WHERE id = 'edited-behind'";
  if (IsPostgresLocation(store_)) {
    auto c = store::postgres::Connection::Open(store_);
    ASSERT_TRUE(c.ok()) << c.status().message();
    ASSERT_TRUE((*c)->Exec(sql).ok());
  } else {
    auto c = store::sqlite::Connection::Open(store_ + "/aihistory.db", /*read_only=*/false);
    ASSERT_TRUE(c.ok()) << c.status().message();
    ASSERT_TRUE((*c)->Exec(sql).ok());
  }
  EXPECT_EQ(RunAihistory({"verify", "--store", store_}, &output), 1) << output;
  EXPECT_NE(output.find("interaction 'edited-behind' of user " + demo_.licensed_user + " was altered outside aihistory"),
            std::string::npos)
      << output;
}

INSTANTIATE_TEST_SUITE_P(Engines, LogCrashTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
