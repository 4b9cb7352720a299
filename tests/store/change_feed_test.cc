// ChangeFeed: a queue that consumers share by claiming leases, identical on every engine.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store_fixture.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;

class ChangeFeedTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (store_) Subscribe(store(), "tenant");
  }
  // Writes `n` new interactions (one change each) and returns their change seqs, lowest first.
  std::vector<int64_t> WriteChanges(int n, const std::string& prefix = "i") {
    std::vector<store::ItemToWrite> items;
    for (int i = 0; i < n; ++i) {
      model::Interaction in;
      in.id = prefix + std::to_string(i);
      in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
      in.created = model::Timestamp::FromUnixMillis(1000 + i);
      items.push_back(store::PrepareItem("tenant", "user", in));
    }
    std::vector<store::ItemOutcome> out;
    Status s = store().interactions().Write(items, &out);
    EXPECT_TRUE(s.ok()) << s.message();
    return Seqs(*store().changes().Peek(100000));
  }
  static std::vector<int64_t> Seqs(const std::vector<store::Change>& changes) {
    std::vector<int64_t> seqs;
    for (auto& c : changes) seqs.push_back(c.seq);
    return seqs;
  }
  store::ChangeFeed& feed() { return store().changes(); }
};

TEST_P(ChangeFeedTest, ClaimsLeaseTheOldestChangesToOneConsumerAndCompleteRemovesThem) {
  auto all = WriteChanges(10);
  ASSERT_EQ(all.size(), 10u);
  auto a = feed().Claim("server-a", 4, 60s);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(Seqs(*a), std::vector<int64_t>(all.begin(), all.begin() + 4));
  EXPECT_EQ((*a)[0].interaction_id, "i0");
  EXPECT_EQ((*a)[0].type, store::ChangeType::kCreated);
  // Held changes are not claimable: the next consumer gets the rest.
  auto b = feed().Claim("server-b", 100, 60s);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Seqs(*b), std::vector<int64_t>(all.begin() + 4, all.end()));
  EXPECT_TRUE(feed().Claim("server-c", 100, 60s)->empty());

  // Only the holder completes a change.
  EXPECT_EQ(*feed().Complete("server-b", Seqs(*a)), 0);
  EXPECT_EQ(*feed().Complete("server-a", Seqs(*a)), 4);
  EXPECT_EQ(*feed().Complete("server-a", Seqs(*a)), 0);  // already gone
  EXPECT_EQ(Seqs(*feed().Peek(100)), Seqs(*b));
  EXPECT_EQ(*feed().Complete("server-b", Seqs(*b)), 6);
  EXPECT_TRUE(feed().Peek(100)->empty());
  EXPECT_EQ(*feed().Complete("server-b", {}), 0);
}

TEST_P(ChangeFeedTest, ABatchRecordsEveryChangeInItsOrderWithItsOwnFields) {
  // 1,000 new items for two users and 3 updates: the rows go in multi-row statements of 64, 32, ...
  std::vector<store::ItemToWrite> items;
  for (int i = 0; i < 1000; ++i) {
    model::Interaction in;
    in.id = "n" + std::to_string(i);
    in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
    in.created = model::Timestamp::FromUnixMillis(5000 + i);
    items.push_back(store::PrepareItem("tenant", i % 2 ? "odd" : "even", in));
  }
  std::vector<store::ItemOutcome> out;
  ASSERT_TRUE(store().interactions().Write(items, &out).ok());
  std::vector<store::ItemToWrite> updates;
  for (int i : {7, 0, 998}) {
    model::Interaction in = items[static_cast<size_t>(i)].interaction;
    in.locale = "fr-fr";
    updates.push_back(store::PrepareItem("tenant", items[static_cast<size_t>(i)].user_id, in));
  }
  ASSERT_TRUE(store().interactions().Write(updates, &out).ok());

  auto changes = feed().Peek(2000);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 1003u);
  for (size_t i = 0; i < 1003; ++i) {
    const store::Change& c = (*changes)[i];
    if (i) {
      EXPECT_LT((*changes)[i - 1].seq, c.seq);
    }
    const int n = i < 1000 ? static_cast<int>(i) : std::vector<int>{7, 0, 998}[i - 1000];
    EXPECT_EQ(c.tenant_id, "tenant");
    EXPECT_EQ(c.user_id, n % 2 ? "odd" : "even") << i;
    EXPECT_EQ(c.interaction_id, "n" + std::to_string(n)) << i;
    EXPECT_EQ(c.type, i < 1000 ? store::ChangeType::kCreated : store::ChangeType::kUpdated) << i;
    EXPECT_EQ(c.ticks, model::Timestamp::FromUnixMillis(5000 + n).ticks) << i;
  }
}

TEST_P(ChangeFeedTest, AnExpiredLeaseGoesToTheNextConsumerAndTheOldHolderCannotComplete) {
  auto all = WriteChanges(3);
  auto a = feed().Claim("dead-server", 10, 1ms);
  ASSERT_EQ(a->size(), 3u);
  std::this_thread::sleep_for(50ms);
  auto b = feed().Claim("live-server", 10, 60s);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Seqs(*b), all);
  EXPECT_EQ(*feed().Complete("dead-server", all), 0);
  EXPECT_EQ(*feed().Complete("live-server", all), 3);
}

TEST_P(ChangeFeedTest, ReleasedChangesAreClaimableAtOnce) {
  auto all = WriteChanges(2);
  auto a = feed().Claim("a", 10, 60s);
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ(*feed().Release("b", all), 0);  // not b's to release
  EXPECT_TRUE(feed().Claim("b", 10, 60s)->empty());
  EXPECT_EQ(*feed().Release("a", {all[1]}), 1);
  auto b = feed().Claim("b", 10, 60s);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].seq, all[1]);
}

TEST_P(ChangeFeedTest, ConcurrentConsumersReceiveEveryChangeExactlyOnce) {
  constexpr int kChanges = 300, kConsumers = 6;
  auto all = WriteChanges(kChanges);
  ASSERT_EQ(all.size(), static_cast<size_t>(kChanges));
  std::mutex mu;
  std::multiset<int64_t> delivered;
  std::atomic<int> failures{0};
  std::vector<std::thread> consumers;
  for (int t = 0; t < kConsumers; ++t) {
    consumers.emplace_back([&, t] {
      const std::string me = "consumer-" + std::to_string(t);
      for (;;) {
        auto claimed = feed().Claim(me, 7, 60s);
        if (!claimed.ok()) { ++failures; return; }
        if (claimed->empty()) return;
        {
          std::lock_guard<std::mutex> lock(mu);
          for (auto& c : *claimed) delivered.insert(c.seq);
        }
        auto done = feed().Complete(me, Seqs(*claimed));
        if (!done.ok() || *done != static_cast<int64_t>(claimed->size())) ++failures;
      }
    });
  }
  for (auto& t : consumers) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(delivered, std::multiset<int64_t>(all.begin(), all.end()));
  EXPECT_TRUE(feed().Peek(10)->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, ChangeFeedTest, ::testing::ValuesIn(StoreEngines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace aih::testing
