#include "store/postgres/write_queue.h"

#include <algorithm>
#include <chrono>

#include "store/postgres/session.h"
#include "store/sql/sql_log.h"

namespace aih::store::postgres {

WriteQueue::WriteQueue(std::string url, int writers, StatementCacheLimits statements)
    : pool_(std::move(url), writers, std::chrono::seconds(30), std::move(statements)),
      queue_(writers, [this](auto& group) { Commit(group); }) {}

bool WriteQueue::RunGroup(Connection& c, std::vector<Pending>& group, std::vector<Status>& results) {
  // Before any job: the turns of every log the group appends to, sorted (no job then waits for a
  // turn while holding another that a second group, holding the first, waits for).
  const auto log_tenants = sql::GroupCommit<Connection>::LogTenantsOf(group);
  if (!log_tenants.empty()) {
    Status turns = OnConnection(c, [&](sql::Session& s) { return sql::LockLogs(s, log_tenants); });
    if (!turns.ok()) {
      std::fill(results.begin(), results.end(), turns);
      return !c.broken() && IsRetryable(c.last_sqlstate());
    }
  }
  const bool savepoints = group.size() > 1;
  for (size_t i = 0; i < group.size(); ++i) {
    if (savepoints) {
      if (Status s = c.Exec("SAVEPOINT job"); !s.ok()) {
        std::fill(results.begin(), results.end(), s);
        return false;
      }
    }
    results[i] = group[i].job(c);
    if (c.broken()) return false;
    if (results[i].ok()) {
      if (savepoints) results[i] = c.Exec("RELEASE SAVEPOINT job");
      continue;
    }
    // A deadlock or serialization failure: this transaction holds what another waits for (the log's
    // turn, rows), and running the job again while holding it would meet the same wait, which
    // PostgreSQL would end on our side again. Everything goes back, so the other finishes first.
    if (IsRetryable(c.last_sqlstate())) return true;
    if (!savepoints) return false;
    if (Status undo = c.Exec("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job"); !undo.ok()) {  // this job alone
      std::fill(results.begin(), results.end(), undo);
      return false;
    }
  }
  return false;
}

void WriteQueue::Commit(std::vector<Pending>& group) {
  auto fail_all = [&](const Status& s) {
    for (auto& p : group) p.done.set_value(s);
  };
  auto lease = pool_.AcquireAndBegin();
  if (!lease.ok()) return fail_all(lease.status());

  Connection& c = **lease;
  std::vector<Status> results(group.size());
  for (int attempt = 1;; ++attempt) {
    const bool again = RunGroup(c, group, results);
    const auto failed = std::find_if(results.begin(), results.end(), [](const Status& r) { return !r.ok(); });
    const Status why = failed != results.end() ? *failed : Status::Unavailable("the group's transaction failed");
    if (c.broken()) {
      return fail_all(Status::Unavailable("lost the PostgreSQL connection before commit; nothing of this write was "
                                          "stored: retry (" + why.message() + ")"));
    }
    if (!again) break;
    if (attempt == kRetryableAttempts) {
      c.Exec("ROLLBACK");
      return fail_all(why);
    }
    if (Status restart = c.Exec("ROLLBACK; BEGIN"); !restart.ok()) return fail_all(restart);
    std::fill(results.begin(), results.end(), Status::Ok());
  }
  if (group.size() == 1 && !results[0].ok()) {  // a job alone: its transaction is the job's
    if (c.in_transaction()) c.Exec("ROLLBACK");
    return fail_all(results[0]);
  }
  Status commit = c.Exec("COMMIT");
  if (!commit.ok()) {
    if (c.broken()) {
      commit = Status::Unavailable("lost the PostgreSQL connection during commit, so the write may or may not be "
                                   "stored: retry it (writes are idempotent) (" + commit.message() + ")");
    } else if (c.in_transaction()) {
      c.Exec("ROLLBACK");
    }
    for (auto& r : results) {
      if (r.ok()) r = commit;
    }
  }
  for (size_t i = 0; i < group.size(); ++i) group[i].done.set_value(results[i]);
}

}  // namespace aih::store::postgres
