// StorageCondition: whether the store's storage is full, as its latest writes found it.
//
// A write refused for lack of space (SQLITE_FULL; PostgreSQL's SQLSTATE 53100 disk_full) comes back
// as kStorageFull, which the API answers with 507 Insufficient Storage. The store passes the outcome
// of its writes through Observe(): the first refusal is logged loudly on stderr (and again every
// minute while it lasts), each further refusal doubles the Retry-After to give (1, 2, 4 ... 60 s),
// and /health reports the storage as full. A successful write ends the episode (logged too); so
// does a quiet spell of kForget without refusals, for a store nobody writes to any more.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "base/status.h"

namespace aih::store {

class StorageCondition {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxRetryAfterSeconds = 60;
  static constexpr std::chrono::seconds kForget{2 * kMaxRetryAfterSeconds};

  // Notes the outcome of a write and returns it unchanged. Only kStorageFull and a success that
  // `changed` something count: a write that changed nothing may succeed on a full disk.
  Status Observe(Status outcome, bool changed = true, Clock::time_point now = Clock::now());
  // Notes a failure of anything (a read, a migration) that hit a full disk, without clearing.
  void RecordFull(const std::string& detail, Clock::time_point now = Clock::now());
  void RecordWritten();

  // A write found the storage full within the last kForget.
  bool full(Clock::time_point now = Clock::now()) const;
  // What a refused write's Retry-After says now: 1 s doubled per refusal of this episode, at most 60.
  int retry_after_seconds(Clock::time_point now = Clock::now()) const;

 private:
  bool FullLocked(Clock::time_point now) const { return refusals_ > 0 && now - last_refusal_ <= kForget; }

  mutable std::mutex mu_;
  int refusals_ = 0;  // in this episode
  Clock::time_point since_, last_refusal_, last_logged_;
};

}  // namespace aih::store
