// SubscriptionStore: subscriptions, their quotas, and the leased outbox, identical on every engine.
#include <atomic>
#include <set>
#include <thread>

#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;
constexpr int64_t kHour = 3'600'000;

class SubscriptionStoreTest : public StoreTest {
 protected:
  store::SubscriptionStore& subs() { return store().subscriptions(); }

  static store::Subscription Sub(const std::string& id, const std::string& app, const std::string& user = "",
                                 const std::string& tenant = "t1") {
    store::Subscription s;
    s.tenant_id = tenant;
    s.id = id;
    s.app_id = app;
    s.creator_id = app;
    s.user_id = user;
    s.resource = user.empty() ? "/copilot/interactionHistory/getAllEnterpriseInteractions"
                              : "/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions";
    s.filter = "appClass eq 'X'";
    s.change_types = store::ChangeTypeBit(store::ChangeType::kCreated);
    s.notification_url = "https://receiver.example/" + id;
    s.client_state = "state-" + id;
    s.expiration_ms = kNow + kHour;
    s.created_ms = kNow;
    return s;
  }
  static store::OutboxEntry Entry(const std::string& sub, int items = 1, const std::string& tenant = "t1") {
    store::OutboxEntry e;
    e.tenant_id = tenant;
    e.subscription_id = sub;
    e.url = "https://receiver.example/" + sub;
    e.payload = "[" + std::to_string(items) + "]";
    e.items = items;
    e.enqueued_ms = kNow;
    e.next_attempt_ms = kNow;
    return e;
  }
  // Rows of the engine's payload table (both engines name it notification_payloads), read directly.
  int64_t StoredPayloads() {
    const std::string sql = "SELECT count(*) FROM notification_payloads";
    if (IsPostgresLocation(location_)) {
      auto conn = store::postgres::Connection::Open(location_);
      EXPECT_TRUE(conn.ok()) << conn.status().message();
      if (!conn.ok()) return -1;
      auto rows = (*conn)->Query(sql);
      EXPECT_TRUE(rows.ok()) << rows.status().message();
      return rows.ok() ? rows->Int(0, 0) : -1;
    }
    auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/true);
    EXPECT_TRUE(conn.ok()) << conn.status().message();
    if (!conn.ok()) return -1;
    auto stmt = (*conn)->Prepare(sql);
    Status status;
    return stmt.ok() && stmt->Step(&status) ? stmt->Int(0) : -1;
  }
  static std::set<std::string> Subscriptions(const std::vector<store::OutboxEntry>& entries) {
    std::set<std::string> out;
    for (const auto& e : entries) out.insert(e.subscription_id);
    return out;
  }
};

TEST_P(SubscriptionStoreTest, KeepsEveryMember) {
  store::Subscription s = Sub("a", "app1", "u1");
  s.delegated = true;
  s.creator_id = "u1";
  s.change_types = 7;
  s.lifecycle_notification_url = "https://receiver.example/life";
  s.include_resource_data = true;
  s.encryption_certificate = "MIIB...";
  s.encryption_certificate_id = "cert-1";
  ASSERT_TRUE(subs().Create(s, {}, kNow).ok());
  auto got = subs().Get("t1", "a");
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->app_id, "app1");
  EXPECT_EQ(got->creator_id, "u1");
  EXPECT_TRUE(got->delegated);
  EXPECT_EQ(got->user_id, "u1");
  EXPECT_EQ(got->resource, s.resource);
  EXPECT_EQ(got->filter, "appClass eq 'X'");
  EXPECT_EQ(got->change_types, 7);
  EXPECT_EQ(got->lifecycle_notification_url, s.lifecycle_notification_url);
  EXPECT_EQ(got->client_state, "state-a");
  EXPECT_TRUE(got->include_resource_data);
  EXPECT_EQ(got->encryption_certificate, "MIIB...");
  EXPECT_EQ(got->encryption_certificate_id, "cert-1");
  EXPECT_EQ(got->expiration_ms, kNow + kHour);
  EXPECT_EQ(subs().Get("t2", "a").status().code(), Code::kNotFound);  // another tenant sees nothing
  EXPECT_EQ(subs().Create(s, {}, kNow).code(), Code::kConflict);
}

TEST_P(SubscriptionStoreTest, QuotasNameWhatIsFull) {
  store::SubscriptionQuotas q;
  q.per_user = 3;
  q.per_tenant = 6;
  ASSERT_TRUE(subs().Create(Sub("w1", "app1"), q, kNow).ok());
  Status second = subs().Create(Sub("w2", "app1"), q, kNow);
  EXPECT_EQ(second.code(), Code::kForbidden);
  EXPECT_NE(second.message().find("tenant-wide subscription(s) per application per tenant"), std::string::npos);
  ASSERT_TRUE(subs().Create(Sub("w3", "app2"), q, kNow).ok());  // another app has its own

  ASSERT_TRUE(subs().Create(Sub("u1a", "app1", "u1"), q, kNow).ok());
  Status same_app = subs().Create(Sub("u1b", "app1", "u1"), q, kNow);
  EXPECT_EQ(same_app.code(), Code::kForbidden);
  EXPECT_NE(same_app.message().find("per application per user"), std::string::npos);
  ASSERT_TRUE(subs().Create(Sub("u1c", "app2", "u1"), q, kNow).ok());
  ASSERT_TRUE(subs().Create(Sub("u1d", "app3", "u1"), q, kNow).ok());
  Status per_user = subs().Create(Sub("u1e", "app4", "u1"), q, kNow);
  EXPECT_EQ(per_user.code(), Code::kForbidden);
  EXPECT_NE(per_user.message().find("3 subscriptions per user"), std::string::npos);

  ASSERT_TRUE(subs().Create(Sub("u2a", "app1", "u2"), q, kNow).ok());
  Status per_tenant = subs().Create(Sub("u3a", "app1", "u3"), q, kNow);
  EXPECT_EQ(per_tenant.code(), Code::kForbidden);
  EXPECT_NE(per_tenant.message().find("6 subscriptions per tenant"), std::string::npos);
  EXPECT_TRUE(subs().Create(Sub("other", "app1", "u2", "t2"), q, kNow).ok());  // quotas are per tenant

  // Expired subscriptions no longer count.
  EXPECT_TRUE(subs().Create(Sub("w2", "app1"), q, kNow + 2 * kHour).code() == Code::kOk);
}

TEST_P(SubscriptionStoreTest, ConcurrentCreationsNeverExceedAQuota) {
  store::SubscriptionQuotas q;
  q.per_tenant = 10;
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      if (subs().Create(Sub("s" + std::to_string(i), "app" + std::to_string(i)), q, kNow).ok()) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 10);
  EXPECT_EQ(subs().ListLive("t1", kNow)->size(), 10u);
}

TEST_P(SubscriptionStoreTest, ListsUpdatesAndRemoves) {
  ASSERT_TRUE(subs().Create(Sub("a", "app1"), {}, kNow).ok());
  ASSERT_TRUE(subs().Create(Sub("b", "app2"), {}, kNow).ok());
  store::Subscription c = Sub("c", "app1", "u1");
  c.expiration_ms = kNow + 1;
  ASSERT_TRUE(subs().Create(c, {}, kNow).ok());
  ASSERT_TRUE(subs().Create(Sub("d", "app1", "", "t2"), {}, kNow).ok());
  EXPECT_EQ(subs().ListByApp("t1", "app1")->size(), 2u);
  EXPECT_EQ(subs().ListLive("t1", kNow + 10)->size(), 2u);  // c has expired
  auto scan = subs().Scan("", "", 2);
  ASSERT_EQ(scan->size(), 2u);
  auto rest = subs().Scan(scan->back().tenant_id, scan->back().id, 10);
  EXPECT_EQ(rest->size(), 2u);

  store::SubscriptionPatch notified;
  notified.reauthorization_notified_ms = kNow + 5;
  EXPECT_EQ(subs().Update("t1", "a", notified)->reauthorization_notified_ms, kNow + 5);
  store::SubscriptionPatch renew;
  renew.expiration_ms = kNow + 3 * kHour;
  auto renewed = subs().Update("t1", "a", renew);
  EXPECT_EQ(renewed->expiration_ms, kNow + 3 * kHour);
  EXPECT_EQ(renewed->reauthorization_notified_ms, 0);  // a renewal re-arms the reminder
  EXPECT_EQ(subs().Update("t1", "zz", renew).status().code(), Code::kNotFound);

  ASSERT_TRUE(subs().Enqueue({Entry("a"), Entry("a")}).ok());
  store::OutboxEntry farewell = Entry("a");
  farewell.kind = store::OutboxKind::kLifecycle;
  ASSERT_TRUE(subs().Remove("t1", "a", farewell).ok());
  auto left = subs().Pending("t1", "a", 10);
  ASSERT_EQ(left->size(), 1u);  // the change batches went with it; the farewell stays
  EXPECT_EQ((*left)[0].kind, store::OutboxKind::kLifecycle);
  EXPECT_EQ(subs().Remove("t1", "a", farewell).code(), Code::kNotFound);
  EXPECT_EQ(subs().Pending("t1", "a", 10)->size(), 1u);  // nothing enqueued for a missing subscription
}

TEST_P(SubscriptionStoreTest, TheOutboxDepthCountsEveryEntryAndTheStoreItsSize) {
  EXPECT_EQ(*subs().OutboxDepth(), 0);
  ASSERT_TRUE(subs().Enqueue({Entry("a"), Entry("a"), Entry("b"), Entry("c", 5)}).ok());
  EXPECT_EQ(*subs().OutboxDepth(), 4);  // leased or not, due or not
  ASSERT_TRUE(subs().ClaimDue("w1", kNow, 1000, 10, 100, {}).ok());
  EXPECT_EQ(*subs().OutboxDepth(), 4);
  auto size = store().SizeBytes();
  ASSERT_TRUE(size.ok()) << size.status().message();
  EXPECT_GT(*size, 0);
}

TEST_P(SubscriptionStoreTest, ClaimsLeaseEntriesFairlyAndSettleRecordsTheOutcome) {
  ASSERT_TRUE(subs().Enqueue({Entry("a"), Entry("a"), Entry("a"), Entry("b"), Entry("c", 5)}).ok());
  auto first = subs().ClaimDue("w1", kNow, 1000, /*per_subscription=*/2, 100, {"c"});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->size(), 3u);  // two of a, one of b, none of the skipped c
  EXPECT_EQ(Subscriptions(*first), (std::set<std::string>{"a", "b"}));
  for (size_t i = 1; i < first->size(); ++i) EXPECT_LT((*first)[i - 1].entry_id, (*first)[i].entry_id);
  // Leased: nobody else gets them until the lease ends.
  auto second = subs().ClaimDue("w2", kNow, 1000, 10, 100, {});
  EXPECT_EQ(second->size(), 2u);  // a's third entry, and c
  EXPECT_EQ(subs().ClaimDue("w3", kNow + 999, 1000, 10, 100, {})->size(), 0u);

  std::vector<store::Settlement> outcome;
  for (const auto& e : *first) {
    store::Settlement s;
    s.tenant_id = e.tenant_id;
    s.subscription_id = e.subscription_id;
    s.entry_id = e.entry_id;
    s.outcome = e.subscription_id == "a" ? store::Settlement::Outcome::kDelivered : store::Settlement::Outcome::kRetry;
    s.next_attempt_ms = kNow + 5000;
    outcome.push_back(s);
  }
  ASSERT_TRUE(subs().Settle("w1", outcome).ok());
  auto pending = subs().Pending("t1", "", 10);
  ASSERT_EQ(pending->size(), 3u);  // a's third, b (rescheduled), c
  for (const auto& e : *pending) {
    if (e.subscription_id == "b") {
      EXPECT_EQ(e.attempts, 1);
      EXPECT_EQ(e.next_attempt_ms, kNow + 5000);
    }
  }
  // w2's lease ends: w3 takes over, and w2 can no longer reschedule or drop what it held.
  auto taken = subs().ClaimDue("w3", kNow + 1000, 1000, 10, 100, {});
  EXPECT_EQ(taken->size(), 2u);
  std::vector<store::Settlement> stale;
  for (const auto& e : *second) {
    store::Settlement s;
    s.tenant_id = e.tenant_id;
    s.subscription_id = e.subscription_id;
    s.entry_id = e.entry_id;
    s.outcome = store::Settlement::Outcome::kDropped;
    s.replacement = Entry(e.subscription_id);
    stale.push_back(s);
  }
  ASSERT_TRUE(subs().Settle("w2", stale).ok());
  EXPECT_EQ(subs().Pending("t1", "", 10)->size(), 3u);  // nothing dropped, nothing added
  // The holder's drop removes the entry and enqueues its replacement in the same transaction.
  for (auto& s : stale) s.entry_id = (*taken)[&s - &stale[0]].entry_id;
  ASSERT_TRUE(subs().Settle("w3", stale).ok());
  auto after = subs().Pending("t1", "", 10);
  EXPECT_EQ(after->size(), 3u);
  EXPECT_EQ(subs().ClaimDue("w4", kNow + 1000, 1000, 10, 100, {})->size(), 2u);  // the two replacements
}

// The skipped subscriptions reach the claim as one JSON array (sql::JsonArray): ids with quotes,
// backslashes or non-ASCII characters are skipped exactly, and no other id is.
TEST_P(SubscriptionStoreTest, SkippedSubscriptionsAreSkippedExactlyWhateverTheirCharacters) {
  const std::string quoted = "a\"b", slashed = "c\\d", accented = "\xc3\xa9t\xc3\xa9";
  ASSERT_TRUE(subs().Enqueue({Entry(quoted), Entry(slashed), Entry(accented), Entry("a"), Entry("c")}).ok());
  auto claimed = subs().ClaimDue("w", kNow, 1000, 10, 10, {quoted, slashed, accented});
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  EXPECT_EQ(Subscriptions(*claimed), (std::set<std::string>{"a", "c"}));
  auto rest = subs().ClaimDue("w", kNow, 1000, 10, 10, {});
  ASSERT_TRUE(rest.ok()) << rest.status().message();
  EXPECT_EQ(Subscriptions(*rest), (std::set<std::string>{quoted, slashed, accented}));
}

TEST_P(SubscriptionStoreTest, EntriesWithTheSamePayloadKeepItWhileAnyIsPending) {
  // A fan-out enqueues one payload for many subscriptions (an engine may store it once).
  store::OutboxEntry a = Entry("a"), b = Entry("b"), c = Entry("c");
  a.payload = b.payload = R"([{"seq":1}])";
  c.payload = R"([{"seq":2}])";
  ASSERT_TRUE(subs().Enqueue({a, b, c}).ok());
  auto claimed = subs().ClaimDue("w", kNow, 1000, 10, 10, {"b", "c"});
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].payload, a.payload);
  store::Settlement done;
  done.tenant_id = "t1";
  done.subscription_id = "a";
  done.entry_id = (*claimed)[0].entry_id;
  ASSERT_TRUE(subs().Settle("w", {done}).ok());
  auto left = subs().Pending("t1", "", 10);
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ((*left)[0].payload, a.payload);  // b's copy survives a's delivery
  EXPECT_EQ((*left)[1].payload, c.payload);
  ASSERT_TRUE(subs().Enqueue({a}).ok());      // and the same payload can come again
  EXPECT_EQ(subs().Pending("t1", "a", 10)->at(0).payload, a.payload);
}

TEST_P(SubscriptionStoreTest, VersionsCountChangesAndConditionalTransitionsNeedTheVersionRead) {
  store::Subscription s = Sub("a", "app1");
  s.version = 42;  // assigned by the store, whatever the caller says
  ASSERT_TRUE(subs().Create(s, {}, kNow).ok());
  EXPECT_EQ(subs().Get("t1", "a")->version, 1);
  store::SubscriptionPatch renew;
  renew.expiration_ms = kNow + 2 * kHour;
  EXPECT_EQ(subs().Update("t1", "a", renew)->version, 2);

  store::SubscriptionPatch notified;
  notified.reauthorization_notified_ms = kNow;
  store::OutboxEntry reminder = Entry("a");
  reminder.kind = store::OutboxKind::kLifecycle;
  auto won = subs().UpdateIfUnchanged("t1", "a", 2, notified, reminder);
  ASSERT_TRUE(won.ok()) << won.status().message();
  EXPECT_TRUE(*won);
  auto after = subs().Get("t1", "a");
  EXPECT_EQ(after->version, 3);
  EXPECT_EQ(after->reauthorization_notified_ms, kNow);
  EXPECT_EQ(after->expiration_ms, kNow + 2 * kHour);
  EXPECT_EQ(subs().Pending("t1", "a", 10)->size(), 1u);  // the event rode with the transition

  // Decided from the reading at version 2: too late, nothing changes and nothing is enqueued.
  notified.reauthorization_notified_ms = kNow + 7;
  EXPECT_FALSE(*subs().UpdateIfUnchanged("t1", "a", 2, notified, reminder));
  EXPECT_EQ(subs().Get("t1", "a")->reauthorization_notified_ms, kNow);
  EXPECT_FALSE(*subs().RemoveIfUnchanged("t1", "a", 2, reminder));
  EXPECT_TRUE(subs().Get("t1", "a").ok());
  EXPECT_EQ(subs().Pending("t1", "a", 10)->size(), 1u);
  EXPECT_FALSE(*subs().UpdateIfUnchanged("t1", "zz", 1, notified, reminder));  // no such subscription

  // The current version removes it, with its change batches, and enqueues the farewell.
  ASSERT_TRUE(subs().Enqueue({Entry("a")}).ok());
  EXPECT_TRUE(*subs().RemoveIfUnchanged("t1", "a", 3, reminder));
  EXPECT_EQ(subs().Get("t1", "a").status().code(), Code::kNotFound);
  auto left = subs().Pending("t1", "a", 10);
  ASSERT_EQ(left->size(), 2u);  // the reminder and the farewell
  for (const auto& e : *left) EXPECT_EQ(e.kind, store::OutboxKind::kLifecycle);
  EXPECT_FALSE(*subs().RemoveIfUnchanged("t1", "a", 3, reminder));
  EXPECT_EQ(subs().Pending("t1", "a", 10)->size(), 2u);
}

// Several servers' monitors read the same subscription and decide the same transition at once:
// exactly one wins, and exactly one event is queued.
TEST_P(SubscriptionStoreTest, ServersRacingForOneTransitionHaveExactlyOneWinner) {
  constexpr int kServers = 8;
  for (const char* id : {"reminded", "removed"}) {
    store::Subscription s = Sub(id, std::string("app-") + id);
    s.lifecycle_notification_url = "https://receiver.example/life";
    ASSERT_TRUE(subs().Create(s, {}, kNow).ok());
  }
  const int64_t read_version = subs().Get("t1", "reminded")->version;
  std::atomic<int> reminders{0}, removals{0}, failures{0};
  std::vector<std::thread> servers;
  for (int i = 0; i < kServers; ++i) {
    servers.emplace_back([&, i] {
      store::OutboxEntry event = Entry("reminded");
      event.kind = store::OutboxKind::kLifecycle;
      event.payload = "reauthorizationRequired from server " + std::to_string(i);
      store::SubscriptionPatch notified;
      notified.reauthorization_notified_ms = kNow + i;
      auto asked = subs().UpdateIfUnchanged("t1", "reminded", read_version, notified, event);
      if (!asked.ok()) ++failures;
      if (asked.ok() && *asked) ++reminders;
      store::OutboxEntry farewell = Entry("removed");
      farewell.kind = store::OutboxKind::kLifecycle;
      farewell.payload = "subscriptionRemoved from server " + std::to_string(i);
      auto removed = subs().RemoveIfUnchanged("t1", "removed", read_version, farewell);
      if (!removed.ok()) ++failures;
      if (removed.ok() && *removed) ++removals;
    });
  }
  for (auto& t : servers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(reminders.load(), 1);
  EXPECT_EQ(removals.load(), 1);
  EXPECT_EQ(subs().Pending("t1", "reminded", 100)->size(), 1u);
  EXPECT_EQ(subs().Pending("t1", "removed", 100)->size(), 1u);
  EXPECT_EQ(subs().Get("t1", "reminded")->version, read_version + 1);
  EXPECT_EQ(subs().Get("t1", "removed").status().code(), Code::kNotFound);
}

TEST_P(SubscriptionStoreTest, AnEntryWithAOnceKeyWaitsOnlyOnce) {
  ASSERT_TRUE(subs().Create(Sub("a", "app1"), {}, kNow).ok());
  auto missed = [](const std::string& sub, const std::string& body) {
    store::OutboxEntry e = Entry(sub);
    e.kind = store::OutboxKind::kLifecycle;
    e.once_key = "missed";
    e.payload = body;
    return e;
  };
  ASSERT_TRUE(subs().Enqueue({missed("a", "first"), missed("a", "second")}).ok());
  ASSERT_TRUE(subs().Enqueue({missed("a", "third"), missed("b", "for b")}).ok());
  auto waiting = subs().Pending("t1", "a", 10);
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ((*waiting)[0].payload, "first");
  EXPECT_EQ((*waiting)[0].once_key, "missed");
  EXPECT_EQ(subs().Pending("t1", "b", 10)->size(), 1u) << "per subscription";

  // A drop whose replacement is a second `missed` removes the batch and adds nothing.
  ASSERT_TRUE(subs().Enqueue({Entry("a")}).ok());
  auto claimed = subs().ClaimDue("w", kNow, 1000, 10, 10, {"b"});
  ASSERT_EQ(claimed->size(), 2u);
  std::vector<store::Settlement> outcome;
  for (const auto& e : *claimed) {
    if (e.kind != store::OutboxKind::kChanges) continue;
    store::Settlement drop;
    drop.tenant_id = e.tenant_id;
    drop.subscription_id = e.subscription_id;
    drop.entry_id = e.entry_id;
    drop.outcome = store::Settlement::Outcome::kDropped;
    drop.replacement = missed("a", "from the drop");
    outcome.push_back(drop);
  }
  ASSERT_TRUE(subs().Settle("w", outcome).ok());
  waiting = subs().Pending("t1", "a", 10);
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ((*waiting)[0].payload, "first");

  // Once it is delivered, the next one may wait again.
  store::Settlement delivered;
  delivered.tenant_id = "t1";
  delivered.subscription_id = "a";
  delivered.entry_id = (*waiting)[0].entry_id;
  ASSERT_TRUE(subs().Settle("w", {delivered}).ok());
  ASSERT_TRUE(subs().Enqueue({missed("a", "later")}).ok());
  EXPECT_EQ(subs().Pending("t1", "a", 10)->at(0).payload, "later");

  // Servers enqueueing at once store one.
  std::vector<std::thread> servers;
  std::atomic<int> failures{0};
  for (int i = 0; i < 8; ++i) {
    servers.emplace_back([&, i] {
      if (!subs().Enqueue({missed("c", "server " + std::to_string(i))}).ok()) ++failures;
    });
  }
  for (auto& t : servers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(subs().Pending("t1", "c", 10)->size(), 1u);
}

// The outbox stores a payload once per tenant however many entries carry it, on every engine, and
// deletes it with the last of them.
TEST_P(SubscriptionStoreTest, APayloadIsStoredOnceAndGoesWithItsLastEntry) {
  std::vector<store::OutboxEntry> fan_out;
  for (int i = 0; i < 50; ++i) {
    store::OutboxEntry e = Entry("s" + std::to_string(i));
    e.payload = std::string(4096, 'x') + "shared";
    fan_out.push_back(e);
  }
  store::OutboxEntry other_tenant = Entry("s0", 1, "t2");
  other_tenant.payload = fan_out[0].payload;
  fan_out.push_back(other_tenant);
  ASSERT_TRUE(subs().Enqueue(fan_out).ok());
  ASSERT_TRUE(subs().Enqueue({fan_out[0]}).ok());  // later, the same bytes again
  EXPECT_EQ(StoredPayloads(), 2) << "one per tenant";
  auto waiting = subs().Pending("t1", "", 100);
  ASSERT_TRUE(waiting.ok());
  EXPECT_EQ(waiting->size(), 51u);
  for (const auto& e : *waiting) EXPECT_EQ(e.payload, fan_out[0].payload);

  ASSERT_TRUE(subs().Create(Sub("s7", "app1"), {}, kNow).ok());
  ASSERT_TRUE(subs().Remove("t1", "s7", std::nullopt).ok());  // takes its batch, not the shared payload
  EXPECT_EQ(subs().Pending("t1", "", 100)->size(), 50u);
  EXPECT_EQ(StoredPayloads(), 2);

  auto claimed = subs().ClaimDue("w", kNow, 1000, 10, 1000, {});
  ASSERT_EQ(claimed->size(), 51u);
  std::vector<store::Settlement> delivered;
  for (const auto& e : *claimed) {
    EXPECT_EQ(e.payload, fan_out[0].payload);
    store::Settlement st;
    st.tenant_id = e.tenant_id;
    st.subscription_id = e.subscription_id;
    st.entry_id = e.entry_id;
    delivered.push_back(st);
  }
  ASSERT_TRUE(subs().Settle("w", delivered).ok());
  EXPECT_EQ(StoredPayloads(), 0);
}

// Servers enqueueing a payload while others deliver (and so delete) entries carrying the same one:
// every entry still waiting can read its payload, and none is left behind once all are delivered.
TEST_P(SubscriptionStoreTest, SharedPayloadsSurviveServersEnqueueingAndDeliveringAtOnce) {
  const std::string payload = R"([{"seq":1,"type":"created","userId":"u","id":"1"}])";
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0}, enqueued{0};
  std::vector<std::thread> servers;
  for (int w = 0; w < 3; ++w) {
    servers.emplace_back([&, w] {
      for (int i = 0; i < 60; ++i) {
        store::OutboxEntry e = Entry("w" + std::to_string(w) + "-" + std::to_string(i));
        e.payload = payload;
        if (subs().Enqueue({e}).ok()) ++enqueued; else ++failures;
      }
    });
  }
  std::atomic<int> delivered{0};
  auto deliver_once = [&](const std::string& consumer) {
    auto claimed = subs().ClaimDue(consumer, kNow, 60'000, 10, 20, {});
    if (!claimed.ok()) {
      ++failures;
      return;
    }
    std::vector<store::Settlement> done;
    for (const auto& e : *claimed) {
      if (e.payload != payload) ++failures;
      store::Settlement st;
      st.tenant_id = e.tenant_id;
      st.subscription_id = e.subscription_id;
      st.entry_id = e.entry_id;
      done.push_back(st);
    }
    if (subs().Settle(consumer, done).ok()) delivered += static_cast<int>(done.size()); else ++failures;
  };
  for (int d = 0; d < 2; ++d) {
    servers.emplace_back([&, d] {
      while (writing) deliver_once("d" + std::to_string(d));
    });
  }
  for (int w = 0; w < 3; ++w) servers[w].join();
  writing = false;
  for (size_t i = 3; i < servers.size(); ++i) servers[i].join();
  auto waiting = subs().Pending("t1", "", 1000);
  ASSERT_TRUE(waiting.ok());
  for (const auto& e : *waiting) EXPECT_EQ(e.payload, payload);
  while (delivered < enqueued && failures == 0) deliver_once("last");
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(delivered.load(), 180);
  EXPECT_EQ(StoredPayloads(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, SubscriptionStoreTest, ::testing::ValuesIn(StoreEngines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace aih::testing
