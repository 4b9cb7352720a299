// PostgresStore: the shared engine, one PostgreSQL database that several `aihistory serve` processes
// open at once (docs/scale-out.md). Nothing is cached in the process: any server answers any request.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/database.h"
#include "store/postgres/postgres_change_feed.h"
#include "store/postgres/postgres_interactions.h"
#include "store/postgres/postgres_outbox.h"
#include "store/postgres/session.h"
#include "store/sql/sql_directory.h"
#include "store/sql/sql_signing_keys.h"
#include "store/sql/sql_subscriptions.h"
#include "store/store.h"

namespace aih::store::postgres {

class PostgresStore final : public Store {
 public:
  // Connects to `url` (postgresql://user:password@host:port/database?options) and migrates it.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url, const Options& options = {});

  InteractionStore& interactions() override { return interactions_; }
  ChangeFeed& changes() override { return changes_; }
  DirectoryStore& directory() override { return directory_; }
  SigningKeyStore& signing_keys() override { return signing_keys_; }
  SubscriptionStore& subscriptions() override { return subscriptions_; }
  Result<std::string> Secret(const std::string& name, size_t bytes) override;
  Result<int> SchemaVersion() override;
  StorageCondition& storage() override { return db_->storage(); }
  uint64_t statement_cache_evictions() const override { return db_->statement_evictions(); }
  Result<StoreHealth> Health() override;
  Result<int64_t> SizeBytes() override;

  Database& database() { return *db_; }

 private:
  explicit PostgresStore(std::unique_ptr<Database> db)
      : db_(std::move(db)), sql_(*db_), interactions_(*db_), changes_(*db_), directory_(sql_), signing_keys_(sql_),
        outbox_(*db_), subscriptions_(sql_, outbox_) {}

  std::unique_ptr<Database> db_;
  PostgresSql sql_;  // the engine under the stores written once
  PostgresInteractions interactions_;
  PostgresChangeFeed changes_;
  sql::SqlDirectory directory_;
  sql::SqlSigningKeys signing_keys_;
  PostgresOutbox outbox_;
  sql::SqlSubscriptions subscriptions_;
};

}  // namespace aih::store::postgres
