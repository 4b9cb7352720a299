// Online backup and restore of a SQLite store (`aihistory backup` / `aihistory restore`).
//
// BackupDatabase copies a live database, which a server may be writing at the same time (another
// process), into a new file: one consistent snapshot, the state after some commit, with every write
// acknowledged before the backup began. It holds one read transaction on the source for the whole
// copy, so in WAL mode it never blocks the server's writes and the copy is never restarted by them;
// it copies in steps to report progress. The file is written beside `out_path`, checked, synced and
// then renamed into place, so `out_path` is either a whole backup or absent.
//
// RestoreDatabase first verifies the backup (a full integrity check, and that it is an aihistory
// store no newer than this binary), then copies it into the store's database file through SQLite's
// backup API, which takes the locks a live database needs. A server should be stopped while its
// store is restored: it would keep serving from what it has cached (keys, secrets).
//
// Functions only; each call opens its own connections. Thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/erasure_log.h"

namespace aih::store::sqlite {

// Called after each step with the pages copied so far and the total.
using BackupProgress = std::function<void(int64_t copied_pages, int64_t total_pages)>;

struct BackupSummary {
  int64_t pages = 0;
  int64_t bytes = 0;
  int schema_version = 0;
};

// Copies the database `db_path` (which must exist) into the new file `out_path` (which must not).
Result<BackupSummary> BackupDatabase(const std::string& db_path, const std::string& out_path,
                                     const BackupProgress& progress = nullptr);

// Checks that `backup_path` is an intact aihistory database that this binary can open.
Result<BackupSummary> VerifyBackup(const std::string& backup_path);

// Verifies `backup_path`, then replaces the content of the database `db_path` (created if absent)
// with it. Refuses when `db_path` holds data, unless `overwrite`. The erasures `db_path` recorded
// (store/erasure_log.h) outlive its content: they are recorded again in the restored database (which
// is migrated to this binary's schema first when they need it), so that the ids and hashes of what
// was erased stay on file whatever the backup's age.
Result<BackupSummary> RestoreDatabase(const std::string& backup_path, const std::string& db_path, bool overwrite);

// The erasures recorded in the database `db_path` whose interaction the backup at `backup_path`
// holds: what restoring it would bring back. None when `db_path` is absent or records none.
Result<std::vector<Erasure>> ErasedItemsInBackup(const std::string& backup_path, const std::string& db_path);

}  // namespace aih::store::sqlite
