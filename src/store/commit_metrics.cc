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

}  // namespace aih::store
