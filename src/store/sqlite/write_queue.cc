#include "store/sqlite/write_queue.h"

#include <vector>

#include "store/commit_metrics.h"

namespace aih::store::sqlite {

WriteQueue::WriteQueue(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {
  DeclareCommitMetrics();
  thread_ = std::thread([this] { Run(); });
}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

Status WriteQueue::Submit(Job job) {
  std::future<Status> result;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::Unavailable("the store is shutting down; retry on another server");
    queue_.push_back(Pending{std::move(job), {}});
    result = queue_.back().done.get_future();
  }
  cv_.notify_one();
  return result.get();
}

void WriteQueue::Run() {
  std::vector<Pending> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      // Take everything waiting: they all share this transaction's fsync.
      while (!queue_.empty()) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Status> results(group.size());
    const auto began = std::chrono::steady_clock::now();
    Status begin = conn_->Exec("BEGIN IMMEDIATE");
    if (!begin.ok()) {
      for (auto& p : group) p.done.set_value(begin);
      group.clear();
      continue;
    }
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
    RecordCommit(group.size(), std::chrono::steady_clock::now() - began);
    if (!commit.ok()) {
      conn_->Exec("ROLLBACK");
      for (auto& r : results) {
        if (r.ok()) r = commit;
      }
    }
    for (size_t i = 0; i < group.size(); ++i) group[i].done.set_value(results[i]);
    group.clear();
  }
}

}  // namespace aih::store::sqlite
