// WriteCombiner: concurrent small interaction writes combined into one batch.
//
// Each write costs the engine a fixed amount beside its items: on PostgreSQL a dozen round trips
// (the log's turn and right edge, the change feed, the rows), on SQLite a pass through the same
// statements and a full-text segment of its own. A client that sends each interaction as it happens
// pays that per item. So while a batch is being written, the writes that arrive wait, and the next
// of them to go writes all of those waiting together, in arrival order, as one batch: the engine
// writes a key sent twice in sequence, so each item's outcome is what it would have been had the
// writes run one after another. A combined batch is atomic as each write alone is. Should it fail,
// each write runs again alone, on its own caller's thread (so they go on together, in the group
// commit), and each caller's answer is its own write's; when the database itself failed (unreachable,
// full), every write of the batch gets that answer, as it would alone.
//
// A write of more than kMaxItemsToCombine items already spreads the fixed cost and is written alone.
// At most `max_in_flight` batches are written at once (one builds while another commits); a write
// that finds a free slot and no one waiting goes at once, so a lone client waits for nothing.
//
// Threading: Write() from any thread; it blocks until the caller's items are written (or failed).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "store/interaction_store.h"

namespace aih::store {

class WriteCombiner {
 public:
  // Writes one batch, atomically (the engine's write).
  using WriteBatch = std::function<Status(const std::vector<ItemToWrite>&, std::vector<ItemOutcome>*)>;

  // Writes of at most this many items are combined, up to kMaxCombinedItems and kMaxCombinedBytes
  // of JSON in one batch (which the engine holds again while it writes it).
  static constexpr size_t kMaxItemsToCombine = 64;
  static constexpr size_t kMaxCombinedItems = 1000;
  static constexpr size_t kMaxCombinedBytes = size_t{8} << 20;

  explicit WriteCombiner(WriteBatch write, int max_in_flight = 2) : write_(std::move(write)), max_in_flight_(max_in_flight) {}
  WriteCombiner(const WriteCombiner&) = delete;
  WriteCombiner& operator=(const WriteCombiner&) = delete;

  // Writes `items`, alone or with others; `outcomes` gets one per item, in order.
  Status Write(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes);

  // Batches written that combined more than one write, ever (for tests).
  uint64_t combined_batches() const;

 private:
  struct Pending {
    const std::vector<ItemToWrite>* items;
    std::vector<ItemOutcome>* outcomes;
    size_t bytes;  // of its items' JSON
    Status status;
    bool done = false;
    bool alone = false;  // its batch failed: the caller writes it again alone
  };
  // The writes waiting, oldest first, up to kMaxCombinedItems and kMaxCombinedBytes (at least one).
  // Under mu_.
  std::vector<Pending*> TakeBatch();
  // Writes `batch`, settling each of its writes' status or `alone`.
  void WriteTogether(const std::vector<Pending*>& batch);

  const WriteBatch write_;
  const int max_in_flight_;
  mutable std::mutex mu_;
  std::condition_variable settled_;  // a batch was written: a slot is free, and some writes are done
  std::deque<Pending*> waiting_;
  int in_flight_ = 0;
  uint64_t combined_batches_ = 0;
};

}  // namespace aih::store
