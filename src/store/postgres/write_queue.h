// WriteQueue: the writes of one server to PostgreSQL, with group commit.
//
// Callers Submit() a job (a function that writes through the connection) and block until the
// transaction containing it has committed (synchronous_commit on: flushed to the WAL on disk). Each
// writer thread takes every job waiting at that moment and runs them in one transaction, a job that
// may fail alone in its own SAVEPOINT so that it is rolled back alone (sql/group_commit.h: an
// interaction write has none, which also keeps a large group under PostgreSQL's 64 cached
// subtransactions): many requests share one commit. When
// a job hits a deadlock or a serialization failure (other servers, or a deletion, want the same rows
// or log turn), the whole group goes back and runs again, holding nothing while the other finishes;
// so a job must be safe to run more than once (reset its outputs).
// A lost connection fails the whole group with kUnavailable; the next group reconnects. The turns of
// the logs the group's jobs append to are taken first, all at once and sorted (sql/group_commit.h).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "store/postgres/connection_pool.h"
#include "store/sql/group_commit.h"

namespace aih::store::postgres {

class WriteQueue {
 public:
  using Job = sql::GroupCommit<Connection>::Job;

  // `writers` threads, each with its own connection: one group builds while another commits.
  WriteQueue(std::string url, int writers, StatementCacheLimits statements = {});
  ~WriteQueue() = default;  // finishes queued jobs, then stops

  // Runs `job` in the next group transaction; returns its Status once committed (or failed).
  // `log_tenants`: the tenants whose verifiable logs `job` appends to; `undo`: sql/group_commit.h.
  Status Submit(Job job, std::vector<std::string> log_tenants = {}, sql::Undo undo = sql::Undo::kAlone) {
    return queue_.Submit(std::move(job), std::move(log_tenants), undo);
  }

 private:
  using Pending = sql::GroupCommit<Connection>::Pending;
  void Commit(std::vector<Pending>& group);
  // Runs the group's jobs in the open transaction (sql::RunJobs), after taking the turns of the logs
  // they append to. kStopped with the connection whole: a deadlock or a serialization failure ended a
  // step, and the whole transaction must go back and run again; kRunApart: sql::RunJobs.
  sql::JobsEnd RunGroup(Connection& c, std::vector<Pending>& group, std::vector<Status>& results, bool apart);

  ConnectionPool pool_;
  sql::GroupCommit<Connection> queue_;  // last: its threads write through pool_
};

}  // namespace aih::store::postgres
