#include "store/storage_condition.h"

#include <algorithm>
#include <cstdio>

#include "base/log.h"

namespace aih::store {

Status StorageCondition::Observe(Status outcome, bool changed, Clock::time_point now) {
  if (outcome.code() == Code::kStorageFull) {
    RecordFull(outcome.message(), now);
  } else if (outcome.ok() && changed) {
    RecordWritten();
  }
  return outcome;
}

void StorageCondition::RecordFull(const std::string& detail, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (!FullLocked(now)) {
    refusals_ = 0;
    since_ = now;
    last_logged_ = now;
    log::Error("storage_full")
        .Str("message", "STORAGE FULL: the store cannot write. Every write is refused with 507 until space is freed; "
                        "reads go on.")
        .Str("detail", detail);
  } else if (now - last_logged_ >= std::chrono::seconds(kMaxRetryAfterSeconds)) {
    last_logged_ = now;
    log::Error("storage_full")
        .Str("message", "STORAGE FULL: writes are still refused")
        .Int("for_s", std::chrono::duration_cast<std::chrono::seconds>(now - since_).count())
        .Str("detail", detail);
  }
  ++refusals_;
  last_refusal_ = now;
}

void StorageCondition::RecordWritten() {
  std::lock_guard lock(mu_);
  if (refusals_ == 0) return;
  refusals_ = 0;
  log::Info("storage_recovered").Str("message", "storage has room again: writes succeed");
}

bool StorageCondition::full(Clock::time_point now) const {
  std::lock_guard lock(mu_);
  return FullLocked(now);
}

int StorageCondition::retry_after_seconds(Clock::time_point now) const {
  std::lock_guard lock(mu_);
  if (!FullLocked(now)) return 1;
  const int doublings = std::min(refusals_ - 1, 6);  // 2^6 = 64 > 60
  return std::min(1 << std::max(doublings, 0), kMaxRetryAfterSeconds);
}

}  // namespace aih::store
