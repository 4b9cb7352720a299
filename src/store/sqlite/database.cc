#include "store/sqlite/database.h"

#include "store/sqlite/env_vfs.h"
#include "store/sqlite/schema.h"

namespace aih::store::sqlite {

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, size_t statement_cache_size, Env& env) {
  const StatementCacheLimits statements{statement_cache_size, std::make_shared<StatementCacheStats>()};
  auto vfs = VfsFor(env);
  if (!vfs.ok()) return vfs.status();
  auto conn = Connection::Open(path, /*read_only=*/false, statements, *vfs);
  if (!conn.ok()) return conn.status();
  AIH_RETURN_IF_ERROR(Migrate(**conn));
  return std::make_unique<Database>(path, std::make_unique<WriteQueue>(std::move(*conn)), statements, *vfs);
}

}  // namespace aih::store::sqlite
