#include <string>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store/store_location.h"

namespace aih::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const StoreOptions& options) {
  if (options.statement_cache_size == 0) return Status::BadRequest("the statement cache size must be at least 1");
  const StoreLocation at = StoreLocation::Parse(location);
  if (at.postgres) {
    postgres::Options engine;
    engine.create = options.mode == OpenMode::kCreate;
    engine.statement_cache_size = options.statement_cache_size;
    auto store = postgres::PostgresStore::Open(at.url, engine);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }
  if (at.directory.empty()) return Status::BadRequest("--store needs a data directory or a postgresql:// URL");
  auto store = sqlite::SqliteStore::Open(at.directory, options.mode == OpenMode::kCreate, options.statement_cache_size,
                                         *options.env);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace aih::store
