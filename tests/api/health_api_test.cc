// /health/live and /health/ready: no credential, no store call for liveness, readiness from a
// bounded store check (api/health_resource.h).
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/health_resource.h"
#include "api_fixture.h"

namespace aih::testing {
namespace {

class HealthApiTest : public ApiTest {};

TEST_P(HealthApiTest, LiveAndReadyAnswerWithoutACredential) {
  auto live = Get("/health/live", "");
  EXPECT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(JsonAt(live.body, "status"), "ok");
  auto ready = Get("/health/ready", "");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(JsonAt(ready.body, "status"), "ready");
  EXPECT_EQ(JsonAt(ready.body, "schemaVersion"), std::to_string(*store_->SchemaVersion()));
  auto legacy = Get("/health", "");
  EXPECT_EQ(legacy.status, 200) << legacy.body;
  EXPECT_EQ(JsonAt(legacy.body, "status"), "ok");
}

TEST_P(HealthApiTest, AFreshStoreIsAtItsLatestSchema) {
  auto health = store_->Health();
  ASSERT_TRUE(health.ok()) << health.status().message();
  EXPECT_GT(health->latest_schema_version, 0);
  EXPECT_EQ(health->schema_version, health->latest_schema_version);
  EXPECT_FALSE(health->storage_full);
}

INSTANTIATE_TEST_SUITE_P(Engines, HealthApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

// A Store whose Health() says what the test sets, counts its calls, and can be held inside a call.
class ScriptedStore final : public store::Store {
 public:
  explicit ScriptedStore(store::Store& real) : real_(real) {}
  store::InteractionStore& interactions() override { return real_.interactions(); }
  store::ChangeFeed& changes() override { return real_.changes(); }
  store::DirectoryStore& directory() override { return real_.directory(); }
  store::SubscriptionStore& subscriptions() override { return real_.subscriptions(); }
  store::SigningKeyStore& signing_keys() override { return real_.signing_keys(); }
  store::LogStore& log() override { return real_.log(); }
  store::HoldStore& holds() override { return real_.holds(); }
  store::ErasureLog& erasures() override { return real_.erasures(); }
  store::RetentionStore& retention() override { return real_.retention(); }
  Result<std::string> Secret(const std::string& name, size_t bytes) override { return real_.Secret(name, bytes); }
  Result<int> SchemaVersion() override { return real_.SchemaVersion(); }
  store::StorageCondition& storage() override { return real_.storage(); }
  Result<store::StoreHealth> Health() override {
    std::unique_lock lock(mu_);
    ++calls;
    inside_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !hold_; });
    inside_ = false;
    return answer;
  }

  void Hold() {
    std::lock_guard lock(mu_);
    hold_ = true;
  }
  void WaitUntilInside() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return inside_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    hold_ = false;
    cv_.notify_all();
  }

  int calls = 0;  // read only while no Health() call runs
  Result<store::StoreHealth> answer = store::StoreHealth{7, 7, false};

 private:
  store::Store& real_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool hold_ = false;
  bool inside_ = false;
};

class ReadinessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    real_ = OpenFreshStore("sqlite", &location_, "aih-health");
    ASSERT_NE(real_, nullptr);
    store_ = std::make_unique<ScriptedStore>(*real_);
    probe_ = std::make_unique<api::ReadinessProbe>(*store_, clock_);
    api::AddHealthRoutes(router_, *store_, *probe_);
  }
  void TearDown() override {
    probe_.reset();
    store_.reset();
    real_.reset();
    RemoveStoreLocation(location_);
  }
  http::Response Get(const std::string& path) {
    http::Request r;
    r.method = "GET";
    r.target = path;
    r.request_id = "req-h";
    return router_.Route(r);
  }

  std::string location_;
  std::unique_ptr<store::Store> real_;
  std::unique_ptr<ScriptedStore> store_;
  ManualClock clock_{1'800'000'000'000};
  std::unique_ptr<api::ReadinessProbe> probe_;
  http::Router router_;
};

TEST_F(ReadinessTest, AsksTheStoreAtMostOncePerSecondHoweverManyProbesArrive) {
  for (int i = 0; i < 100; ++i) ASSERT_EQ(Get("/health/ready").status, 200);
  EXPECT_EQ(store_->calls, 1);
  clock_.Advance(std::chrono::milliseconds(999));
  for (int i = 0; i < 100; ++i) ASSERT_EQ(Get("/health/ready").status, 200);
  EXPECT_EQ(store_->calls, 1);
  clock_.Advance(std::chrono::milliseconds(2));
  EXPECT_EQ(Get("/health/ready").status, 200);
  EXPECT_EQ(store_->calls, 2);
}

TEST_F(ReadinessTest, LivenessNeverCallsTheStore) {
  store_->answer = Status::Unavailable("database is down");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Get("/health/live").status, 200);
  EXPECT_EQ(store_->calls, 0);
}

TEST_F(ReadinessTest, NotReadyIs503NamingTheReason) {
  struct Case {
    Result<store::StoreHealth> answer;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {Status::Unavailable("database at db.internal is down"), "the store does not answer"},
      {store::StoreHealth{6, 7, false}, "not yet migrated to 7"},
      {store::StoreHealth{8, 7, false}, "newer than this binary's 7"},
      {store::StoreHealth{7, 7, true}, "storage is full"},
  };
  for (const Case& c : cases) {
    store_->answer = c.answer;
    clock_.Advance(std::chrono::seconds(2));
    auto r = Get("/health/ready");
    EXPECT_EQ(r.status, 503) << c.reason;
    EXPECT_EQ(JsonAt(r.body, "error.code"), "ServiceUnavailable");
    EXPECT_NE(JsonAt(r.body, "error.message").find(c.reason), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("db.internal"), std::string::npos) << "the store's address is for the log: " << r.body;
    bool retry_after = false;
    for (auto& [name, value] : r.headers) retry_after |= name == "Retry-After";
    EXPECT_TRUE(retry_after);
  }
  store_->answer = store::StoreHealth{7, 7, false};
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(Get("/health/ready").status, 200);
}

TEST_F(ReadinessTest, ProbesDoNotQueueBehindASlowStore) {
  store_->Hold();
  std::thread first([&] { EXPECT_EQ(Get("/health/ready").status, 200); });
  store_->WaitUntilInside();
  // The store has not answered yet: a second probe does not wait for it nor ask it again.
  auto second = Get("/health/ready");
  EXPECT_EQ(second.status, 503);
  EXPECT_NE(JsonAt(second.body, "error.message").find("has not answered yet"), std::string::npos) << second.body;
  store_->Release();
  first.join();
  EXPECT_EQ(store_->calls, 1);
  EXPECT_EQ(Get("/health/ready").status, 200);  // the first probe's fresh verdict
  EXPECT_EQ(store_->calls, 1);
}

}  // namespace
}  // namespace aih::testing
