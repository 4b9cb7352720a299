#include "store/postgres/connection_pool.h"

namespace aih::store::postgres {

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    bool free = cv_.wait_for(lock, wait_, [this] { return !idle_.empty() || open_ < max_size_; });
    if (!free) {
      return Status::Unavailable("all " + std::to_string(max_size_) +
                                 " PostgreSQL connections of this server are busy; retry later");
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn), /*reused=*/true);
    }
    ++open_;  // reserve the slot, then connect without holding the lock
  }
  auto conn = Connection::Open(url_, statements_);
  if (!conn.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(*conn), /*reused=*/false);
}

Result<ConnectionPool::Lease> ConnectionPool::AcquireAndRun(const std::function<Status(Connection&)>& first,
                                                           Status* result) {
  for (int attempt = 1;; ++attempt) {
    auto lease = Acquire();
    if (!lease.ok()) return lease.status();
    *result = first(**lease);
    if (result->ok() || !(lease->reused() && (*lease)->broken()) || attempt == 2) return lease;
  }
}

Result<ConnectionPool::Lease> ConnectionPool::AcquireAndBegin() {
  Status begin;
  auto lease = AcquireAndRun([](Connection& c) { return c.Exec("BEGIN"); }, &begin);
  if (!lease.ok()) return lease.status();
  if (!begin.ok()) return begin;
  return lease;
}

void ConnectionPool::Return(std::unique_ptr<Connection> conn) {
  std::vector<std::unique_ptr<Connection>> retired;  // closed outside the lock
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (conn->broken() || conn->in_transaction()) {
      if (conn->broken()) {
        // The server went away: the idle connections went with it.
        open_ -= static_cast<int>(idle_.size());
        retired.swap(idle_);
      }
      retired.push_back(std::move(conn));
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_all();
}

}  // namespace aih::store::postgres
