// AuditTrail: how entries reach the audit log (audit_log.h) without slowing what they record, and
// the log's own retention.
//
// Three ways in, by what is recorded:
//   - Changes (admin changes, subscriptions): RecordNow appends in a transaction of its own before the
//     change is acknowledged, so an acknowledged change is on record even after a kill -9 (a crash
//     between the change's commit and the entry's loses the entry of a change never acknowledged).
//     Changes are rare; a synchronous append costs them one short commit.
//   - Deletions of interactions (admin, erasure, retention): the deletion path appends in the
//     deletion's own transaction (sql_deletion.cc): on record if and only if it committed.
//   - Reads, exports and failed authentications: Record queues the entry and returns at once; a
//     background thread appends what is queued in batches, one transaction per batch, every
//     flush_interval_ms (or sooner once a batch is full). These are the hot and the attackable paths:
//     an export page pays a queue push, not a commit. The loss window on a crash (kill -9, power) is
//     what is queued: at most flush_interval_ms of entries (plus one batch being written). A clean
//     stop writes everything queued (the destructor).
// Overload: the queue holds at most queue_capacity entries (those being written included). Beyond
// that Record drops the entry and counts it (aihistory_audit_entries_dropped_total, and dropped()):
// the export or the flood of failed authentications goes on at full speed, memory stays bounded, and
// the count says how much is missing. Back-pressure would instead let an attacker stall exports by
// failing authentication, so the queue drops.
//
// Retention: entries older than retention_days (default 2557 days, seven years: the longest period
// common record-keeping rules ask of audit trails; Purview keeps 180 days by default, up to ten years
// with an add-on) are removed by the same background thread every sweep_interval_ms of the clock, in
// transactions of sweep_batch entries. Each server sweeps; the removal is idempotent. A pass that
// removed entries records that it did (action "auditLog.retention").
//
// Threading: every method may be called from any thread. The clock (base/clock.h) dates the entries
// and decides what is old, so tests drive years in milliseconds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "base/clock.h"
#include "base/status.h"
#include "store/audit_log.h"

namespace aih::store {

struct AuditTrailOptions {
  bool enabled = true;                   // false: nothing is recorded (benchmarks' A/B only)
  size_t queue_capacity = 65536;         // queued entries (Record) beyond which entries are dropped
  size_t batch = 1000;                   // entries per append transaction
  int64_t flush_interval_ms = 200;       // the loss window of queued entries
  int64_t retention_days = 2557;         // 0: kept forever
  int64_t sweep_interval_ms = 3'600'000; // clock time between retention passes
  int sweep_batch = 1000;                // entries removed per transaction
  bool background = true;                // false: no thread (tests call Flush and Sweep themselves)
};

class AuditTrail {
 public:
  AuditTrail(AuditLog& log, const Clock& clock, AuditTrailOptions options = {});
  ~AuditTrail();  // writes what is queued, then stops the thread
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // Queues `entry` (time_ms 0: now); false when it was dropped because the queue is full.
  bool Record(AuditEntry entry);
  // Appends `entry` (time_ms 0: now) durably before returning.
  Status RecordNow(AuditEntry entry);
  // Appends everything queued now.
  Status Flush();
  // One retention pass (see above): how many entries it removed.
  Result<int64_t> Sweep();

  bool enabled() const { return options_.enabled; }
  const Clock& clock() const { return clock_; }
  uint64_t dropped() const { return dropped_.load(); }
  size_t queued() const;

 private:
  void Run();
  Status WriteQueued(std::unique_lock<std::mutex>& lock);

  AuditLog& log_;
  const Clock& clock_;
  const AuditTrailOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<AuditEntry> queue_;
  size_t in_flight_ = 0;  // taken from the queue, being written
  std::mutex write_mu_;   // one batch written at a time, so entries keep their queue order
  bool stop_ = false;
  int64_t next_sweep_ms_ = 0;
  std::atomic<uint64_t> dropped_{0};
  std::thread thread_;
};

}  // namespace aih::store
