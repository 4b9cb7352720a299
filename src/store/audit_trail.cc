#include "store/audit_trail.h"

#include <chrono>
#include <vector>

#include "base/log.h"
#include "base/metrics.h"

namespace aih::store {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

struct AuditMetrics {
  metrics::Counter& appended = metrics::Registry::Default().AddCounter(
      "aihistory_audit_entries_total", "Entries appended to the audit log.");
  metrics::Counter& dropped = metrics::Registry::Default().AddCounter(
      "aihistory_audit_entries_dropped_total",
      "Audit entries of reads and failed authentications dropped because the audit queue was full.");
  metrics::Counter& failed = metrics::Registry::Default().AddCounter(
      "aihistory_audit_append_failures_total", "Batches of audit entries the store refused (kept and retried).");
  metrics::Counter& expired = metrics::Registry::Default().AddCounter(
      "aihistory_audit_entries_expired_total", "Audit entries removed by the audit log's retention.");
};

AuditMetrics& TheAuditMetrics() {
  static AuditMetrics metrics;
  return metrics;
}

}  // namespace

AuditTrail::AuditTrail(AuditLog& log, const Clock& clock, AuditTrailOptions options)
    : log_(log), clock_(clock), options_(options) {
  TheAuditMetrics();
  next_sweep_ms_ = clock_.NowMillis();  // the first pass soon after the start
  if (options_.enabled && options_.background) thread_ = std::thread([this] { Run(); });
}

AuditTrail::~AuditTrail() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  Status s = Flush();
  if (!s.ok()) log::Error("audit_flush_failed").Str("error", s.message()).Int("entries", static_cast<int64_t>(queued()));
}

bool AuditTrail::Record(AuditEntry entry) {
  if (!options_.enabled) return true;
  if (entry.time_ms == 0) entry.time_ms = clock_.NowMillis();
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() + in_flight_ >= options_.queue_capacity) {
      dropped_.fetch_add(1);
      TheAuditMetrics().dropped.Add(1);
      return false;
    }
    queue_.push_back(std::move(entry));
    wake = queue_.size() == options_.batch;
  }
  if (wake) wake_.notify_one();
  return true;
}

Status AuditTrail::RecordNow(AuditEntry entry) {
  if (!options_.enabled) return Status::Ok();
  if (entry.time_ms == 0) entry.time_ms = clock_.NowMillis();
  AIH_RETURN_IF_ERROR(log_.Append({entry}));
  TheAuditMetrics().appended.Add(1);
  return Status::Ok();
}

size_t AuditTrail::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size() + in_flight_;
}

// Takes up to a batch from the queue and appends it (the lock released meanwhile); on failure the
// batch goes back to the front of the queue, to be retried.
Status AuditTrail::WriteQueued(std::unique_lock<std::mutex>& lock) {
  while (!queue_.empty()) {
    std::vector<AuditEntry> batch;
    const size_t n = std::min(queue_.size(), options_.batch);
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    in_flight_ = batch.size();
    lock.unlock();
    Status s = log_.Append(batch);
    lock.lock();
    in_flight_ = 0;
    if (!s.ok()) {
      TheAuditMetrics().failed.Add(1);
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
      return s;
    }
    TheAuditMetrics().appended.Add(batch.size());
  }
  return Status::Ok();
}

Status AuditTrail::Flush() {
  std::lock_guard<std::mutex> writing(write_mu_);
  std::unique_lock<std::mutex> lock(mu_);
  return WriteQueued(lock);
}

Result<int64_t> AuditTrail::Sweep() {
  if (options_.retention_days <= 0) return int64_t{0};
  const int64_t now = clock_.NowMillis();
  const int64_t before = now - options_.retention_days * kMillisPerDay;
  int64_t removed = 0;
  for (;;) {
    auto n = log_.Expire(before, options_.sweep_batch);
    if (!n.ok()) return n.status();
    removed += *n;
    if (*n < options_.sweep_batch) break;
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) break;
  }
  if (removed > 0) {
    TheAuditMetrics().expired.Add(static_cast<uint64_t>(removed));
    AuditEntry e;
    e.time_ms = now;
    e.actor_kind = AuditActor::kSystem;
    e.actor_id = "audit-retention";
    e.action = "auditLog.retention";
    e.target = "auditLog";
    e.count = removed;
    e.details = "{\"retentionDays\":" + std::to_string(options_.retention_days) + ",\"removed\":" +
                std::to_string(removed) + "}";
    AIH_RETURN_IF_ERROR(log_.Append({e}));
  }
  return removed;
}

void AuditTrail::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.flush_interval_ms),
                   [this] { return stop_ || queue_.size() >= options_.batch; });
    if (stop_) break;
    lock.unlock();
    Status written = Flush();
    if (!written.ok()) log::Warn("audit_append_failed").Str("error", written.message()).Int("queued", static_cast<int64_t>(queued()));
    if (clock_.NowMillis() >= next_sweep_ms_) {
      next_sweep_ms_ = clock_.NowMillis() + options_.sweep_interval_ms;
      auto swept = Sweep();
      if (!swept.ok()) {
        log::Warn("audit_retention_failed").Str("error", swept.status().message());
      } else if (*swept > 0) {
        log::Info("audit_retention").Int("removed", *swept).Int("retention_days", options_.retention_days);
      }
    }
    lock.lock();
  }
}

}  // namespace aih::store
