// Database: one SQLite database file as the engine's components share it.
//
// Every write goes through the single WriteQueue (group commit); every read borrows a pooled
// read-only connection. The per-concept stores (interactions, change feed, directory, ...) hold a
// reference to it and never open connections of their own (but for ReadAhead's one connection that
// only asks PRAGMA data_version: its values are comparable only on one connection).
#pragma once

#include <memory>
#include <string>

#include "base/env.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/write_queue.h"
#include "store/storage_condition.h"

namespace aih::store::sqlite {

struct Database {
  // Opens `path`, creating the file, migrating the schema, and starting the writer. Each connection
  // keeps at most `statement_cache_size` prepared statements (statement_cache.h); every connection
  // reaches the files through `env`'s VFS (env_vfs.h).
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                size_t statement_cache_size = StatementCacheLimits::kDefaultCapacity,
                                                Env& env = Env::Default());

  Database(std::string p, std::unique_ptr<WriteQueue> w, StatementCacheLimits statements, std::string v)
      : path(p), vfs(v), writer(std::move(w)), readers(std::move(p), statements, std::move(v)),
        statement_stats(statements.stats) {}

  // Every write's outcome also tells `storage` whether the disk is full. A write that changed no
  // row proves nothing about space (SQLite commits an empty transaction on a full disk): the
  // notification worker's idle claims must not end a full-disk episode. `undo`: sql/group_commit.h.
  Status Write(WriteQueue::Job job, sql::Undo undo = sql::Undo::kAlone) {
    bool changed = false;
    Status outcome = writer->Submit([&job, &changed](Connection& c) {
      const int64_t before = c.TotalChanges();
      Status s = job(c);
      changed = c.TotalChanges() != before;
      return s;
    }, undo);
    return storage.Observe(std::move(outcome), changed);
  }
  Result<ReadPool::Lease> Read() { return readers.Acquire(); }

  std::string path;
  std::string vfs;  // Connection::Open's, for every connection to this database
  std::unique_ptr<WriteQueue> writer;
  ReadPool readers;
  std::shared_ptr<StatementCacheStats> statement_stats;  // of every connection above
  StorageCondition storage;
};

}  // namespace aih::store::sqlite
