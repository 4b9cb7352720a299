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
  for (size_t i = 0; i < group.size(); ++i) {
    Status s = conn_->Exec("SAVEPOINT job");
    if (s.ok()) {
      s = group[i].job(*conn_);
      if (s.ok()) {
        s = conn_->Exec("RELEASE job");
      } else {
        conn_->Exec("ROLLBACK TO job");
        conn_->Exec("RELEASE job");
      }
    }
    results[i] = s;
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
