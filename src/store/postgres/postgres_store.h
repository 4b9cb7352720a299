// PostgresStore: the shared engine, one PostgreSQL database that several `aihistory serve` processes
// open at once (docs/scale-out.md). Nothing is cached in the process: any server answers any request.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/database.h"
#include "store/postgres/postgres_interactions.h"
#include "store/postgres/schema.h"
#include "store/postgres/session.h"
#include "store/sql/engine_store.h"

namespace aih::store::postgres {

class PostgresStore final : public sql::EngineStore<Database, PostgresSql, PostgresInteractions> {
 public:
  // Connects to `url` (postgresql://user:password@host:port/database?options) and migrates it.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url, const Options& options = {});

  Result<int> SchemaVersion() override;
  StorageCondition& storage() override { return db_->storage(); }
  uint64_t statement_cache_evictions() const override { return db_->statement_evictions(); }
  Result<int64_t> SizeBytes() override;

 private:
  explicit PostgresStore(std::unique_ptr<Database> db)
      : EngineStore(std::move(db), kChangeClaim, LatestSchemaVersion()) {}
};

}  // namespace aih::store::postgres
