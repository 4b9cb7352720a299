// PostgresStore: the shared engine, one PostgreSQL database that several `aihistory serve` processes
// open at once (docs/scale-out.md). Nothing is cached in the process: any server answers any request.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/database.h"
#include "store/postgres/postgres_interactions.h"
#include "store/postgres/schema.h"
#include "store/postgres/session.h"
#include "store/sql/sql_store.h"

namespace aih::store::postgres {

class PostgresStore final : public sql::SqlStore {
 public:
  // Connects to `url` (postgresql://user:password@host:port/database?options) and migrates it.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url, const Options& options = {});

  InteractionStore& interactions() override { return interactions_; }
  Result<int> SchemaVersion() override;
  StorageCondition& storage() override { return db_->storage(); }
  uint64_t statement_cache_evictions() const override { return db_->statement_evictions(); }
  Result<int64_t> SizeBytes() override;

  Database& database() { return *db_; }

 private:
  explicit PostgresStore(std::unique_ptr<Database> db)
      : SqlStore(sql_, kChangeClaim, LatestSchemaVersion()), db_(std::move(db)), sql_(*db_), interactions_(*db_) {}

  std::unique_ptr<Database> db_;
  PostgresSql sql_;  // the engine under the stores written once
  PostgresInteractions interactions_;
};

}  // namespace aih::store::postgres
