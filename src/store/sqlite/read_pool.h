// ReadPool: read-only connections to the SQLite database, lent one per query.
//
// WAL mode lets any number of readers run beside the single writer; each connection keeps its own
// prepared-statement cache, so connections are pooled rather than opened per request.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

class ReadPool {
 public:
  ReadPool(std::string path, StatementCacheLimits statements, std::string vfs)
      : path_(std::move(path)), statements_(std::move(statements)), vfs_(std::move(vfs)) {}

  // A connection returned to the pool when the lease is destroyed.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease() { if (conn_) pool_->Return(std::move(conn_)); }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ReadPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<Connection> conn);

  std::string path_;
  const StatementCacheLimits statements_;  // of each connection
  const std::string vfs_;                   // Connection::Open's
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace aih::store::sqlite
