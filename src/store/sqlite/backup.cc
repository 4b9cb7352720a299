#include "store/sqlite/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"

namespace aih::store::sqlite {
namespace {

// Pages per backup step: about 4 MB with the default 4 KB pages, so progress moves visibly.
constexpr int kPagesPerStep = 1024;
// A step waits up to the 10 s busy timeout for a lock; this many in a row is someone else's long hold.
constexpr int kBusyStepsBeforeGivingUp = 6;

// An open sqlite3 handle, closed on scope exit.
class Handle {
 public:
  ~Handle() {
    if (db_) sqlite3_close_v2(db_);
  }
  Status Open(const std::string& path, int flags) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return Status::Unavailable("cannot open " + path + ": " + sqlite3_errstr(rc));
    // The server may hold its write lock for a group commit; wait for it rather than fail.
    sqlite3_busy_timeout(db_, 10'000);
    return Status::Ok();
  }
  sqlite3* get() const { return db_; }
  Status Exec(const std::string& sql) const {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      return Status::Unavailable(sql + ": " + message);
    }
    return Status::Ok();
  }
  // The first column of the first row of `sql` as text; "" when no row.
  Result<std::string> Text(const std::string& sql) const {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return Status::Unavailable(sql + ": " + sqlite3_errmsg(db_));
    }
    std::string value;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      value = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Status::Unavailable(sql + ": " + sqlite3_errmsg(db_));
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

// What a database must be to count as an aihistory store this binary can open; its schema version.
// `check` names the integrity check to run first ("" for none).
Result<int> CheckAihistoryDatabase(const Handle& db, const std::string& path, const std::string& check) {
  if (!check.empty()) {
    auto verdict = db.Text("PRAGMA " + check);
    if (!verdict.ok()) return Status::BadRequest(path + " is not a readable SQLite database: " + verdict.status().message());
    if (*verdict != "ok") return Status::BadRequest(path + " is damaged (" + check + ": " + *verdict + "); use another backup");
  }
  auto version = db.Text("PRAGMA user_version");
  if (!version.ok()) return version.status();
  auto secrets = db.Text("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'secrets'");
  if (!secrets.ok()) return secrets.status();
  const int v = std::atoi(version->c_str());
  if (v <= 0 || *secrets != "1") return Status::BadRequest(path + " is a SQLite database but not an aihistory store");
  if (v > LatestSchemaVersion()) {
    return Status::BadRequest(path + " has schema version " + std::to_string(v) + ", newer than this aihistory's " +
                              std::to_string(LatestSchemaVersion()) + "; restore it with a newer aihistory");
  }
  return v;
}

// Writes what was copied to the disk before the file is renamed into place.
Status SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Unavailable("cannot open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::Unavailable("cannot sync " + path + ": " + std::strerror(errno));
  return Status::Ok();
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

// The erasures recorded in `db` (none if it predates them: schema version 12).
Result<std::vector<Erasure>> ReadErasures(const Handle& db) {
  auto has = db.Text("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'erasures'");
  if (!has.ok()) return has.status();
  std::vector<Erasure> out;
  if (*has != "1") return out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(),
                         "SELECT tenant_id, user_id, id, content_hash, erased_ms, reason, actor FROM erasures",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::Unavailable(std::string("cannot read the erasures: ") + sqlite3_errmsg(db.get()));
  }
  auto text = [stmt](int col) {
    const unsigned char* t = sqlite3_column_text(stmt, col);
    return std::string(t ? reinterpret_cast<const char*>(t) : "");
  };
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    out.push_back({text(0), text(1), text(2), static_cast<uint64_t>(sqlite3_column_int64(stmt, 3)),
                   sqlite3_column_int64(stmt, 4), text(5), text(6)});
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Status::Unavailable(std::string("cannot read the erasures: ") + sqlite3_errmsg(db.get()));
  return out;
}

// The erasures `db_path` records; none when there is no such database.
Result<std::vector<Erasure>> ErasuresOf(const std::string& db_path) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec) || std::filesystem::file_size(db_path, ec) == 0) {
    return std::vector<Erasure>{};
  }
  Handle db;
  AIH_RETURN_IF_ERROR(db.Open(db_path, SQLITE_OPEN_READONLY));
  return ReadErasures(db);
}

// Records `erasures` in the database `db_path`, migrated first; an item erased again since keeps the
// later record.
Status RecordErasures(const std::string& db_path, const std::vector<Erasure>& erasures) {
  auto conn = Connection::Open(db_path, /*read_only=*/false);
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  AIH_RETURN_IF_ERROR(Migrate(c));
  AIH_RETURN_IF_ERROR(c.Exec("BEGIN IMMEDIATE"));
  for (const Erasure& e : erasures) {
    auto insert = c.Prepare(
        "INSERT INTO erasures (tenant_id, user_id, id, content_hash, erased_ms, reason, actor)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (tenant_id, user_id, id) DO UPDATE SET"
        " content_hash = excluded.content_hash, erased_ms = excluded.erased_ms, reason = excluded.reason,"
        " actor = excluded.actor WHERE excluded.erased_ms > erasures.erased_ms");
    Status s = insert.status();
    if (s.ok()) {
      insert->Bind(1, std::string_view(e.tenant_id));
      insert->Bind(2, std::string_view(e.user_id));
      insert->Bind(3, std::string_view(e.id));
      insert->Bind(4, static_cast<int64_t>(e.content_hash));
      insert->Bind(5, e.erased_ms);
      insert->Bind(6, std::string_view(e.reason));
      insert->Bind(7, std::string_view(e.actor));
      s = insert->Run();
    }
    if (!s.ok()) {
      c.Exec("ROLLBACK");
      return s.WithContext("recording the erasures of the replaced store");
    }
  }
  return c.Exec("COMMIT");
}

}  // namespace

Result<std::vector<Erasure>> ErasedItemsInBackup(const std::string& backup_path, const std::string& db_path) {
  auto erasures = ErasuresOf(db_path);
  if (!erasures.ok()) return erasures.status();
  std::vector<Erasure> back;
  if (erasures->empty()) return back;
  Handle backup;
  AIH_RETURN_IF_ERROR(backup.Open(backup_path, SQLITE_OPEN_READONLY));
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(backup.get(), "SELECT 1 FROM interactions WHERE tenant_id = ?1 AND user_id = ?2 AND id = ?3",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::BadRequest(backup_path + ": cannot look up interactions: " + sqlite3_errmsg(backup.get()));
  }
  int rc = SQLITE_DONE;
  for (Erasure& e : *erasures) {
    sqlite3_reset(stmt);
    sqlite3_bind_text(stmt, 1, e.tenant_id.data(), static_cast<int>(e.tenant_id.size()), SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, e.user_id.data(), static_cast<int>(e.user_id.size()), SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, e.id.data(), static_cast<int>(e.id.size()), SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      back.push_back(std::move(e));
    } else if (rc != SQLITE_DONE) {
      break;
    }
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return Status::Unavailable(backup_path + ": cannot look up interactions: " + sqlite3_errmsg(backup.get()));
  }
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
  Handle source;
  // Not read-only: a read-only connection cannot recover a WAL whose -shm file is gone.
  AIH_RETURN_IF_ERROR(source.Open(db_path, SQLITE_OPEN_READWRITE));
  // The copy is checked below; checking the source too would read the whole store twice.
  auto version = CheckAihistoryDatabase(source, db_path, "");
  if (!version.ok()) return version.status();

  // Owner-only from the start: the store holds secrets (signing keys, secret hashes).
  const std::string partial = out_path + ".partial";
  std::filesystem::remove(partial, ec);
  int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot create " + partial + ": " + std::strerror(errno));
  ::close(fd);
  auto fail = [&](Status s) {
    std::filesystem::remove(partial, ec);
    return s;
  };

  BackupSummary summary;
  {
    Handle dest;
    Status opened = dest.Open(partial, SQLITE_OPEN_READWRITE);
    if (!opened.ok()) return fail(opened);
    // One read transaction for the whole copy: every step sees the same snapshot, and the server's
    // commits (to the WAL) neither wait for us nor restart the copy.
    Status begun = source.Exec("BEGIN");
    if (begun.ok()) begun = source.Text("SELECT count(*) FROM sqlite_schema").status();
    if (!begun.ok()) return fail(begun);
    Status copied = CopyPages(source.get(), dest.get(), progress, &summary.pages);
    (void)source.Exec("COMMIT");
    if (!copied.ok()) return fail(copied);
    // The copy is a standalone file: no WAL beside it.
    Status standalone = dest.Exec("PRAGMA journal_mode=DELETE");
    if (!standalone.ok()) return fail(standalone);
    auto checked = CheckAihistoryDatabase(dest, out_path, "quick_check");
    if (!checked.ok()) return fail(checked.status());
    summary.schema_version = *checked;
  }
  Status synced = SyncFile(partial);
  if (!synced.ok()) return fail(synced);
  std::filesystem::rename(partial, out_path, ec);
  if (ec) return fail(Status::Unavailable("cannot rename " + partial + " to " + out_path + ": " + ec.message()));
  summary.bytes = static_cast<int64_t>(std::filesystem::file_size(out_path, ec));
  return summary;
}

Result<BackupSummary> VerifyBackup(const std::string& backup_path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(backup_path, ec)) return Status::NotFound("there is no file " + backup_path);
  Handle backup;
  AIH_RETURN_IF_ERROR(backup.Open(backup_path, SQLITE_OPEN_READONLY));
  auto version = CheckAihistoryDatabase(backup, backup_path, "integrity_check");
  if (!version.ok()) return version.status();
  auto pages = backup.Text("PRAGMA page_count");
  if (!pages.ok()) return pages.status();
  BackupSummary summary;
  summary.schema_version = *version;
  summary.pages = std::atoll(pages->c_str());
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
  if (!std::filesystem::exists(db_path, ec)) {
    int fd = ::open(db_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Status::Unavailable("cannot create " + db_path + ": " + std::strerror(errno));
    ::close(fd);
  }
  Handle backup, dest;
  AIH_RETURN_IF_ERROR(backup.Open(backup_path, SQLITE_OPEN_READONLY));
  AIH_RETURN_IF_ERROR(dest.Open(db_path, SQLITE_OPEN_READWRITE));
  int64_t pages = 0;
  AIH_RETURN_IF_ERROR(CopyPages(backup.get(), dest.get(), nullptr, &pages));
  // Back to the mode the server runs in (it sets it too, but a restored store should look like one).
  AIH_RETURN_IF_ERROR(dest.Exec("PRAGMA journal_mode=WAL"));
  if (!erasures->empty()) AIH_RETURN_IF_ERROR(RecordErasures(db_path, *erasures));
  return summary;
}

}  // namespace aih::store::sqlite
