// Database: one PostgreSQL database as the engine's components share it.
//
// Interaction writes go through the WriteQueue (group commit on its own connections); everything
// else borrows a pooled connection, either for statements that are each their own transaction
// (Run) or for one explicit transaction (Transaction). The per-concept stores hold a reference to
// it and never open connections of their own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "store/postgres/connection_pool.h"
#include "store/postgres/write_queue.h"
#include "store/storage_condition.h"

namespace aih::store::postgres {

struct Options {
  int pool_size = 16;  // connections for reads and non-grouped writes, per server
  int writers = 2;     // group-commit writer connections, per server
  std::chrono::milliseconds pool_wait{5000};  // longest wait for a free connection before kUnavailable
  bool create = true;  // false: a database without the aihistory schema is kNotFound, left untouched
  size_t statement_cache_size = StatementCacheLimits::kDefaultCapacity;  // prepared statements per connection
};

class Database {
 public:
  // Connects to `url`, migrates the schema (under the advisory lock), and starts the writers.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, const Options& options);

  using Work = std::function<Status(Connection&)>;

  // Runs `job` in the next group-commit transaction (write_queue.h: it may run more than once).
  // `log_tenants`: the tenants whose verifiable logs it appends to (their turns are the group's);
  // `undo`: sql/group_commit.h. Its outcome also tells storage() whether the disk is full.
  Status Write(WriteQueue::Job job, std::vector<std::string> log_tenants = {}, sql::Undo undo = sql::Undo::kAlone) {
    return storage_.Observe(writer_.Submit(std::move(job), std::move(log_tenants), undo));
  }

  // Runs `work` on a pooled connection, each statement its own transaction. `work` must be safe to
  // run twice: when the pooled connection turns out dead, it runs again once on a fresh connection.
  Status Run(const Work& work);

  // Runs `work` inside BEGIN ... COMMIT on a pooled connection; run again (a few times) after a
  // deadlock or serialization failure, so it must reset its outputs.
  Status Transaction(const Work& work);

  // Whether the database server's disk is full: every failure for it counts; Write's successes
  // clear it (Run and Transaction also read, which proves nothing about space).
  StorageCondition& storage() { return storage_; }

  // Prepared statements evicted from the connections' caches (statement_cache.h), ever.
  uint64_t statement_evictions() const { return statement_stats_->evictions.load(std::memory_order_relaxed); }

 private:
  Status RunLeased(const Work& work);          // Run and Transaction themselves (those note a full disk)
  Status RunInTransaction(const Work& work);
  Database(const std::string& url, const Options& options)
      : statement_stats_(std::make_shared<StatementCacheStats>()),
        pool_(url, options.pool_size, options.pool_wait, {options.statement_cache_size, statement_stats_}),
        writer_(url, options.writers, {options.statement_cache_size, statement_stats_}) {}

  StorageCondition storage_;
  std::shared_ptr<StatementCacheStats> statement_stats_;
  ConnectionPool pool_;
  WriteQueue writer_;
};

}  // namespace aih::store::postgres
