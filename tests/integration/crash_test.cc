// Acknowledged writes survive kill -9: writers stream batches, the server is killed mid-stream,
// and after a restart every item whose batch was acknowledged is there, exactly as written. On each
// engine: SQLite's group commit fsyncs before it acknowledges; PostgreSQL's commits synchronously.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "integration_fixture.h"

namespace aih::testing {
namespace {

class CrashTest : public ServerTest {};

TEST_P(CrashTest, EveryAcknowledgedWriteSurvivesSigkill) {
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> batches{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client(server_->port());
      for (int b = 0; !stop; ++b) {
        std::vector<std::string> ids;
        std::string body = "[";
        for (int i = 0; i < 50; ++i) {
          ids.push_back("crash-" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(i));
          body += (i ? "," : "") + Item(ids.back(), "2026-03-01T00:00:00.123Z");
        }
        body += "]";
        auto r = client.Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                             {{"Authorization", "Bearer " + writer_token_}, {"Content-Type", "application/json"}}, body);
        if (r.status != 200) break;  // the server is gone: this batch was never acknowledged
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.insert(ids.begin(), ids.end());
        ++batches;
      }
    });
  }
  // Let a good number of batches through, then crash the server in the middle of the stream.
  while (batches < 40) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Kill9();
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GE(acknowledged.size(), 40u * 50);

  StartServer();
  std::set<std::string> found;
  // Every item of the stream has the same instant: read the one-second window around it.
  std::string target;
  target = "/v1.0/copilot/users/" + demo_.licensed_user +
           "/interactionHistory/getAllEnterpriseInteractions?$top=1000&$filter=createdDateTime%20ge%202026-03-01T00:00:00Z%20and%20createdDateTime%20lt%202026-03-01T00:00:01Z";
  while (!target.empty()) {
    auto r = client_->Send("GET", target, {{"Authorization", "Bearer " + exporter_token_}});
    ASSERT_EQ(r.status, 200) << r.body;
    for (size_t i = 0; i < JsonLength(r.body, "value"); ++i) {
      std::string id = JsonValue(r.body, "value." + std::to_string(i) + ".id");
      EXPECT_TRUE(found.insert(id).second) << "duplicate " << id;
      EXPECT_EQ(JsonValue(r.body, "value." + std::to_string(i) + ".body.content"), "prompt " + id);
    }
    std::string next = JsonValue(r.body, "@odata.nextLink");
    target = next == "<missing>" ? "" : next.substr(next.find("/v1.0/"));
  }
  size_t missing = 0;
  for (const auto& id : acknowledged) missing += found.count(id) == 0;
  EXPECT_EQ(missing, 0u) << "acknowledged items lost after kill -9";
}

INSTANTIATE_TEST_SUITE_P(Engines, CrashTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
