// RetentionSweep: applies the tenants' retention policies (retention.h), deleting what is due through
// the one deletion path (store/deletion.h) in bounded batches, so that ingest never waits long for it.
//
// Every server runs one. A tenant is swept by one server at a time: the one holding its lease
// (store/retention_store.h), renewed after every batch; a server that dies loses it when it runs out.
// Each batch is one transaction: after a crash (kill -9) nothing is half-deleted, and the next pass
// starts again from the tenant's oldest item. Items under an active legal hold are skipped, never
// deleted; releasing the hold lets the next pass delete them. Time is the Clock's (tests move it by
// years in a call).
// Threading: RunOnce may be called from any one thread at a time; Start/Stop own a background thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "base/status.h"
#include "store/store.h"

namespace aih::policy {

struct SweepOptions {
  std::string holder;          // this server's name in the leases (unique per process)
  int batch = 100;             // items examined per transaction (at most store::Deletion::kMaxKeys deleted)
  int64_t lease_ms = 60'000;   // how long a lease lasts unless renewed
};

struct SweepReport {
  int64_t examined = 0;  // items judged
  int64_t deleted = 0;   // items deleted
  int64_t held = 0;      // due items kept by a legal hold
  int64_t batches = 0;   // deletion transactions
  int tenants = 0;       // tenants swept (leased, with a deleting policy)
  int64_t pages_reclaimed = 0;  // pages given back to the file system (store.h ReclaimSpace)
};

class RetentionSweep {
 public:
  RetentionSweep(store::Store& store, const Clock& clock, SweepOptions options);
  ~RetentionSweep();  // stops the background thread

  // One pass over every tenant whose lease this server gets.
  Result<SweepReport> RunOnce();

  // Runs a pass every `interval_ms` on a background thread (lowered priority) until Stop().
  void Start(int64_t interval_ms);
  void Stop();

 private:
  Status SweepTenant(const std::string& tenant_id, SweepReport* report);

  store::Store& store_;
  const Clock& clock_;
  const SweepOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace aih::policy
