// ConnectionPool: at most `max_size` connections to one PostgreSQL database, lent one at a time.
//
// Acquire() hands out an idle connection, opens a new one while under the limit, or waits for one
// to come back (kUnavailable after `wait`). A lease returns its connection when destroyed, unless
// the connection is broken or was left inside a transaction: then it is closed, and a broken one
// also retires every idle connection (after a server restart they are all dead), so the pool
// reconnects by itself on the next Acquire().
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/connection.h"

namespace aih::store::postgres {

class ConnectionPool {
 public:
  ConnectionPool(std::string url, int max_size, std::chrono::milliseconds wait, StatementCacheLimits statements = {})
      : url_(std::move(url)), max_size_(max_size), wait_(wait), statements_(std::move(statements)) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn, bool reused)
        : pool_(pool), conn_(std::move(conn)), reused_(reused) {}
    Lease(Lease&&) = default;
    ~Lease() { if (conn_) pool_->Return(std::move(conn_)); }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }
    // The connection had been idle in the pool (it may have died meanwhile), not freshly opened.
    bool reused() const { return reused_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
    bool reused_;
  };

  Result<Lease> Acquire();
  // Acquire(), then `first` on the connection, whose Status goes to `result`. A pooled connection
  // that turns out dead (the server restarted while it was idle) is replaced once by a fresh one and
  // `first` runs again there, so a restart costs no failed request once the server is up.
  Result<Lease> AcquireAndRun(const std::function<Status(Connection&)>& first, Status* result);
  // AcquireAndRun with BEGIN; a BEGIN that fails is the error.
  Result<Lease> AcquireAndBegin();

 private:
  void Return(std::unique_ptr<Connection> conn);

  const std::string url_;
  const int max_size_;
  const std::chrono::milliseconds wait_;
  const StatementCacheLimits statements_;  // of each connection
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle + lent + being opened
};

}  // namespace aih::store::postgres
