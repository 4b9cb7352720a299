#include "store/postgres/postgres_store.h"

#include <openssl/rand.h>

#include "store/postgres/schema.h"

namespace aih::store::postgres {

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url, const Options& options) {
  auto db = Database::Open(url, options);
  if (!db.ok()) return db.status();
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(*db)));
}

Result<std::string> PostgresStore::Secret(const std::string& name, size_t bytes) {
  std::string fresh(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(fresh.data()), static_cast<int>(bytes)) != 1) {
    return Status::Internal("the system random generator failed");
  }
  std::string value;
  // Insert-if-absent, then read what won: servers racing for a new secret all agree on one.
  Status s = db_->Run([&](Connection& c) {
    Params p;
    p.Text(std::string_view(name)).Bytes(fresh);
    auto insert = c.Query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", p);
    if (!insert.ok()) return insert.status();
    Params key;
    key.Text(std::string_view(name));
    auto rows = c.Query("SELECT value FROM secrets WHERE name = $1", key);
    if (!rows.ok()) return rows.status();
    if (rows->size() != 1) return Status::Internal("the secret '" + name + "' vanished after being stored");
    value = rows->Text(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return value;
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

Result<StoreHealth> PostgresStore::Health() {
  auto version = SchemaVersion();
  if (!version.ok()) return version.status();
  return StoreHealth{*version, LatestSchemaVersion(), storage().full()};
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
