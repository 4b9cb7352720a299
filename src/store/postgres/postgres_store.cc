#include "store/postgres/postgres_store.h"

#include "store/postgres/schema.h"

namespace aih::store::postgres {

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url, const Options& options) {
  auto db = Database::Open(url, options);
  if (!db.ok()) return db.status();
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(*db)));
  AIH_RETURN_IF_ERROR(store->Ready());
  return store;
}

Result<int> PostgresStore::SchemaVersion() {
  int version = 0;
  Status s = db_->Run([&](Connection& c) {
    auto v = CurrentSchemaVersion(c);
    if (!v.ok()) return v.status();
    version = *v;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return version;
}

Result<int64_t> PostgresStore::SizeBytes() {
  int64_t size = 0;
  Status s = db_->Run([&](Connection& c) {
    auto rows = c.Query("SELECT pg_database_size(current_database())::int8");
    if (!rows.ok()) return rows.status();
    size = rows->Int(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return size;
}

}  // namespace aih::store::postgres
