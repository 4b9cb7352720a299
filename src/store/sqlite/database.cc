#include "store/sqlite/database.h"

#include <cstdio>
#include <filesystem>

#include "store/sqlite/schema.h"
#include "store/sqlite/store_check.h"

namespace aih::store::sqlite {
namespace {

// How long the check at every open may take: all of a store of a few GB (quick_check reads every
// page); a larger one is checked in part, and `aihistory check` checks it all.
constexpr std::chrono::seconds kOpenCheckBudget{5};

// An existing file is looked at read-only first: a file that is not our store is refused without a
// single byte of it changed (a read-write open would already switch it to WAL).
Status CheckExisting(const std::string& path) {
  auto conn = Connection::Open(path, /*read_only=*/true);
  if (!conn.ok()) return conn.status();
  AIH_RETURN_IF_ERROR(CheckSchemaIsOurs(**conn, path));
  const std::string directory = std::filesystem::path(path).parent_path().string();
  auto report = CheckIntegrity(**conn, /*full=*/false, kOpenCheckBudget);
  if (!report.ok()) return report.status().WithContext("checking " + path);
  if (!report->problems.empty()) {
    return Status::Internal(path + " is damaged (" + report->problems.front() +
                            "); it is not served. `aihistory check --store " + directory +
                            "` lists what is wrong; restore the store from a backup");
  }
  if (!report->complete) {
    std::fprintf(stderr,
                 "aihistory: the check of %s at start stopped after %lld s without finding damage; "
                 "`aihistory check --store %s` checks all of it\n",
                 path.c_str(), static_cast<long long>(kOpenCheckBudget.count()), directory.c_str());
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, size_t statement_cache_size) {
  AIH_RETURN_IF_ERROR(CheckStoreFile(path));
  if (std::filesystem::exists(path)) AIH_RETURN_IF_ERROR(CheckExisting(path));
  const StatementCacheLimits statements{statement_cache_size, std::make_shared<StatementCacheStats>()};
  auto conn = Connection::Open(path, /*read_only=*/false, statements);
  if (!conn.ok()) return conn.status();
  AIH_RETURN_IF_ERROR(Migrate(**conn));
  return std::make_unique<Database>(path, std::make_unique<WriteQueue>(std::move(*conn)), statements);
}

}  // namespace aih::store::sqlite
