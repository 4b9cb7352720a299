// SqliteStore: the embedded engine, one SQLite database file (`aihistory.db`) in a data directory.
#pragma once

#include <memory>
#include <string>

#include "store/sql/engine_store.h"
#include "store/sqlite/database.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/session.h"
#include "store/sqlite/sqlite_interactions.h"

namespace aih::store::sqlite {

class SqliteStore final : public sql::EngineStore<Database, SqliteSql, SqliteInteractions> {
 public:
  // Opens `<directory>/aihistory.db`, creating the directory and the database when absent (unless
  // `create` is false: then a missing database is kNotFound naming the directory), and migrates it.
  // A present file that is not a sound store of ours is refused (store_check.h).
  // Its connections reach the files through `env`'s VFS (env_vfs.h).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& directory, bool create = true,
                                                   size_t statement_cache_size = StatementCacheLimits::kDefaultCapacity,
                                                   Env& env = Env::Default());

  Result<int> SchemaVersion() override;
  StorageCondition& storage() override { return db_->storage; }
  uint64_t statement_cache_evictions() const override {
    return db_->statement_stats->evictions.load(std::memory_order_relaxed);
  }
  Result<int64_t> SizeBytes() override;
  Result<int64_t> ReclaimSpace(int64_t max_pages) override;

 private:
  explicit SqliteStore(std::unique_ptr<Database> db)
      : EngineStore(std::move(db), kChangeClaim, LatestSchemaVersion()) {}
};

// The bytes the store in `directory` takes on disk: its database file and write-ahead log (which a
// clean close has emptied into the file). Also of a closed store.
Result<int64_t> StoreFileBytes(const std::string& directory);

}  // namespace aih::store::sqlite
