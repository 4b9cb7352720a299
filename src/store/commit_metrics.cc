#include "store/commit_metrics.h"

#include "base/metrics.h"

namespace aih::store {

namespace {

struct CommitMetrics {
  metrics::Histogram& groups = metrics::Registry::Default().AddHistogram(
      "aihistory_commit_group_writes", "Writes (requests) that shared one group commit.", metrics::SizeBuckets());
  metrics::Histogram& durations = metrics::Registry::Default().AddHistogram(
      "aihistory_commit_duration_seconds",
      "Time of each group commit's transaction, from BEGIN to the return of COMMIT (durable).",
      metrics::LatencyBuckets());
  metrics::Histogram& combined = metrics::Registry::Default().AddHistogram(
      "aihistory_write_combined_requests",
      "Write requests combined into one interaction batch (1: written alone).", metrics::SizeBuckets());
};

CommitMetrics& TheCommitMetrics() {
  static CommitMetrics metrics;
  return metrics;
}

}  // namespace

void RecordCommit(size_t writes, std::chrono::steady_clock::duration took) {
  TheCommitMetrics().groups.Observe(static_cast<double>(writes));
  TheCommitMetrics().durations.Observe(std::chrono::duration<double>(took).count());
}

void DeclareCommitMetrics() { TheCommitMetrics(); }

void RecordCombinedWrites(size_t requests) { TheCommitMetrics().combined.Observe(static_cast<double>(requests)); }

uint64_t BatchesCombiningSeveralWrites() {
  const metrics::Histogram::Snapshot s = TheCommitMetrics().combined.snapshot();
  return s.count - s.cumulative.front();  // the first bucket holds the batches of one request
}

}  // namespace aih::store
