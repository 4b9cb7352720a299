// Database: one SQLite database file as the engine's components share it.
//
// Every write goes through the single WriteQueue (group commit); every read borrows a pooled
// read-only connection. The per-concept stores (interactions, change feed, directory, ...) hold a
// reference to it and never open connections of their own (but for ReadAhead's one connection that
// only asks PRAGMA data_version: its values are comparable only on one connection).
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/read_pool.h"
#include "store/sqlite/write_queue.h"
#include "store/storage_condition.h"

namespace aih::store::sqlite {

struct Database {
  // Opens `path`, creating the file, migrating the schema, and starting the writer. Each connection
  // keeps at most `statement_cache_size` prepared statements (statement_cache.h).
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                size_t statement_cache_size = StatementCacheLimits::kDefaultCapacity);

  Database(std::string p, std::unique_ptr<WriteQueue> w, StatementCacheLimits statements)
      : path(p), writer(std::move(w)), readers(std::move(p), statements), statement_stats(statements.stats) {}

  // Every write's outcome also tells `storage` whether the disk is full.
  Status Write(WriteQueue::Job job) { return storage.Observe(writer->Submit(std::move(job))); }
  Result<ReadPool::Lease> Read() { return readers.Acquire(); }

  std::string path;
  std::unique_ptr<WriteQueue> writer;
  ReadPool readers;
  std::shared_ptr<StatementCacheStats> statement_stats;  // of every connection above
  StorageCondition storage;
};

}  // namespace aih::store::sqlite
