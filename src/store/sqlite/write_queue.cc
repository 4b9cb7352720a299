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
    if (Status begin = conn_->Exec("BEGIN IMMEDIATE"); !begin.ok()) return sql::FailAll(group, begin);
    std::fill(results.begin(), results.end(), Status::Ok());
    end = sql::RunJobs(
        *conn_, group, results, [this](const std::string& sql) { return conn_->Exec(sql); },
        [](const Status&) { return false; }, apart);
    if (end != sql::JobsEnd::kCommit) (void)conn_->Exec("ROLLBACK");  // fails harmlessly when SQLite ended it
  }
  if (end != sql::JobsEnd::kCommit) return sql::Settle(group, results);
  const Status commit = conn_->Exec("COMMIT");
  if (!commit.ok()) conn_->Exec("ROLLBACK");
  sql::Settle(group, results, commit);
}

}  // namespace aih::store::sqlite
