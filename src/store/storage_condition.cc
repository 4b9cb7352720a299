#include "store/storage_condition.h"

#include <algorithm>
#include <cstdio>

namespace aih::store {

Status StorageCondition::Observe(Status outcome, Clock::time_point now) {
  if (outcome.code() == Code::kStorageFull) {
    RecordFull(outcome.message(), now);
  } else if (outcome.ok()) {
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
    std::fprintf(stderr,
                 "aihistory: STORAGE FULL: the store cannot write (%s). Every write is refused with 507 until space "
                 "is freed; reads go on.\n",
                 detail.c_str());
  } else if (now - last_logged_ >= std::chrono::seconds(kMaxRetryAfterSeconds)) {
    last_logged_ = now;
    std::fprintf(stderr, "aihistory: STORAGE FULL for %lld s now: writes are still refused (%s)\n",
                 static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(now - since_).count()),
                 detail.c_str());
  }
  ++refusals_;
  last_refusal_ = now;
}

void StorageCondition::RecordWritten() {
  std::lock_guard lock(mu_);
  if (refusals_ == 0) return;
  refusals_ = 0;
  std::fprintf(stderr, "aihistory: storage has room again: writes succeed\n");
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
