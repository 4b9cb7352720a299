#include <string>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace aih::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, OpenMode mode) {
  const bool create = mode == OpenMode::kCreate;
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
    postgres::Options options;
    options.create = create;
    auto store = postgres::PostgresStore::Open(location, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }
  std::string directory = location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
  if (directory.empty()) return Status::BadRequest("--store needs a data directory or a postgresql:// URL");
  auto store = sqlite::SqliteStore::Open(directory, create);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace aih::store
