#include "store/sqlite/write_queue.h"

namespace aih::store::sqlite {

WriteQueue::WriteQueue(std::unique_ptr<Connection> conn)
    : conn_(std::move(conn)), queue_(/*writers=*/1, [this](auto& group) { Commit(group); }) {
  DeclareCommitMetrics();
}

void WriteQueue::Commit(std::vector<sql::GroupCommit<Connection>::Pending>& group) {
  Status begin = conn_->Exec("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (auto& p : group) p.done.set_value(begin);
    return;
  }
  std::vector<Status> results(group.size());
  const sql::JobsEnd end = sql::RunJobs(
      *conn_, group, results, [this](const std::string& sql) { return conn_->Exec(sql); },
      [](const Status&) { return false; });
  if (end != sql::JobsEnd::kCommit) {
    (void)conn_->Exec("ROLLBACK");  // fails harmlessly when SQLite ended the transaction itself
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
