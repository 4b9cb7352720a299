#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_FULL) {
    return Status::StorageFull("the database's storage is full (" + message + "); free space on its file system");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) {
    return Status::Unavailable("the database is unavailable (" + message + "); retry later");
  }
  return Status::Internal(message);
}

bool Statement::Step(Status* status) {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) *status = SqliteError(sqlite3_db_handle(stmt_), rc, "query failed");
  return false;
}

Status Statement::Run() {
  Status status;
  while (Step(&status)) {
  }
  return status;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only,
                                                     StatementCacheLimits statements, const std::string& vfs) {
  sqlite3* db = nullptr;
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, "cannot open " + path);
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db, std::move(statements)));
  sqlite3_busy_timeout(db, 10'000);
  sqlite3_extended_result_codes(db, 1);
  // WAL lets readers page while the writer commits; synchronous=FULL fsyncs the WAL at every commit,
  // which is what makes an acknowledgement durable (group commit amortises it over many requests).
  // auto_vacuum=INCREMENTAL first: it takes effect only on a database that has no page yet (a new
  // store; switching an older one needs a VACUUM), and then lets Store::ReclaimSpace give the pages
  // of deleted rows back to the file system.
  // temp_store=MEMORY, on every connection: SQLite's temporary files (a statement journal for a batch
  // whose search-index triggers write much, a sort that spills) would otherwise go to /var/tmp,
  // outside the store directory that the service's sandbox allows (packaging/). They hold one
  // statement's changes or one query's sort.
  AIH_RETURN_IF_ERROR(conn->Exec(read_only ? "PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY;"
                                           : "PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                             " PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;"));
  return conn;
}

Connection::~Connection() {
  cache_.ForEach([](Cached& cached) { sqlite3_finalize(cached.stmt); });
  sqlite3_close_v2(db_);
}

Result<Statement> Connection::Prepare(const std::string& sql) {
  if (Cached* cached = cache_.Find(sql)) return Statement(cached->stmt, &cached->borrowed);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "cannot prepare a statement");
  cache_.MakeRoom([](const Cached& c) { return c.borrowed > 0; },
                  [](Cached& c) {
                    sqlite3_finalize(c.stmt);
                    return Status::Ok();
                  });
  Cached& added = cache_.Add(sql, Cached{stmt, 0});
  return Statement(added.stmt, &added.borrowed);
}

Status Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Status s = SqliteError(db_, rc, "statement failed");
    return Status(s.code(), "statement failed: " + message);
  }
  return Status::Ok();
}

}  // namespace aih::store::sqlite
