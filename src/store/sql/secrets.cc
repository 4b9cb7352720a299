#include "store/sql/secrets.h"

#include <openssl/rand.h>

#include <optional>

namespace aih::store::sql {

Result<std::string> Secret(Database& db, const std::string& name, size_t bytes) {
  std::string fresh(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(fresh.data()), static_cast<int>(bytes)) != 1) {
    return Status::Internal("the system random generator failed");
  }
  const Args insert{name, Blob{std::move(fresh)}};
  std::optional<std::string> value;
  Status s = db.Transaction([&](Session& c) {
    value.reset();
    AIH_RETURN_IF_ERROR(
        c.Query("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", insert));
    return c.Query("SELECT value FROM secrets WHERE name = $1", {name}, [&](const Row& row) { value = row.String(0); });
  });
  if (!s.ok()) return s;
  if (!value) return Status::Internal("the secret '" + name + "' vanished after being stored");
  return *value;
}

}  // namespace aih::store::sql
