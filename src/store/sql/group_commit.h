// GroupCommit: the queue under both engines' write queues (sqlite/write_queue.h,
// postgres/write_queue.h). Callers Submit() a job and block until the transaction that contains it
// has committed (or failed); each of `writers` threads takes every job waiting at that moment and
// hands the group to the engine's `commit`, which runs the jobs in one transaction and settles every
// job's promise. Many concurrent requests so share one commit (one fsync, one WAL flush).
//
// A job that may fail by itself (a conflict, a missing row) runs in a savepoint of its own, so that
// its failure undoes it alone (Undo::kAlone). The interaction write (Undo::kWithGroup), validated
// before it is queued, fails only when the database does, and runs without one: a savepoint per job
// made SQLite's full-text index write its pending terms at every job, and a group of one-item writes
// a third as fast (docs/benchmarks.md). Should such a job fail after all, the group goes back and runs
// again with every job in a savepoint of its own (RunJobs), so each job's result is what it would
// have been alone; no job's failure ever costs the others more than that second run.
//
// A job names the tenants whose verifiable logs it appends to (sql_log.h: a tenant's turn is held
// until commit). The engine takes the turns of the whole group at once, in sorted order
// (LogTenantsOf), before running any job: jobs taking them one after another, in queue order, would
// let two groups (two servers, or two writers) holding one tenant each wait for each other forever.
//
// Threading: Submit() from any thread. The engine constructs its GroupCommit last (its threads
// start at once and use the engine's connections) and so destroys it first: the destructor lets the
// threads finish every queued job, then joins them. After that, Submit() is kUnavailable.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "store/commit_metrics.h"

namespace aih::store::sql {

// How a failing job of a group is undone.
enum class Undo {
  kAlone,      // it may fail by itself: it runs in a savepoint of its own, undone alone
  kWithGroup,  // it fails only when the database does: no savepoint, and its failure sends the
               // group back to run again with every job in one (RunJobs)
};

template <class Connection>
class GroupCommit {
 public:
  using Job = std::function<Status(Connection&)>;
  struct Pending {
    Job job;
    std::promise<Status> done;
    std::vector<std::string> log_tenants;  // whose logs `job` appends to
    Undo undo = Undo::kAlone;
  };
  // Runs `group` in one transaction and sets each Pending's `done`.
  using Commit = std::function<void(std::vector<Pending>& group)>;

  GroupCommit(int writers, Commit commit) : commit_(std::move(commit)) {
    for (int i = 0; i < writers; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~GroupCommit() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Every tenant whose log a job of `group` appends to, sorted, each once: the order in which the
  // engine takes their turns.
  static std::vector<std::string> LogTenantsOf(const std::vector<Pending>& group) {
    std::vector<std::string> tenants;
    for (const Pending& p : group) tenants.insert(tenants.end(), p.log_tenants.begin(), p.log_tenants.end());
    std::sort(tenants.begin(), tenants.end());
    tenants.erase(std::unique(tenants.begin(), tenants.end()), tenants.end());
    return tenants;
  }

  // Runs `job` in the next group transaction; returns its Status once committed (or failed). It may
  // run more than once, so it must reset its outputs. `log_tenants`: the tenants whose logs it
  // appends to (their turns are taken for the group).
  Status Submit(Job job, std::vector<std::string> log_tenants = {}, Undo undo = Undo::kAlone) {
    std::future<Status> result;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return Status::Unavailable("the store is shutting down; retry on another server");
      queue_.push_back(Pending{std::move(job), {}, std::move(log_tenants), undo});
      result = queue_.back().done.get_future();
    }
    cv_.notify_one();
    return result.get();
  }

 private:
  void Run() {
    std::vector<Pending> group;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        // Take everything waiting: they all share this transaction's commit.
        while (!queue_.empty()) {
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      const auto began = std::chrono::steady_clock::now();
      commit_(group);
      RecordCommit(group.size(), std::chrono::steady_clock::now() - began);
      group.clear();
    }
  }

  const Commit commit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;  // last: they start once everything above exists
};

// How running a group's jobs ended (RunJobs).
enum class JobsEnd {
  kCommit,    // the transaction holds exactly what the jobs that succeeded wrote: commit it
  kRollBack,  // it must go back: a savepoint or an undo failed (every result is then the failure
              // that caused it), or a job alone failed (its transaction is its own)
  kRunApart,  // a job without a savepoint failed (Undo::kWithGroup): roll back and run the group
              // again with `apart` set
  kStopped,   // `stop` ended the run after a job; the caller decides (run the group again, or fail it)
};

// Runs `group`'s jobs in order in the transaction open on `c`. When there are several, a job of
// Undo::kAlone, or every job when `apart` is set, runs in a savepoint of its own, so that its failure
// undoes it alone and is its result. `stop` is asked after each job with its result. `exec` runs a
// statement on `c`. Both engines' commits run their groups through this, so a failed undo is handled
// one way: the whole group fails, since what the transaction holds is then unknown.
template <class Connection, class Pending>
JobsEnd RunJobs(Connection& c, std::vector<Pending>& group, std::vector<Status>& results,
                const std::function<Status(const std::string&)>& exec, const std::function<bool(const Status&)>& stop,
                bool apart = false) {
  const bool several = group.size() > 1;
  for (size_t i = 0; i < group.size(); ++i) {
    const bool savepoint = several && (apart || group[i].undo == Undo::kAlone);
    if (savepoint) {
      if (Status s = exec("SAVEPOINT job"); !s.ok()) {
        std::fill(results.begin(), results.end(), s);
        return JobsEnd::kRollBack;
      }
    }
    results[i] = group[i].job(c);
    if (stop(results[i])) return JobsEnd::kStopped;
    if (!savepoint) {
      if (results[i].ok()) continue;
      return several ? JobsEnd::kRunApart : JobsEnd::kRollBack;
    }
    Status end = results[i].ok() ? exec("RELEASE SAVEPOINT job") : exec("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job");
    if (!end.ok()) {
      // The job's own failure, when it has one, is why its undo failed: it ended the transaction
      // (SQLite rolls the whole of it back on a full disk or an I/O error). Every job's work is gone.
      const Status why = results[i].ok() ? end : results[i];
      std::fill(results.begin(), results.end(), why);
      return JobsEnd::kRollBack;
    }
  }
  return JobsEnd::kCommit;
}

// Settles `group`: job i with results[i], except that after a COMMIT that failed (`commit`) every job
// that had succeeded gets that failure: nothing of the transaction was stored.
template <class Pending>
void Settle(std::vector<Pending>& group, const std::vector<Status>& results, const Status& commit = Status::Ok()) {
  for (size_t i = 0; i < group.size(); ++i) group[i].done.set_value(results[i].ok() ? commit : results[i]);
}

// Settles every job of `group` with `why`: the transaction never ran, or went back whole.
template <class Pending>
void FailAll(std::vector<Pending>& group, const Status& why) {
  for (Pending& p : group) p.done.set_value(why);
}

}  // namespace aih::store::sql
