#include "store/sql/sql_store.h"

#include "store/sql/secrets.h"

namespace aih::store::sql {

Result<std::string> SqlStore::Secret(const std::string& name, size_t bytes) { return sql::Secret(db_, name, bytes); }

Result<StoreHealth> SqlStore::Health() {
  auto version = SchemaVersion();
  if (!version.ok()) return version.status();
  return StoreHealth{*version, latest_schema_version_, storage().full()};
}

}  // namespace aih::store::sql
