// SqliteStore: the embedded engine, one SQLite database file (`aihistory.db`) in a data directory.
#pragma once

#include <memory>
#include <string>

#include "store/sql/sql_directory.h"
#include "store/sql/sql_signing_keys.h"
#include "store/sql/sql_subscriptions.h"
#include "store/sqlite/database.h"
#include "store/sqlite/session.h"
#include "store/sqlite/sqlite_change_feed.h"
#include "store/sqlite/sqlite_interactions.h"
#include "store/sqlite/sqlite_outbox.h"
#include "store/store.h"

namespace aih::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens `<directory>/aihistory.db`, creating the directory and the database when absent (unless
  // `create` is false: then a missing database is kNotFound naming the directory), and migrates it.
  // A present file that is not a sound store of ours is refused (store_check.h).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& directory, bool create = true,
                                                   size_t statement_cache_size = StatementCacheLimits::kDefaultCapacity);

  InteractionStore& interactions() override { return interactions_; }
  ChangeFeed& changes() override { return changes_; }
  DirectoryStore& directory() override { return directory_; }
  SigningKeyStore& signing_keys() override { return signing_keys_; }
  SubscriptionStore& subscriptions() override { return subscriptions_; }
  Result<std::string> Secret(const std::string& name, size_t bytes) override;
  Result<int> SchemaVersion() override;
  StorageCondition& storage() override { return db_->storage; }
  uint64_t statement_cache_evictions() const override {
    return db_->statement_stats->evictions.load(std::memory_order_relaxed);
  }
  Result<StoreHealth> Health() override;
  Result<int64_t> SizeBytes() override;

  Database& database() { return *db_; }

 private:
  explicit SqliteStore(std::unique_ptr<Database> db)
      : db_(std::move(db)), sql_(*db_), interactions_(*db_), changes_(*db_), directory_(sql_), signing_keys_(sql_),
        outbox_(*db_), subscriptions_(sql_, outbox_) {}

  std::unique_ptr<Database> db_;
  SqliteSql sql_;  // the engine under the stores written once
  SqliteInteractions interactions_;
  SqliteChangeFeed changes_;
  sql::SqlDirectory directory_;
  sql::SqlSigningKeys signing_keys_;
  SqliteOutbox outbox_;
  sql::SqlSubscriptions subscriptions_;
};

}  // namespace aih::store::sqlite
