#include "store/sqlite/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "base/files.h"
#include "store/sql/sql_erasures.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/session.h"
#include "store/sqlite/store_check.h"

namespace aih::store::sqlite {
namespace {

// Pages per backup step: about 4 MB with the default 4 KB pages, so progress moves visibly.
constexpr int kPagesPerStep = 1024;
// A step waits up to the 10 s busy timeout for a lock; this many in a row is someone else's long hold.
constexpr int kBusyStepsBeforeGivingUp = 6;

// Opens `path` for the copy; a file that SQLite cannot read names itself.
Result<std::unique_ptr<Connection>> OpenFile(const std::string& path, bool read_only) {
  auto conn = Connection::Open(path, read_only);
  if (!conn.ok()) return Status::BadRequest(path + " is not a readable SQLite database: " + conn.status().message());
  return conn;
}

// What a database must be to count as an aihistory store this binary can open (store_check.h says
// what is ours); its schema version. With `full_check` set, the integrity check it names runs first
// (integrity_check when true, quick_check when false).
Result<int> CheckAihistoryDatabase(Connection& db, const std::string& path, std::optional<bool> full_check) {
  if (full_check) {
    auto report = CheckIntegrity(db, *full_check);
    if (!report.ok()) return Status::BadRequest(path + " is not a readable SQLite database: " + report.status().message());
    if (!report->problems.empty()) {
      return Status::BadRequest(path + " is damaged (" + report->problems.front() + "); use another backup");
    }
  }
  auto version = CheckSchemaIsOurs(db, path);
  if (!version.ok() && version.status().code() != Code::kBadRequest) return version.status();
  if (!version.ok() || *version == 0) return Status::BadRequest(path + " is a SQLite database but not an aihistory store");
  if (*version > LatestSchemaVersion()) {
    return Status::BadRequest(path + " has schema version " + std::to_string(*version) + ", newer than this aihistory's " +
                              std::to_string(LatestSchemaVersion()) + "; restore it with a newer aihistory");
  }
  return *version;
}

// Runs a backup from `source` to `dest` to completion, in steps.
Status CopyPages(sqlite3* source, sqlite3* dest, const BackupProgress& progress, int64_t* pages) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (backup == nullptr) return Status::Unavailable(std::string("cannot start the copy: ") + sqlite3_errmsg(dest));
  int rc = SQLITE_OK;
  int busy = 0;  // consecutive steps that found a lock held (each after the 10 s busy timeout)
  while (true) {
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy < kBusyStepsBeforeGivingUp) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    busy = 0;
    const int total = sqlite3_backup_pagecount(backup);
    if (progress) progress(total - sqlite3_backup_remaining(backup), total);
    *pages = total;
    if (rc != SQLITE_OK) break;
  }
  sqlite3_backup_finish(backup);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Status::Unavailable("the database stayed locked by another process for a minute; if a server runs on the "
                               "store being restored, stop it first");
  }
  if (rc != SQLITE_DONE) return Status::Unavailable(std::string("the copy failed: ") + sqlite3_errstr(rc));
  return Status::Ok();
}

// The erasures `db_path` records; none when there is no such database, or it predates them.
Result<std::vector<Erasure>> ErasuresOf(const std::string& db_path) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec) || std::filesystem::file_size(db_path, ec) == 0) {
    return std::vector<Erasure>{};
  }
  auto db = Connection::Open(db_path, /*read_only=*/true);
  if (!db.ok()) return db.status();
  std::vector<Erasure> erasures;
  AIH_RETURN_IF_ERROR(OnConnection(**db, [&](sql::Session& s) -> Status {
    AIH_ASSIGN_OR_RETURN(const bool recorded,
                         s.Exists("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'erasures'", {}));
    if (!recorded) return Status::Ok();
    AIH_ASSIGN_OR_RETURN(erasures, sql::AllErasures(s));
    return Status::Ok();
  }));
  return erasures;
}

// Records `erasures` in the database `db_path`, migrated first.
Status RecordErasures(const std::string& db_path, const std::vector<Erasure>& erasures) {
  auto conn = Connection::Open(db_path, /*read_only=*/false);
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  AIH_RETURN_IF_ERROR(Migrate(c));
  AIH_RETURN_IF_ERROR(c.Exec("BEGIN IMMEDIATE"));
  Status s = OnConnection(c, [&](sql::Session& session) { return sql::RecordErasuresAgain(session, erasures); });
  if (!s.ok()) {
    c.Exec("ROLLBACK");
    return s.WithContext("recording the erasures of the replaced store");
  }
  return c.Exec("COMMIT");
}

}  // namespace

Result<std::vector<Erasure>> ErasedItemsInBackup(const std::string& backup_path, const std::string& db_path) {
  AIH_ASSIGN_OR_RETURN(std::vector<Erasure> erasures, ErasuresOf(db_path));
  std::vector<Erasure> back;
  if (erasures.empty()) return back;
  AIH_ASSIGN_OR_RETURN(auto backup, OpenFile(backup_path, /*read_only=*/true));
  Status looked = OnConnection(*backup, [&](sql::Session& s) -> Status {
    for (Erasure& e : erasures) {
      AIH_ASSIGN_OR_RETURN(const bool held, s.Exists("SELECT 1 FROM interactions WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
                                                     {e.tenant_id, e.user_id, e.id}));
      if (held) back.push_back(std::move(e));
    }
    return Status::Ok();
  });
  if (!looked.ok()) return Status::BadRequest(backup_path + ": cannot look up interactions: " + looked.message());
  return back;
}

Result<BackupSummary> BackupDatabase(const std::string& db_path, const std::string& out_path,
                                     const BackupProgress& progress) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) {
    return Status::NotFound("there is no SQLite store at " + db_path + " (no such file)");
  }
  if (std::filesystem::exists(out_path, ec)) {
    return Status::Conflict(out_path + " exists already; give a new file (a backup never overwrites one)");
  }
  // Not read-only: a read-only connection cannot recover a WAL whose -shm file is gone.
  AIH_ASSIGN_OR_RETURN(auto source, Connection::Open(db_path, /*read_only=*/false));
  // The copy is checked below; checking the source too would read the whole store twice.
  AIH_RETURN_IF_ERROR(CheckAihistoryDatabase(*source, db_path, std::nullopt).status());

  // Owner-only from the start: the store holds secrets (signing keys, secret hashes).
  const std::string partial = out_path + ".partial";
  std::filesystem::remove(partial, ec);
  AIH_RETURN_IF_ERROR(CreateOwnerOnly(partial));
  auto fail = [&](Status s) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(partial + suffix, ec);
    return s;
  };

  BackupSummary summary;
  Status copied = [&]() -> Status {
    AIH_ASSIGN_OR_RETURN(auto dest, Connection::Open(partial, /*read_only=*/false));
    // One read transaction for the whole copy: every step sees the same snapshot, and the server's
    // commits (to the WAL) neither wait for us nor restart the copy.
    AIH_RETURN_IF_ERROR(source->Exec("BEGIN"));
    AIH_RETURN_IF_ERROR(CurrentSchemaVersion(*source).status());  // a read: the snapshot starts here
    Status pages = CopyPages(source->handle(), dest->handle(), progress, &summary.pages);
    (void)source->Exec("COMMIT");
    AIH_RETURN_IF_ERROR(pages);
    // The copy is a standalone file: no WAL beside it.
    AIH_RETURN_IF_ERROR(dest->Exec("PRAGMA journal_mode=DELETE"));
    AIH_ASSIGN_OR_RETURN(summary.schema_version, CheckAihistoryDatabase(*dest, out_path, /*full_check=*/false));
    return Status::Ok();
  }();
  if (!copied.ok()) return fail(copied);
  Status synced = SyncFile(partial);
  if (!synced.ok()) return fail(synced);
  Status placed = RenameDurably(partial, out_path);
  if (!placed.ok()) return fail(placed);
  summary.bytes = static_cast<int64_t>(std::filesystem::file_size(out_path, ec));
  return summary;
}

Result<BackupSummary> VerifyBackup(const std::string& backup_path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(backup_path, ec)) return Status::NotFound("there is no file " + backup_path);
  AIH_ASSIGN_OR_RETURN(auto backup, OpenFile(backup_path, /*read_only=*/true));
  BackupSummary summary;
  AIH_ASSIGN_OR_RETURN(summary.schema_version, CheckAihistoryDatabase(*backup, backup_path, /*full_check=*/true));
  AIH_RETURN_IF_ERROR(OnConnection(*backup, [&](sql::Session& s) -> Status {
    AIH_ASSIGN_OR_RETURN(summary.pages, s.Count("PRAGMA page_count", {}));
    return Status::Ok();
  }));
  summary.bytes = static_cast<int64_t>(std::filesystem::file_size(backup_path, ec));
  return summary;
}

Result<BackupSummary> RestoreDatabase(const std::string& backup_path, const std::string& db_path, bool overwrite) {
  auto summary = VerifyBackup(backup_path);
  if (!summary.ok()) return summary.status();
  std::error_code ec;
  if (!overwrite && std::filesystem::exists(db_path, ec) && std::filesystem::file_size(db_path, ec) > 0) {
    return Status::Conflict("the store " + db_path + " is not empty; restore into a new directory, or give --force "
                            "to replace its content (stop its server first)");
  }
  // Read before the content they belong to is replaced.
  auto erasures = ErasuresOf(db_path);
  if (!erasures.ok()) return erasures.status();
  std::filesystem::create_directories(std::filesystem::path(db_path).parent_path(), ec);
  AIH_RETURN_IF_ERROR(CreateOwnerOnly(db_path));
  {
    AIH_ASSIGN_OR_RETURN(auto backup, OpenFile(backup_path, /*read_only=*/true));
    AIH_ASSIGN_OR_RETURN(auto dest, Connection::Open(db_path, /*read_only=*/false));
    int64_t pages = 0;
    AIH_RETURN_IF_ERROR(CopyPages(backup->handle(), dest->handle(), nullptr, &pages));
    // Back to the mode the server runs in (the copy's header says otherwise: a backup stands alone).
    AIH_RETURN_IF_ERROR(dest->Exec("PRAGMA journal_mode=WAL"));
  }
  if (!erasures->empty()) AIH_RETURN_IF_ERROR(RecordErasures(db_path, *erasures));
  return summary;
}

}  // namespace aih::store::sqlite
