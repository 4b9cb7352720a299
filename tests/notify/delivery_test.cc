// The delivery worker's parts on a real store and real loopback receivers, with a clock the test
// moves: routing, batching, retries with backoff, giving up after 4 hours (and `missed`), stable
// notification ids across redelivery, expiry, reauthorization and lost consent.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "auth/principal.h"
#include "http/server.h"
#include "model/interaction_reader.h"
#include "notify/change_router.h"
#include "notify/delivery_worker.h"
#include "notify/notification_json.h"
#include "notify/outbox_dispatcher.h"
#include "notify/routed_change.h"
#include "notify/subscription_monitor.h"
#include "store/page_sql.h"
#include "store/store.h"
#include "loopback_receivers.h"
#include "test_certificate.h"

namespace aih::notify {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTenant = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kUser = "00000000-0000-4000-8000-0000000000b1";
constexpr const char* kOther = "00000000-0000-4000-8000-0000000000b2";
constexpr const char* kApp = "00000000-0000-4000-8000-0000000000a1";
constexpr const char* kWord = "IPM.SkypeTeams.Message.Copilot.Word";
constexpr const char* kTeams = "IPM.SkypeTeams.Message.Copilot.Teams";

// A loopback receiver: records every POST; answers what `answer` says (default 202).
class Receiver {
 public:
  Receiver() {
    http::ServerOptions o;
    o.http_port = 0;
    o.worker_threads = 8;
    server_ = std::move(*http::Server::Start(o, [this](const http::Request& r) { return Handle(r); }));
  }
  ~Receiver() { server_->Stop(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->http_port()) + "/hook"; }

  std::function<int()> answer = [] { return 202; };
  std::function<void()> before_answer;  // e.g. block until the test lets it go

  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  // The notification items accepted so far, each as its JSON text.
  std::vector<std::string> items() {
    std::lock_guard<std::mutex> lock(mu_);
    return items_;
  }
  int posts() {
    std::lock_guard<std::mutex> lock(mu_);
    return posts_;
  }
  // The notification ids of every POST, answered with success or not, in order.
  std::vector<std::string> attempted_ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return attempted_ids_;
  }

 private:
  http::Response Handle(const http::Request& r) {
    if (before_answer) before_answer();
    http::Response response;
    response.status = answer();
    std::lock_guard<std::mutex> lock(mu_);
    ++posts_;
    simdjson::dom::parser parser;
    simdjson::dom::array value;
    if (!parser.parse(r.body)["value"].get_array().get(value)) {
      for (auto item : value) {
        std::string_view id;
        if (!item["id"].get_string().get(id)) attempted_ids_.emplace_back(id);
      }
    }
    if (response.status >= 200 && response.status < 300) {
      bodies_.push_back(r.body);
      simdjson::dom::parser items_parser;
      simdjson::dom::array accepted;
      if (!items_parser.parse(r.body)["value"].get_array().get(accepted)) {
        for (auto item : accepted) items_.push_back(simdjson::minify(item));
      }
    }
    return response;
  }
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  int posts_ = 0;
  std::vector<std::string> bodies_;
  std::vector<std::string> attempted_ids_;
  std::vector<std::string> items_;
};

// Member `key` (a '/'-separated path) of an item's JSON, or "<none>".
std::string Str(const std::string& item, const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(item).get(e)) return "<invalid>";
  std::string_view v;
  if (e.at_pointer("/" + path).get_string().get(v)) return "<none>";
  return std::string(v);
}
bool Has(const std::string& item, const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  return !parser.parse(item).get(e) && !e.at_pointer("/" + path).error();
}
std::string ResourceId(const std::string& item) { return Str(item, "resourceData/id"); }

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("aih-notify-" + std::to_string(std::random_device{}()));
    auto opened = store::OpenStore(dir_.string());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    auto& d = store_->directory();
    ASSERT_TRUE(d.CreateTenant({kTenant, "Test"}).ok());
    std::vector<store::UserImport> users = {
        {kUser, "u1@test.example", "U1", store::AccountType::kWork, std::vector<std::string>{store::kCopilotServicePlanId}},
        {kOther, "u2@test.example", "U2", store::AccountType::kWork, std::vector<std::string>{store::kCopilotServicePlanId}}};
    ASSERT_TRUE(d.ImportUsers(kTenant, users).ok());
    ASSERT_TRUE(d.CreateApplication({kApp, "Subscriber", kTenant, 0}).ok());
    ASSERT_TRUE(d.GrantConsent(kTenant, kApp, {auth::kReadAll}).ok());
    options_.delivery_timeout = 2s;
    options_.quotas.tenant_wide_per_app = 10;  // several tenant-wide subscriptions of one test app
    router_ = std::make_unique<ChangeRouter>(*store_, options_, clock_, "test-router");
    dispatcher_ = std::make_unique<OutboxDispatcher>(store_->subscriptions(), client_, options_, clock_, "test-dispatch",
                                                     nullptr);
  }
  void TearDown() override {
    dispatcher_.reset();
    router_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  store::Subscription Subscribe(const std::string& id, const std::string& url, const std::string& types,
                                const std::string& user = "", const std::string& filter = "") {
    store::Subscription s;
    s.tenant_id = kTenant;
    s.id = id;
    s.app_id = kApp;
    s.creator_id = kApp;
    s.user_id = user;
    s.resource = "/copilot/interactionHistory/getAllEnterpriseInteractions";
    s.filter = filter;
    s.change_types = *ParseChangeTypesForTest(types);
    s.notification_url = url;
    s.client_state = "cs-" + id;
    s.expiration_ms = clock_.NowMillis() + 3'600'000;
    s.created_ms = clock_.NowMillis();
    Status created = store_->subscriptions().Create(s, options_.quotas, clock_.NowMillis());
    EXPECT_TRUE(created.ok()) << created.message();
    return s;
  }
  static Result<uint8_t> ParseChangeTypesForTest(const std::string& types) {
    uint8_t bits = 0;
    for (auto t : {store::ChangeType::kCreated, store::ChangeType::kUpdated, store::ChangeType::kDeleted}) {
      if (types.find(store::ToString(t)) != std::string::npos) bits |= store::ChangeTypeBit(t);
    }
    return bits;
  }

  void Write(const std::string& user, const std::string& id, const std::string& app_class,
             const std::string& content = "hello") {
    auto item = model::ReadItem(R"({"id":")" + id + R"(","appClass":")" + app_class +
                                R"(","interactionType":"userPrompt","createdDateTime":"2026-01-15T10:00:00Z",)"
                                R"("body":{"contentType":"text","content":")" + content + R"("}})");
    ASSERT_TRUE(item.ok()) << item.status().message();
    std::vector<store::ItemOutcome> out;
    ASSERT_TRUE(store_->interactions().Write({store::PrepareItem(kTenant, user, item->interaction)}, &out).ok());
  }

  // Routes and dispatches until `done` holds (or a generous deadline passes).
  bool Pump(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto routed = router_->RouteOnce(500);
      EXPECT_TRUE(routed.ok()) << routed.status().message();
      auto sent = dispatcher_->DispatchOnce();
      EXPECT_TRUE(sent.ok()) << sent.status().message();
      if (done()) return true;
      dispatcher_->Wait(20ms);
    }
    return done();
  }
  // Lets the deliveries in flight finish and be recorded.
  void Settle() {
    ASSERT_TRUE(Pump([&] { return dispatcher_->deliveries_in_flight() == 0; }));
  }
  size_t Pending() { return store_->subscriptions().Pending(kTenant, "", 1000)->size(); }
  void ExpectHiddenSourceUntold(const std::string& filter);

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  NotificationOptions options_;
  ManualClock clock_{1'768'471'200'000};  // 2026-01-15T10:00:00Z
  WebhookClient client_{LoopbackReceivers()};
  std::unique_ptr<ChangeRouter> router_;
  std::unique_ptr<OutboxDispatcher> dispatcher_;
};

TEST_F(DeliveryTest, CreatedUpdatedAndDeletedReachTheSubscriptionsThatMatch) {
  Receiver all, word_only, other_user;
  Subscribe("11111111-1111-4111-8111-111111111111", all.url(), "created,updated,deleted");
  Subscribe("22222222-2222-4222-8222-222222222222", word_only.url(), "created,updated,deleted", "",
            "appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'");
  Subscribe("33333333-3333-4333-8333-333333333333", other_user.url(), "created", kOther);

  Write(kUser, "1", kWord);
  Write(kUser, "2", kTeams);
  Write(kUser, "1", kWord, "edited");  // an update
  ASSERT_TRUE(store_->interactions().Delete(kTenant, kUser, std::string("1")).ok());

  ASSERT_TRUE(Pump([&] { return all.items().size() == 4 && word_only.items().size() == 3; }))
      << ::testing::PrintToString(all.items()) << "\n" << ::testing::PrintToString(word_only.items());
  Settle();
  std::vector<std::string> seen;
  for (auto item : all.items()) seen.push_back(Str(item, "changeType") + ":" + ResourceId(item));
  EXPECT_EQ(seen, (std::vector<std::string>{"created:1", "created:2", "updated:1", "deleted:1"}));
  seen.clear();
  // The filter keeps the Teams item out; the deletion of a Word item is judged on what is known.
  for (auto item : word_only.items()) seen.push_back(Str(item, "changeType") + ":" + ResourceId(item));
  EXPECT_EQ(seen, (std::vector<std::string>{"created:1", "updated:1", "deleted:1"}));
  EXPECT_TRUE(other_user.items().empty());  // another user's subscription hears nothing of these

  auto first = all.items()[0];
  EXPECT_EQ(Str(first, "subscriptionId"), "11111111-1111-4111-8111-111111111111");
  EXPECT_EQ(Str(first, "clientState"), "cs-11111111-1111-4111-8111-111111111111");
  EXPECT_EQ(Str(first, "tenantId"), kTenant);
  EXPECT_EQ(Str(first, "resource"), "copilot/interactionHistory/interactions('1')");
  EXPECT_EQ(Str(first, "resourceData/@odata.type"), "#Microsoft.Graph.aiInteraction");
  EXPECT_EQ(Str(first, "subscriptionExpirationDateTime"), "2026-01-15T11:00:00.000Z");
  EXPECT_FALSE(Has(first, "encryptedContent"));  // not a rich subscription
  EXPECT_EQ(Pending(), 0u);
  EXPECT_TRUE(store_->changes().Peek(10)->empty());
}

// A source whose export is off is not notified, judged on the interaction when a subscription needs
// it anyway (`filter`), otherwise on its appClass alone; its deletion is told.
void DeliveryTest::ExpectHiddenSourceUntold(const std::string& filter) {
  const char* kAgent = "Contoso.Agents.HRAssistant";
  ASSERT_TRUE(store_->directory()
                  .CreateSource({kTenant, kAgent, store::SourceKind::kThirdParty, "HR", /*export_enabled=*/false, {}})
                  .ok());
  Receiver receiver;
  Subscribe("11111111-1111-4111-8111-111111111111", receiver.url(), "created,deleted", "", filter);
  Write(kUser, "hidden", kAgent);
  Write(kUser, "shown", kTeams);
  ASSERT_TRUE(Pump([&] { return receiver.items().size() == 1; }));
  Settle();
  ASSERT_EQ(receiver.items().size(), 1u) << ::testing::PrintToString(receiver.items());
  EXPECT_EQ(ResourceId(receiver.items()[0]), "shown");
  ASSERT_TRUE(store_->interactions().Delete(kTenant, kUser, std::string("hidden")).ok());
  ASSERT_TRUE(Pump([&] { return receiver.items().size() == 2; }));
  EXPECT_EQ(Str(receiver.items()[1], "changeType") + ":" + ResourceId(receiver.items()[1]), "deleted:hidden");
}

TEST_F(DeliveryTest, ASourceWhoseExportIsOffIsNotNotified) { ExpectHiddenSourceUntold(""); }

TEST_F(DeliveryTest, ASourceWhoseExportIsOffIsNotNotifiedUnderAFilter) {
  ExpectHiddenSourceUntold("createdDateTime ge 2020-01-01T00:00:00Z");
}

TEST_F(DeliveryTest, ManyChangesGoOutInBatches) {
  Receiver r;
  options_.max_notifications_per_post = 50;
  Subscribe("11111111-1111-4111-8111-111111111111", r.url(), "created");
  std::vector<store::ItemToWrite> items;
  for (int i = 0; i < 120; ++i) {
    auto item = model::ReadItem(R"({"id":")" + std::to_string(i) + R"(","appClass":")" + kTeams +
                                R"(","interactionType":"aiResponse","createdDateTime":"2026-01-15T10:00:00Z"})");
    items.push_back(store::PrepareItem(kTenant, kUser, item->interaction));
  }
  std::vector<store::ItemOutcome> out;
  ASSERT_TRUE(store_->interactions().Write(items, &out).ok());
  ASSERT_TRUE(Pump([&] { return r.items().size() == 120; }));
  EXPECT_LE(r.posts(), 6);  // batches, not one POST per notification
  for (const auto& body : r.bodies()) {
    simdjson::dom::parser parser;
    EXPECT_LE(parser.parse(body)["value"].get_array().size(), 50u);
  }
}

TEST_F(DeliveryTest, AFailingReceiverIsRetriedWithBackoffAndKeepsItsIds) {
  Receiver r;
  std::atomic<int> failures_left{2};
  r.answer = [&] { return failures_left-- > 0 ? 503 : 200; };
  Subscribe("11111111-1111-4111-8111-111111111111", r.url(), "created");
  Write(kUser, "1", kTeams);
  const int64_t seq = store_->changes().Peek(1)->at(0).seq;

  ASSERT_TRUE(Pump([&] { return r.posts() == 1; }));
  Settle();
  EXPECT_EQ(Pending(), 1u);
  auto entry = store_->subscriptions().Pending(kTenant, "", 10)->at(0);
  EXPECT_EQ(entry.attempts, 1);
  const int64_t wait = entry.next_attempt_ms - clock_.NowMillis();
  EXPECT_GE(wait, 1500);  // 2 s ± 25 %
  EXPECT_LE(wait, 2500);
  // Backing off: nothing is sent before the delay has passed, however often the worker looks.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(dispatcher_->DispatchOnce().ok());
  EXPECT_EQ(r.posts(), 1);

  clock_.Advance(std::chrono::milliseconds(wait));
  ASSERT_TRUE(Pump([&] { return r.posts() == 2; }));
  Settle();
  entry = store_->subscriptions().Pending(kTenant, "", 10)->at(0);
  EXPECT_EQ(entry.attempts, 2);
  EXPECT_GE(entry.next_attempt_ms - clock_.NowMillis(), 3000);  // doubled: 4 s ± 25 %

  clock_.Advance(5s);
  ASSERT_TRUE(Pump([&] { return r.items().size() == 1; }));
  Settle();
  EXPECT_EQ(Pending(), 0u);
  const std::string id = NotificationId("11111111-1111-4111-8111-111111111111", seq);
  EXPECT_EQ(r.attempted_ids(), (std::vector<std::string>{id, id, id}));  // one notification, three attempts
}

TEST_F(DeliveryTest, RedeliveryAfterACrashRepeatsTheSameNotificationIds) {
  Receiver r;
  Subscribe("11111111-1111-4111-8111-111111111111", r.url(), "created");
  Write(kUser, "1", kTeams);
  // A router that wrote its outbox entry, then died before completing the change: its lease runs out...
  auto changes = store_->changes().Claim("dead-router", 10, 1s);
  ASSERT_EQ(changes->size(), 1u);
  const int64_t seq = (*changes)[0].seq;
  store::OutboxEntry written;
  written.tenant_id = kTenant;
  written.subscription_id = "11111111-1111-4111-8111-111111111111";
  written.url = r.url();
  written.payload = WriteRoutedChanges({RoutedChange{seq, store::ChangeType::kCreated, kUser, "1", ""}});
  written.items = 1;
  written.enqueued_ms = written.next_attempt_ms = clock_.NowMillis();
  ASSERT_TRUE(store_->subscriptions().Enqueue({written}).ok());
  std::this_thread::sleep_for(1100ms);
  // ...so the change is routed again: delivered twice, at least once, under one id the receiver dedupes by.
  ASSERT_TRUE(Pump([&] { return r.items().size() == 2; }));
  const std::string id = NotificationId("11111111-1111-4111-8111-111111111111", seq);
  EXPECT_EQ(Str(r.items()[0], "id"), id);
  EXPECT_EQ(Str(r.items()[1], "id"), id);
  Write(kUser, "2", kTeams);
  ASSERT_TRUE(Pump([&] { return r.items().size() == 3; }));
  EXPECT_NE(Str(r.items()[2], "id"), id);  // another change, another id
}

TEST_F(DeliveryTest, AfterFourHoursOfFailuresTheBatchIsDroppedAndMissedIsSent) {
  Receiver dead, lifecycle;
  dead.answer = [] { return 500; };
  store::Subscription s = Subscribe("11111111-1111-4111-8111-111111111111", dead.url(), "created");
  // A lifecycle URL (the store keeps what the API checked).
  ASSERT_TRUE(store_->subscriptions().Remove(kTenant, s.id, std::nullopt).ok());
  s.lifecycle_notification_url = lifecycle.url();
  s.expiration_ms = clock_.NowMillis() + 4320LL * 60'000;
  ASSERT_TRUE(store_->subscriptions().Create(s, options_.quotas, clock_.NowMillis()).ok());
  Write(kUser, "1", kTeams);
  ASSERT_TRUE(Pump([&] { return dead.posts() == 1; }));
  Settle();

  int attempts = 1;
  while (Pending() > 0 && attempts < 100) {
    clock_.Advance(13min);  // past the longest backoff (10 minutes + 25 % jitter)
    const int before = dead.posts();
    ASSERT_TRUE(Pump([&] { return dead.posts() > before || lifecycle.posts() > 0; }));
    Settle();
    if (dead.posts() > before) ++attempts;
  }
  EXPECT_GE(attempts, 15);  // every retry in 4 hours was made
  ASSERT_TRUE(Pump([&] { return lifecycle.items().size() == 1; }));
  auto missed = lifecycle.items()[0];
  EXPECT_EQ(Str(missed, "lifecycleEvent"), "missed");
  EXPECT_EQ(Str(missed, "subscriptionId"), s.id);
  EXPECT_EQ(Str(missed, "clientState"), s.client_state);
  Settle();
  EXPECT_EQ(Pending(), 0u);
}

TEST_F(DeliveryTest, ASlowReceiverDoesNotHoldUpAnother) {
  Receiver slow, fast;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  slow.before_answer = [&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return release; });
  };
  Subscribe("11111111-1111-4111-8111-111111111111", slow.url(), "created");
  Subscribe("22222222-2222-4222-8222-222222222222", fast.url(), "created");
  Write(kUser, "1", kTeams);
  // The fast receiver gets its notification while the slow one still holds its request.
  EXPECT_TRUE(Pump([&] { return fast.items().size() == 1; }));
  EXPECT_EQ(slow.posts(), 0);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  ASSERT_TRUE(Pump([&] { return slow.items().size() == 1; }));
}

TEST_F(DeliveryTest, RichNotificationsCarryTheInteractionEncrypted) {
  Receiver r;
  auto cert = testing::MakeCertificate(2048);
  store::Subscription s;
  s = Subscribe("11111111-1111-4111-8111-111111111111", r.url(), "created,deleted");
  ASSERT_TRUE(store_->subscriptions().Remove(kTenant, s.id, std::nullopt).ok());
  s.include_resource_data = true;
  s.encryption_certificate = cert.der_base64;
  s.encryption_certificate_id = "cert-7";
  ASSERT_TRUE(store_->subscriptions().Create(s, options_.quotas, clock_.NowMillis()).ok());
  Write(kUser, "1", kWord, "the secret prompt");
  ASSERT_TRUE(Pump([&] { return r.items().size() == 1; }));
  ASSERT_TRUE(store_->interactions().Delete(kTenant, kUser, std::string("1")).ok());
  ASSERT_TRUE(Pump([&] { return r.items().size() == 2; }));

  auto created = r.items()[0];
  ASSERT_TRUE(Has(created, "encryptedContent"));
  EncryptedContent e{Str(created, "encryptedContent/data"), Str(created, "encryptedContent/dataKey"),
                     Str(created, "encryptedContent/dataSignature"), Str(created, "encryptedContent/encryptionCertificateId"),
                     Str(created, "encryptedContent/encryptionCertificateThumbprint")};
  EXPECT_EQ(e.encryption_certificate_id, "cert-7");
  auto plain = testing::DecryptAsReceiver(cert, e);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  auto item = model::ReadStoredItem(*plain);
  ASSERT_TRUE(item.ok()) << item.status().message();
  EXPECT_EQ(item->interaction.id, "1");
  EXPECT_EQ(item->interaction.body->content.value_or(""), "the secret prompt");
  EXPECT_FALSE(Has(r.items()[1], "encryptedContent"));  // a deletion has no content left to send
}

TEST_F(DeliveryTest, TheMonitorExpiresRemindsAndRemoves) {
  Receiver lifecycle;
  SubscriptionMonitor monitor(*store_, options_, clock_);
  auto make = [&](const std::string& id, int64_t lifetime_ms, const std::string& user = "") {
    store::Subscription s = Subscribe(id, lifecycle.url(), "created", user);
    EXPECT_TRUE(store_->subscriptions().Remove(kTenant, id, std::nullopt).ok());
    s.lifecycle_notification_url = lifecycle.url();
    s.expiration_ms = clock_.NowMillis() + lifetime_ms;
    EXPECT_TRUE(store_->subscriptions().Create(s, options_.quotas, clock_.NowMillis()).ok());
    return s;
  };
  make("11111111-1111-4111-8111-111111111111", 5 * 60'000);       // within the reauthorization window
  make("22222222-2222-4222-8222-222222222222", 3 * 3'600'000, kUser);  // not yet

  auto swept = monitor.SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_EQ(swept->reauthorization_requested, 1);
  EXPECT_EQ(monitor.SweepOnce()->reauthorization_requested, 0);  // once per renewal
  ASSERT_TRUE(Pump([&] { return lifecycle.items().size() == 1; }));
  EXPECT_EQ(Str(lifecycle.items()[0], "lifecycleEvent"), "reauthorizationRequired");
  EXPECT_EQ(Str(lifecycle.items()[0], "subscriptionId"), "11111111-1111-4111-8111-111111111111");

  clock_.Advance(6min);  // the first expires: removed, silently
  swept = monitor.SweepOnce();
  EXPECT_EQ(swept->expired, 1);
  EXPECT_EQ(store_->subscriptions().Get(kTenant, "11111111-1111-4111-8111-111111111111").status().code(),
            Code::kNotFound);

  // Consent revoked: the second is removed and its lifecycle URL told.
  ASSERT_TRUE(store_->directory().RevokeConsent(kTenant, kApp, "").ok());
  swept = monitor.SweepOnce();
  EXPECT_EQ(swept->removed, 1);
  ASSERT_TRUE(Pump([&] { return lifecycle.items().size() == 2; }));
  EXPECT_EQ(Str(lifecycle.items()[1], "lifecycleEvent"), "subscriptionRemoved");
  EXPECT_EQ(store_->subscriptions().ListByApp(kTenant, kApp)->size(), 0u);
}

TEST_F(DeliveryTest, TheWorkerDeliversAndStopsCleanly) {
  Receiver r;
  Subscribe("11111111-1111-4111-8111-111111111111", r.url(), "created");
  SystemClock system;
  NotificationOptions options;
  options.webhooks = LoopbackReceivers();
  options.poll_interval = 20ms;
  // The subscription's expiration was set by the test's clock: renew it by the system's, which the worker uses.
  store::SubscriptionPatch renew;
  renew.expiration_ms = system.NowMillis() + 3'600'000;
  ASSERT_TRUE(store_->subscriptions().Update(kTenant, "11111111-1111-4111-8111-111111111111", renew).ok());
  auto worker = DeliveryWorker::Start(*store_, nullptr, options, system);
  ASSERT_TRUE(worker.ok());
  Write(kUser, "1", kTeams);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (r.items().empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(r.items().size(), 1u);
  (*worker)->Stop();
  EXPECT_EQ(Pending(), 0u);
}

}  // namespace
}  // namespace aih::notify
