#include "store/postgres/write_queue.h"

#include <chrono>

#include "store/postgres/session.h"
#include "store/sql/sql_log.h"

namespace aih::store::postgres {
namespace {

constexpr int kAttempts = 4;  // a job that deadlocks this often fails with kUnavailable

}  // namespace

WriteQueue::WriteQueue(std::string url, int writers, StatementCacheLimits statements)
    : pool_(std::move(url), writers, std::chrono::seconds(30), std::move(statements)),
      queue_(writers, [this](auto& group) { Commit(group); }) {}

Status WriteQueue::RunJob(Connection& c, Pending& p, bool savepoint) {
  for (int attempt = 1;; ++attempt) {
    if (savepoint) AIH_RETURN_IF_ERROR(c.Exec("SAVEPOINT job"));
    Status s = p.job(c);
    if (s.ok()) return savepoint ? c.Exec("RELEASE SAVEPOINT job") : s;
    if (c.broken()) return s;
    const bool again = IsRetryable(c.last_sqlstate()) && attempt < kAttempts;
    // Undo the job alone (savepoint), or the whole one-job transaction.
    AIH_RETURN_IF_ERROR(savepoint ? c.Exec("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job")
                                  : c.Exec(again ? "ROLLBACK; BEGIN" : "ROLLBACK"));
    if (!again) return s;
  }
}

void WriteQueue::Commit(std::vector<Pending>& group) {
  auto fail_all = [&](const Status& s) {
    for (auto& p : group) p.done.set_value(s);
  };
  auto lease = pool_.AcquireAndBegin();
  if (!lease.ok()) return fail_all(lease.status());

  Connection& c = **lease;
  // Before any job: the turns of every log the group appends to, sorted (no job then waits for a
  // turn while holding another that a second group, holding the first, waits for).
  const auto log_tenants = sql::GroupCommit<Connection>::LogTenantsOf(group);
  if (!log_tenants.empty()) {
    Status turns;
    for (int attempt = 1;; ++attempt) {
      turns = OnConnection(c, [&](sql::Session& s) { return sql::LockLogs(s, log_tenants); });
      // A deadlock ended this wait (a deletion waiting for a turn while holding rows that the
      // turn's holder waits for: sql_deletion.cc): nothing is held yet, so wait again.
      if (turns.ok() || c.broken() || !IsRetryable(c.last_sqlstate()) || attempt == kAttempts) break;
      if (Status again = c.Exec("ROLLBACK; BEGIN"); !again.ok()) {
        turns = again;
        break;
      }
    }
    if (!turns.ok()) {
      if (!c.broken() && c.in_transaction()) c.Exec("ROLLBACK");
      return fail_all(turns);
    }
  }
  const bool savepoints = group.size() > 1;
  std::vector<Status> results(group.size());
  for (size_t i = 0; i < group.size(); ++i) {
    results[i] = RunJob(c, group[i], savepoints);
    if (c.broken()) {
      return fail_all(Status::Unavailable("lost the PostgreSQL connection before commit; nothing of this "
                                          "write was stored: retry (" + results[i].message() + ")"));
    }
    if (!savepoints && !results[i].ok()) {
      if (c.in_transaction()) c.Exec("ROLLBACK");
      group[i].done.set_value(results[i]);
      return;
    }
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
