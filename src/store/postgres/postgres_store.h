// PostgresStore: the shared engine, one PostgreSQL database that several `aihistory serve` processes
// open at once (docs/scale-out.md). Nothing is cached in the process: any server answers any request.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/database.h"
#include "store/postgres/postgres_change_feed.h"
#include "store/postgres/postgres_directory.h"
#include "store/postgres/postgres_interactions.h"
#include "store/postgres/postgres_signing_keys.h"
#include "store/postgres/postgres_subscriptions.h"
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
      : db_(std::move(db)), interactions_(*db_), changes_(*db_), directory_(*db_), signing_keys_(*db_),
        subscriptions_(*db_) {}

  std::unique_ptr<Database> db_;
  PostgresInteractions interactions_;
  PostgresChangeFeed changes_;
  PostgresDirectory directory_;
  PostgresSigningKeys signing_keys_;
  PostgresSubscriptions subscriptions_;
};

}  // namespace aih::store::postgres
