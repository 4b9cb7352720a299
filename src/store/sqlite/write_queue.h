// WriteQueue: every write to the SQLite database goes through one thread, with group commit.
//
// Callers Submit() a job (a function that writes through the connection) and block until the
// transaction that contains it is committed and fsynced. The writer thread takes every job waiting
// at that moment, runs them (sql/group_commit.h: a job that may fail alone in a SAVEPOINT of its own,
// so that it is rolled back alone), then commits them all at once: many concurrent requests share one
// fsync. One writer also means SQLite never answers SQLITE_BUSY to a writer of ours.
#pragma once

#include <memory>
#include <vector>

#include "base/status.h"
#include "store/sql/group_commit.h"
#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

class WriteQueue {
 public:
  using Job = sql::GroupCommit<Connection>::Job;

  explicit WriteQueue(std::unique_ptr<Connection> conn);
  ~WriteQueue() = default;  // finishes queued jobs, then stops

  // Runs `job` in the next group transaction; returns its Status once durable (or failed). It may
  // run twice (sql::Undo), so it must reset its outputs.
  Status Submit(Job job, sql::Undo undo = sql::Undo::kAlone) { return queue_.Submit(std::move(job), {}, undo); }

 private:
  void Commit(std::vector<sql::GroupCommit<Connection>::Pending>& group);

  std::unique_ptr<Connection> conn_;
  sql::GroupCommit<Connection> queue_;  // last: its thread writes through conn_
};

}  // namespace aih::store::sqlite
