#include "store/write_combiner.h"

#include <algorithm>

#include "store/commit_metrics.h"

namespace aih::store {

Status WriteCombiner::Write(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) {
  if (items.size() > kMaxItemsToCombine) return write_(items, outcomes);
  size_t bytes = 0;
  for (const ItemToWrite& item : items) bytes += item.json.size();
  Pending me{&items, outcomes, bytes, Status::Ok(), false, false};
  {
    std::unique_lock<std::mutex> lock(mu_);
    waiting_.push_back(&me);
    while (!me.done) {
      if (in_flight_ >= max_in_flight_ || waiting_.empty()) {
        settled_.wait(lock);
        continue;
      }
      // A free slot: this thread writes the writes waiting (this one among them, or written by now).
      const std::vector<Pending*> batch = TakeBatch();
      ++in_flight_;
      lock.unlock();
      try {
        WriteTogether(batch);
      } catch (...) {  // (std::bad_alloc): no write of the batch may wait forever, nor count as done
        lock.lock();
        --in_flight_;
        for (Pending* p : batch) p->status = Status::Internal("the write was interrupted; retry it"), p->done = true;
        if (auto mine = std::find(waiting_.begin(), waiting_.end(), &me); mine != waiting_.end()) waiting_.erase(mine);
        settled_.notify_all();
        throw;
      }
      lock.lock();
      --in_flight_;
      for (Pending* p : batch) p->done = true;
      settled_.notify_all();
    }
  }
  return me.alone ? write_(items, outcomes) : me.status;
}

std::vector<WriteCombiner::Pending*> WriteCombiner::TakeBatch() {
  std::vector<Pending*> batch;
  size_t items = 0, bytes = 0;
  while (!waiting_.empty()) {
    const Pending& next = *waiting_.front();
    const bool fits = items + next.items->size() <= kMaxCombinedItems && bytes + next.bytes <= kMaxCombinedBytes;
    if (!batch.empty() && !fits) break;
    items += next.items->size();
    bytes += next.bytes;
    batch.push_back(waiting_.front());
    waiting_.pop_front();
  }
  if (batch.size() > 1) ++combined_batches_;
  RecordCombinedWrites(batch.size());
  return batch;
}

void WriteCombiner::WriteTogether(const std::vector<Pending*>& batch) {
  if (batch.size() == 1) {
    batch[0]->status = write_(*batch[0]->items, batch[0]->outcomes);
    return;
  }
  std::vector<ItemToWrite> items;
  for (const Pending* p : batch) items.insert(items.end(), p->items->begin(), p->items->end());
  std::vector<ItemOutcome> outcomes;
  const Status together = write_(items, &outcomes);
  if (together.ok() && outcomes.size() == items.size()) {
    size_t at = 0;
    for (Pending* p : batch) {
      p->outcomes->assign(outcomes.begin() + static_cast<std::ptrdiff_t>(at),
                          outcomes.begin() + static_cast<std::ptrdiff_t>(at + p->items->size()));
      at += p->items->size();
      p->status = Status::Ok();
    }
    return;
  }
  // Nothing of the batch was written. When the database itself failed, so would each write alone.
  const bool database = together.code() == Code::kUnavailable || together.code() == Code::kStorageFull;
  for (Pending* p : batch) {
    if (database) {
      p->status = together;
    } else {
      p->alone = true;
    }
  }
}

uint64_t WriteCombiner::combined_batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return combined_batches_;
}

}  // namespace aih::store
