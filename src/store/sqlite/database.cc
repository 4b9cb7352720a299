#include "store/sqlite/database.h"

#include "store/sqlite/schema.h"

namespace aih::store::sqlite {

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, size_t statement_cache_size) {
  const StatementCacheLimits statements{statement_cache_size, std::make_shared<StatementCacheStats>()};
  auto conn = Connection::Open(path, /*read_only=*/false, statements);
  if (!conn.ok()) return conn.status();
  AIH_RETURN_IF_ERROR(Migrate(**conn));
  return std::make_unique<Database>(path, std::make_unique<WriteQueue>(std::move(*conn)), statements);
}

}  // namespace aih::store::sqlite
