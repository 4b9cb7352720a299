// The lifecycle monitor against a real store: a revoked per-user grant ends that application's
// subscriptions to that user (and only those) with subscriptionRemoved, and the monitors of several
// servers that read the same subscriptions at the same moment send each lifecycle event exactly once.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "auth/principal.h"
#include "notify/notification_json.h"
#include "notify/subscription_monitor.h"
#include "store/page_sql.h"
#include "store/store.h"

namespace aih::notify {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTenant = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kAda = "00000000-0000-4000-8000-0000000000b1";
constexpr const char* kLin = "00000000-0000-4000-8000-0000000000b2";
constexpr const char* kArchiver = "00000000-0000-4000-8000-0000000000a1";  // Read.User for Ada and Lin
constexpr const char* kExporter = "00000000-0000-4000-8000-0000000000a2";  // Read.All
constexpr int64_t kNow = 1'768'471'200'000;

// The store of one more server: every call goes to the shared store, but the first `servers` Scans
// wait for each other, so that every monitor has read the subscriptions before any of them acts (the
// race the conditional transitions settle, made certain instead of likely).
class SimultaneousScans final : public store::SubscriptionStore {
 public:
  // `unconditional`: transitions ignore the version read, as a store without compare-and-set would
  // (the control that shows the race is real).
  SimultaneousScans(store::SubscriptionStore& real, int servers, bool unconditional = false)
      : real_(real), servers_(servers), unconditional_(unconditional) {}

  Result<std::vector<store::Subscription>> Scan(const std::string& after_tenant, const std::string& after_id,
                                                int limit) override {
    auto page = real_.Scan(after_tenant, after_id, limit);
    std::unique_lock<std::mutex> lock(mu_);
    if (++scans_ <= servers_) {
      cv_.notify_all();
      // Generous: only a broken test waits this long (and then fails on the counts, not on time).
      cv_.wait_for(lock, 60s, [&] { return scans_ >= servers_; });
    }
    return page;
  }

  Status Create(const store::Subscription& s, const store::SubscriptionQuotas& q, int64_t now) override {
    return real_.Create(s, q, now);
  }
  Result<store::Subscription> Get(const std::string& t, const std::string& id) override { return real_.Get(t, id); }
  Result<std::vector<store::Subscription>> ListByApp(const std::string& t, const std::string& app) override {
    return real_.ListByApp(t, app);
  }
  Result<std::vector<store::Subscription>> ListLive(const std::string& t, int64_t now) override {
    return real_.ListLive(t, now);
  }
  Result<store::Subscription> Update(const std::string& t, const std::string& id,
                                     const store::SubscriptionPatch& p) override {
    return real_.Update(t, id, p);
  }
  Status Remove(const std::string& t, const std::string& id, const std::optional<store::OutboxEntry>& f) override {
    return real_.Remove(t, id, f);
  }
  Result<bool> UpdateIfUnchanged(const std::string& t, const std::string& id, int64_t v,
                                 const store::SubscriptionPatch& p, const std::optional<store::OutboxEntry>& e) override {
    if (!unconditional_) return real_.UpdateIfUnchanged(t, id, v, p, e);
    if (e) AIH_RETURN_IF_ERROR(real_.Enqueue({*e}));
    auto updated = real_.Update(t, id, p);
    if (!updated.ok()) return updated.status();
    return true;
  }
  Result<bool> RemoveIfUnchanged(const std::string& t, const std::string& id, int64_t v,
                                 const std::optional<store::OutboxEntry>& f) override {
    return real_.RemoveIfUnchanged(t, id, v, f);
  }
  Status Enqueue(const std::vector<store::OutboxEntry>& e) override { return real_.Enqueue(e); }
  Result<std::vector<store::OutboxEntry>> ClaimDue(const std::string& c, int64_t now, int64_t lease, int per, int limit,
                                                   const std::vector<std::string>& skip) override {
    return real_.ClaimDue(c, now, lease, per, limit, skip);
  }
  Status Settle(const std::string& c, const std::vector<store::Settlement>& s) override { return real_.Settle(c, s); }
  Result<std::vector<store::OutboxEntry>> Pending(const std::string& t, const std::string& s, int limit) override {
    return real_.Pending(t, s, limit);
  }

 private:
  store::SubscriptionStore& real_;
  const int servers_;
  const bool unconditional_;
  std::mutex mu_;
  std::condition_variable cv_;
  int scans_ = 0;
};

// A Store that is the shared one but for its subscriptions (SimultaneousScans).
class ServerView final : public store::Store {
 public:
  ServerView(store::Store& real, store::SubscriptionStore& subscriptions) : real_(real), subscriptions_(subscriptions) {}
  store::InteractionStore& interactions() override { return real_.interactions(); }
  store::ChangeFeed& changes() override { return real_.changes(); }
  store::DirectoryStore& directory() override { return real_.directory(); }
  store::SubscriptionStore& subscriptions() override { return subscriptions_; }
  store::SigningKeyStore& signing_keys() override { return real_.signing_keys(); }
  store::LogStore& log() override { return real_.log(); }
  store::HoldStore& holds() override { return real_.holds(); }
  store::ErasureLog& erasures() override { return real_.erasures(); }
  store::RetentionStore& retention() override { return real_.retention(); }
  Result<std::string> Secret(const std::string& name, size_t bytes) override { return real_.Secret(name, bytes); }
  Result<int> SchemaVersion() override { return real_.SchemaVersion(); }
  store::StorageCondition& storage() override { return real_.storage(); }

 private:
  store::Store& real_;
  store::SubscriptionStore& subscriptions_;
};

class SubscriptionMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("aih-monitor-" + std::to_string(std::random_device{}()));
    auto opened = store::OpenStore(dir_.string());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    auto& d = store_->directory();
    ASSERT_TRUE(d.CreateTenant({kTenant, "Test"}).ok());
    const std::vector<std::string> licensed = {store::kCopilotServicePlanId};
    ASSERT_TRUE(d.ImportUsers(kTenant, {{kAda, "ada@test.example", "Ada", store::AccountType::kWork, licensed},
                                        {kLin, "lin@test.example", "Lin", store::AccountType::kWork, licensed}})
                    .ok());
    ASSERT_TRUE(d.CreateApplication({kArchiver, "Archiver", kTenant, 0}).ok());
    ASSERT_TRUE(d.CreateApplication({kExporter, "Exporter", kTenant, 0}).ok());
    ASSERT_TRUE(d.GrantUserAccess(kTenant, kArchiver, kAda).ok());
    ASSERT_TRUE(d.GrantUserAccess(kTenant, kArchiver, kLin).ok());
    ASSERT_TRUE(d.GrantConsent(kTenant, kExporter, {auth::kReadAll}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A subscription with a lifecycle URL, expiring `lifetime` from now.
  store::Subscription Subscribe(const std::string& id, const std::string& app, const std::string& user,
                                std::chrono::milliseconds lifetime = 3h) {
    store::Subscription s;
    s.tenant_id = kTenant;
    s.id = id;
    s.app_id = app;
    s.creator_id = app;
    s.user_id = user;
    s.resource = "/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions";
    s.change_types = store::ChangeTypeBit(store::ChangeType::kCreated);
    s.notification_url = "https://receiver.example/notify";
    s.lifecycle_notification_url = "https://receiver.example/lifecycle/" + id;
    s.expiration_ms = kNow + lifetime.count();
    s.created_ms = kNow;
    Status created = store_->subscriptions().Create(s, options_.quotas, kNow);
    EXPECT_TRUE(created.ok()) << created.message();
    return s;
  }
  // The lifecycle events waiting for subscription `id`, by name.
  std::vector<std::string> Events(const std::string& id) {
    std::vector<std::string> out;
    auto pending = store_->subscriptions().Pending(kTenant, id, 100);
    EXPECT_TRUE(pending.ok()) << pending.status().message();
    if (!pending.ok()) return out;
    for (const auto& e : *pending) {
      if (e.kind != store::OutboxKind::kLifecycle) continue;
      for (const char* name : {"reauthorizationRequired", "subscriptionRemoved", "missed"}) {
        if (e.payload.find(std::string("\"lifecycleEvent\":\"") + name + "\"") != std::string::npos) out.push_back(name);
      }
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  NotificationOptions options_;
  ManualClock clock_{kNow};
};

TEST_F(SubscriptionMonitorTest, RevokingReadUserForAUserEndsThatAppsSubscriptionsToThatUserOnly) {
  Subscribe("11111111-1111-4111-8111-111111111111", kArchiver, kAda);
  Subscribe("22222222-2222-4222-8222-222222222222", kArchiver, kLin);
  Subscribe("33333333-3333-4333-8333-333333333333", kExporter, kAda);  // Read.All: not concerned
  SubscriptionMonitor monitor(*store_, options_, clock_);
  auto swept = monitor.SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_EQ(swept->removed, 0);

  ASSERT_TRUE(store_->directory().RevokeUserAccess(kTenant, kArchiver, kAda).ok());
  swept = monitor.SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_EQ(swept->removed, 1);
  EXPECT_EQ(store_->subscriptions().Get(kTenant, "11111111-1111-4111-8111-111111111111").status().code(),
            Code::kNotFound);
  EXPECT_EQ(Events("11111111-1111-4111-8111-111111111111"), std::vector<std::string>{"subscriptionRemoved"});
  auto farewell = store_->subscriptions().Pending(kTenant, "11111111-1111-4111-8111-111111111111", 10)->at(0);
  EXPECT_EQ(farewell.url, "https://receiver.example/lifecycle/11111111-1111-4111-8111-111111111111");
  EXPECT_TRUE(store_->subscriptions().Get(kTenant, "22222222-2222-4222-8222-222222222222").ok()) << "Lin's grant holds";
  EXPECT_TRUE(store_->subscriptions().Get(kTenant, "33333333-3333-4333-8333-333333333333").ok());
  EXPECT_TRUE(Events("22222222-2222-4222-8222-222222222222").empty());
  EXPECT_EQ(monitor.SweepOnce()->removed, 0);  // told once
}

TEST_F(SubscriptionMonitorTest, MonitorsOfSeveralServersSendEachLifecycleEventOnce) {
  constexpr int kServers = 4;
  // The control: had the transition ignored the version read, every server would have reminded.
  {
    Subscribe("44444444-4444-4444-8444-444444444444", kExporter, kLin, 5min);
    SimultaneousScans unconditional(store_->subscriptions(), kServers, /*unconditional=*/true);
    ServerView server(*store_, unconditional);
    std::vector<std::thread> threads;
    for (int i = 0; i < kServers; ++i) {
      threads.emplace_back([&] { EXPECT_TRUE(SubscriptionMonitor(server, options_, clock_).SweepOnce().ok()); });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(Events("44444444-4444-4444-8444-444444444444").size(), static_cast<size_t>(kServers));
    ASSERT_TRUE(store_->subscriptions().Remove(kTenant, "44444444-4444-4444-8444-444444444444", std::nullopt).ok());
  }

  // One within the reauthorization window, one whose grant goes, one that has expired.
  Subscribe("11111111-1111-4111-8111-111111111111", kExporter, kAda, 5min);
  Subscribe("22222222-2222-4222-8222-222222222222", kArchiver, kLin);
  Subscribe("33333333-3333-4333-8333-333333333333", kArchiver, kAda, 1min);
  ASSERT_TRUE(store_->directory().RevokeUserAccess(kTenant, kArchiver, kLin).ok());
  clock_.Advance(2min);

  SimultaneousScans shared(store_->subscriptions(), kServers);
  ServerView server(*store_, shared);
  std::vector<std::unique_ptr<SubscriptionMonitor>> monitors;
  for (int i = 0; i < kServers; ++i) monitors.push_back(std::make_unique<SubscriptionMonitor>(server, options_, clock_));
  std::vector<Result<SweepSummary>> sweeps(kServers, Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kServers; ++i) threads.emplace_back([&, i] { sweeps[i] = monitors[i]->SweepOnce(); });
  for (auto& t : threads) t.join();

  SweepSummary total;
  for (const auto& s : sweeps) {
    ASSERT_TRUE(s.ok()) << s.status().message();
    total.expired += s->expired;
    total.removed += s->removed;
    total.reauthorization_requested += s->reauthorization_requested;
  }
  EXPECT_EQ(total.reauthorization_requested, 1);
  EXPECT_EQ(total.removed, 1);
  EXPECT_EQ(total.expired, 1);
  EXPECT_EQ(Events("11111111-1111-4111-8111-111111111111"), std::vector<std::string>{"reauthorizationRequired"});
  EXPECT_EQ(Events("22222222-2222-4222-8222-222222222222"), std::vector<std::string>{"subscriptionRemoved"});
  EXPECT_TRUE(Events("33333333-3333-4333-8333-333333333333").empty()) << "expiry is silent";
  EXPECT_NE(store_->subscriptions().Get(kTenant, "11111111-1111-4111-8111-111111111111")->reauthorization_notified_ms,
            0);
}

// A monitor that decided from a reading older than the application's renewal does nothing: the
// renewal stands, and the next sweep judges the renewed subscription.
TEST_F(SubscriptionMonitorTest, ARenewalBetweenTheReadingAndTheTransitionWins) {
  store::Subscription s = Subscribe("11111111-1111-4111-8111-111111111111", kExporter, kAda, 1min);
  const int64_t read_version = store_->subscriptions().Get(kTenant, s.id)->version;
  store::SubscriptionPatch renew;
  renew.expiration_ms = kNow + 3'600'000;
  ASSERT_TRUE(store_->subscriptions().Update(kTenant, s.id, renew).ok());
  // What a monitor that read before the renewal, and saw it expired, would do:
  EXPECT_FALSE(*store_->subscriptions().RemoveIfUnchanged(kTenant, s.id, read_version, std::nullopt));
  EXPECT_TRUE(store_->subscriptions().Get(kTenant, s.id).ok());
  clock_.Advance(2min);
  SubscriptionMonitor monitor(*store_, options_, clock_);
  EXPECT_EQ(monitor.SweepOnce()->expired, 0);
  EXPECT_TRUE(store_->subscriptions().Get(kTenant, s.id).ok());
}

}  // namespace
}  // namespace aih::notify
