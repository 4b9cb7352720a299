// WriteCombiner (store/write_combiner.h) over a fake engine write: small writes made while a batch is
// being written go together as one batch, in arrival order, each caller getting its own items'
// outcomes; a batch that fails is written again write by write, so only the write that caused the
// failure fails; a failure of the database itself is everyone's, without writing again; a large
// write goes alone.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <new>
#include <set>
#include <thread>

#include "store/write_combiner.h"

namespace aih::testing {
namespace {

using namespace std::chrono_literals;
using store::ItemOutcome;
using store::ItemToWrite;
using store::WriteCombiner;

std::vector<ItemToWrite> Items(const std::string& prefix, size_t n) {
  std::vector<ItemToWrite> items(n);
  for (size_t i = 0; i < n; ++i) items[i].interaction.id = prefix + "-" + std::to_string(i);
  return items;
}

// A fake engine: each outcome's etag is its item's id. The first batch waits until released, so that
// the writes made meanwhile gather; a batch holding an item "bad" fails; `failure` fails any batch.
struct FakeEngine {
  std::mutex mu;
  std::vector<std::vector<std::string>> batches;  // the ids of each batch written (failed ones too)
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Status failure;

  Status Write(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) {
    bool first;
    {
      std::lock_guard lock(mu);
      first = batches.empty();
      batches.emplace_back();
      for (const auto& item : items) batches.back().push_back(item.interaction.id);
    }
    if (first) released.wait();
    if (!failure.ok()) return failure;
    for (const auto& item : items) {
      if (item.interaction.id.rfind("bad", 0) == 0) return Status::BadRequest("a bad item");
    }
    outcomes->clear();
    for (const auto& item : items) outcomes->push_back({store::WriteResult::kStored, item.interaction.id});
    return Status::Ok();
  }
};

struct Written {
  Status status;
  std::vector<ItemOutcome> outcomes;
};

// Starts `writes` while the first holds the engine (max_in_flight 1), then releases it.
std::vector<Written> WriteWhileTheFirstWaits(FakeEngine& engine, WriteCombiner& combiner,
                                             const std::vector<std::vector<ItemToWrite>>& writes) {
  std::vector<Written> out(writes.size());
  std::vector<std::thread> threads;
  threads.emplace_back([&] { out[0].status = combiner.Write(writes[0], &out[0].outcomes); });
  std::this_thread::sleep_for(50ms);  // the first is being written
  for (size_t i = 1; i < writes.size(); ++i) {
    threads.emplace_back([&, i] { out[i].status = combiner.Write(writes[i], &out[i].outcomes); });
    std::this_thread::sleep_for(20ms);  // waiting in this order
  }
  engine.release.set_value();
  for (auto& t : threads) t.join();
  return out;
}

WriteCombiner CombinerOver(FakeEngine& engine) {
  return WriteCombiner([&engine](const auto& items, auto* outcomes) { return engine.Write(items, outcomes); },
                       /*max_in_flight=*/1);
}

TEST(WriteCombinerTest, WritesMadeMeanwhileGoAsOneBatchInArrivalOrderEachWithItsOwnOutcomes) {
  FakeEngine engine;
  WriteCombiner combiner = CombinerOver(engine);
  const auto out = WriteWhileTheFirstWaits(engine, combiner, {Items("a", 1), Items("b", 2), Items("c", 1), Items("d", 3)});
  ASSERT_EQ(engine.batches.size(), 2u);
  EXPECT_EQ(engine.batches[1], (std::vector<std::string>{"b-0", "b-1", "c-0", "d-0", "d-1", "d-2"}));
  EXPECT_EQ(combiner.combined_batches(), 1u);
  const std::vector<std::string> prefixes{"a", "b", "c", "d"};
  const std::vector<size_t> sizes{1, 2, 1, 3};
  for (size_t w = 0; w < out.size(); ++w) {
    ASSERT_TRUE(out[w].status.ok()) << out[w].status.message();
    ASSERT_EQ(out[w].outcomes.size(), sizes[w]);
    for (size_t i = 0; i < sizes[w]; ++i) EXPECT_EQ(out[w].outcomes[i].etag, prefixes[w] + "-" + std::to_string(i));
  }
}

TEST(WriteCombinerTest, AFailedBatchIsWrittenAgainWriteByWriteSoOnlyTheCauseFails) {
  FakeEngine engine;
  WriteCombiner combiner = CombinerOver(engine);
  const auto out = WriteWhileTheFirstWaits(engine, combiner, {Items("a", 1), Items("b", 1), Items("bad", 1), Items("c", 2)});
  EXPECT_TRUE(out[1].status.ok()) << out[1].status.message();
  EXPECT_EQ(out[2].status.code(), Code::kBadRequest);
  EXPECT_TRUE(out[3].status.ok()) << out[3].status.message();
  ASSERT_EQ(out[3].outcomes.size(), 2u);
  EXPECT_EQ(out[3].outcomes[1].etag, "c-1");
  // The first alone, the three together (failed), then each of the three alone, on its own thread.
  ASSERT_EQ(engine.batches.size(), 5u);
  EXPECT_EQ(engine.batches[1], (std::vector<std::string>{"b-0", "bad-0", "c-0", "c-1"}));
  const std::set<std::vector<std::string>> alone(engine.batches.begin() + 2, engine.batches.end());
  EXPECT_EQ(alone, (std::set<std::vector<std::string>>{{"b-0"}, {"bad-0"}, {"c-0", "c-1"}}));
}

// An engine write that throws (std::bad_alloc copying a batch) leaves no write waiting forever and
// none counted as written; the writes after it go on.
TEST(WriteCombinerTest, AWriteThatThrowsLeavesNoWriteWaitingAndNoneWritten) {
  FakeEngine engine;
  bool thrown = false;
  WriteCombiner combiner([&](const auto& items, auto* outcomes) -> Status {
    if (items.size() > 1 && !thrown) {
      thrown = true;
      throw std::bad_alloc();
    }
    return engine.Write(items, outcomes);
  }, /*max_in_flight=*/1);
  std::vector<Status> statuses(4);
  std::atomic<int> exceptions{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < statuses.size(); ++i) {
    threads.emplace_back([&, i] {
      std::vector<ItemOutcome> outcomes;
      try {
        statuses[i] = combiner.Write(Items("w" + std::to_string(i), 1), &outcomes);
      } catch (const std::bad_alloc&) {
        ++exceptions;
        statuses[i] = Status::Internal("thrown");
      }
    });
    std::this_thread::sleep_for(20ms);  // the first holds the engine; the others wait, then go together
  }
  engine.release.set_value();
  for (auto& t : threads) t.join();
  EXPECT_EQ(exceptions, 1);
  EXPECT_TRUE(statuses[0].ok()) << statuses[0].message();
  for (size_t i = 1; i < statuses.size(); ++i) EXPECT_EQ(statuses[i].code(), Code::kInternal) << i;
  std::vector<ItemOutcome> outcomes;
  EXPECT_TRUE(combiner.Write(Items("after", 1), &outcomes).ok()) << "a slot was lost";
}

TEST(WriteCombinerTest, WhenTheDatabaseFailsEveryWriteOfTheBatchFailsWithoutWritingAgain) {
  FakeEngine engine;
  engine.failure = Status::Unavailable("the database is unreachable");
  WriteCombiner combiner = CombinerOver(engine);
  const auto out = WriteWhileTheFirstWaits(engine, combiner, {Items("a", 1), Items("b", 1), Items("c", 1)});
  for (const Written& w : out) EXPECT_EQ(w.status.code(), Code::kUnavailable) << w.status.message();
  EXPECT_EQ(engine.batches.size(), 2u) << "a write was tried again alone after the database failed";
}

TEST(WriteCombinerTest, ALargeWriteGoesAloneAndALoneWriteAtOnce) {
  FakeEngine engine;
  engine.release.set_value();  // nothing waits
  WriteCombiner combiner = CombinerOver(engine);
  std::vector<ItemOutcome> outcomes;
  ASSERT_TRUE(combiner.Write(Items("big", WriteCombiner::kMaxItemsToCombine + 1), &outcomes).ok());
  EXPECT_EQ(outcomes.size(), WriteCombiner::kMaxItemsToCombine + 1);
  ASSERT_TRUE(combiner.Write(Items("one", 1), &outcomes).ok());
  EXPECT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(engine.batches.size(), 2u);
  EXPECT_EQ(combiner.combined_batches(), 0u);
}

TEST(WriteCombinerTest, ABatchHoldsAtMostTheLargestCombinedNumberOfItems) {
  FakeEngine engine;
  WriteCombiner combiner = CombinerOver(engine);
  std::vector<std::vector<ItemToWrite>> writes{Items("first", 1)};
  for (int i = 0; i < 20; ++i) writes.push_back(Items("w" + std::to_string(i), 60));  // 1,200 items waiting
  const auto out = WriteWhileTheFirstWaits(engine, combiner, writes);
  for (const Written& w : out) EXPECT_TRUE(w.status.ok()) << w.status.message();
  ASSERT_GE(engine.batches.size(), 3u);
  for (const auto& batch : engine.batches) EXPECT_LE(batch.size(), WriteCombiner::kMaxCombinedItems);
}

TEST(WriteCombinerTest, ABatchHoldsAtMostTheLargestCombinedNumberOfBytes) {
  FakeEngine engine;
  WriteCombiner combiner = CombinerOver(engine);
  std::vector<std::vector<ItemToWrite>> writes{Items("first", 1)};
  for (int i = 0; i < 6; ++i) {
    writes.push_back(Items("big" + std::to_string(i), 1));
    writes.back()[0].json.assign(3u << 20, 'x');  // 3 MiB each: two fit in a batch, three do not
  }
  const auto out = WriteWhileTheFirstWaits(engine, combiner, writes);
  for (const Written& w : out) EXPECT_TRUE(w.status.ok()) << w.status.message();
  ASSERT_EQ(engine.batches.size(), 4u);  // the first, then three batches of two
  for (size_t b = 1; b < engine.batches.size(); ++b) EXPECT_EQ(engine.batches[b].size(), 2u) << b;
}

}  // namespace
}  // namespace aih::testing
