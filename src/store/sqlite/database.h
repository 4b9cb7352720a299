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

namespace aih::store::sqlite {

struct Database {
  // Opens `path`, creating the file, migrating the schema, and starting the writer.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);

  Database(std::string p, std::unique_ptr<WriteQueue> w) : path(p), writer(std::move(w)), readers(std::move(p)) {}

  Status Write(WriteQueue::Job job) { return writer->Submit(std::move(job)); }
  Result<ReadPool::Lease> Read() { return readers.Acquire(); }

  std::string path;
  std::unique_ptr<WriteQueue> writer;
  ReadPool readers;
};

}  // namespace aih::store::sqlite
