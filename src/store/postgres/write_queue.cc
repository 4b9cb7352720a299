#include "store/postgres/write_queue.h"

#include <algorithm>
#include <chrono>

#include "store/postgres/session.h"
#include "store/sql/sql_log.h"

namespace aih::store::postgres {

WriteQueue::WriteQueue(std::string url, int writers, StatementCacheLimits statements)
    : pool_(std::move(url), writers, std::chrono::seconds(30), std::move(statements)),
      queue_(writers, [this](auto& group) { Commit(group); }) {}

sql::JobsEnd WriteQueue::RunGroup(Connection& c, std::vector<Pending>& group, std::vector<Status>& results,
                                  bool apart) {
  // Before any job: the turns of every log the group appends to, sorted (no job then waits for a
  // turn while holding another that a second group, holding the first, waits for).
  const auto log_tenants = sql::GroupCommit<Connection>::LogTenantsOf(group);
  if (!log_tenants.empty()) {
    Status turns = OnConnection(c, [&](sql::Session& s) { return sql::LockLogs(s, log_tenants); });
    if (!turns.ok()) {
      std::fill(results.begin(), results.end(), turns);
      return !c.broken() && IsRetryable(c.last_sqlstate()) ? sql::JobsEnd::kStopped : sql::JobsEnd::kRollBack;
    }
  }
  // A deadlock or serialization failure: this transaction holds what another waits for (the log's
  // turn, rows), and running the job again while holding it would meet the same wait, which
  // PostgreSQL would end on our side again. Everything goes back, so the other finishes first.
  return sql::RunJobs(
      c, group, results, [&](const std::string& sql) { return c.Exec(sql); },
      [&](const Status& result) { return c.broken() || (!result.ok() && IsRetryable(c.last_sqlstate())); }, apart);
}

void WriteQueue::Commit(std::vector<Pending>& group) {
  auto fail_all = [&](const Status& why) { sql::FailAll(group, why); };
  auto lease = pool_.AcquireAndBegin();
  if (!lease.ok()) return fail_all(lease.status());

  Connection& c = **lease;
  std::vector<Status> results(group.size());
  sql::JobsEnd end = sql::JobsEnd::kCommit;
  bool apart = false;
  for (int stopped = 0;;) {
    end = RunGroup(c, group, results, apart);
    const auto failed = std::find_if(results.begin(), results.end(), [](const Status& r) { return !r.ok(); });
    const Status why = failed != results.end() ? *failed : Status::Unavailable("the group's transaction failed");
    if (c.broken()) {
      return fail_all(Status::Unavailable("lost the PostgreSQL connection before commit; nothing of this write was "
                                          "stored: retry (" + why.message() + ")"));
    }
    if (end == sql::JobsEnd::kRunApart) {
      apart = true;  // once: run apart, every job has a savepoint, and none sends the group back again
    } else if (end != sql::JobsEnd::kStopped) {
      break;
    } else if (++stopped == kRetryableAttempts) {  // stopped, with the connection whole: run the group again
      c.Exec("ROLLBACK");
      return fail_all(why);
    }
    if (Status restart = c.Exec("ROLLBACK; BEGIN"); !restart.ok()) return fail_all(restart);
    std::fill(results.begin(), results.end(), Status::Ok());
  }
  if (end == sql::JobsEnd::kRollBack) {
    if (c.in_transaction()) c.Exec("ROLLBACK");
    return sql::Settle(group, results);
  }
  Status commit = c.Exec("COMMIT");
  if (!commit.ok() && c.broken()) {
    commit = Status::Unavailable("lost the PostgreSQL connection during commit, so the write may or may not be "
                                 "stored: retry it (writes are idempotent) (" + commit.message() + ")");
  } else if (!commit.ok() && c.in_transaction()) {
    c.Exec("ROLLBACK");
  }
  sql::Settle(group, results, commit);
}

}  // namespace aih::store::postgres
