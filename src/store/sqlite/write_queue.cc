#include "store/sqlite/write_queue.h"

#include <algorithm>

namespace aih::store::sqlite {

WriteQueue::WriteQueue(std::unique_ptr<Connection> conn)
    : conn_(std::move(conn)), queue_(/*writers=*/1, [this](auto& group) { Commit(group); }) {
  DeclareCommitMetrics();
}

void WriteQueue::Commit(std::vector<sql::GroupCommit<Connection>::Pending>& group) {
  std::vector<Status> results(group.size());
  sql::JobsEnd end = sql::JobsEnd::kRunApart;
  // At most twice: run apart, every job has a savepoint, and none can send the group back again.
  for (bool apart = false; end == sql::JobsEnd::kRunApart; apart = true) {
    Status begin = conn_->Exec("BEGIN IMMEDIATE");
    if (!begin.ok()) {
      for (auto& p : group) p.done.set_value(begin);
      return;
    }
    std::fill(results.begin(), results.end(), Status::Ok());
    end = sql::RunJobs(
        *conn_, group, results, [this](const std::string& sql) { return conn_->Exec(sql); },
        [](const Status&) { return false; }, apart);
    if (end != sql::JobsEnd::kCommit) (void)conn_->Exec("ROLLBACK");  // fails harmlessly when SQLite ended it
  }
  if (end != sql::JobsEnd::kCommit) {
    for (size_t i = 0; i < group.size(); ++i) group[i].done.set_value(results[i]);
    return;
  }
  Status commit = conn_->Exec("COMMIT");
  if (!commit.ok()) {
    conn_->Exec("ROLLBACK");
    for (auto& r : results) {
      if (r.ok()) r = commit;
    }
  }
  for (size_t i = 0; i < group.size(); ++i) group[i].done.set_value(results[i]);
}

}  // namespace aih::store::sqlite
