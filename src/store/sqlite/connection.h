// Connection and Statement: a thin RAII layer over the SQLite C API.
//
// A Connection owns one sqlite3 handle and caches its prepared statements by SQL text, so hot
// queries are prepared once; the cache is bounded (statement_cache.h: least recently used out, a
// borrowed statement never). A Statement is borrowed from that cache: its destruction resets it and
// gives it back. Errors come back as Status with SQLite's own message; SQLITE_BUSY/IOERR map to
// kUnavailable (the caller may retry), SQLITE_FULL to kStorageFull, everything else to kInternal.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/statement_cache.h"

namespace aih::store::sqlite {

class Statement {
 public:
  // `borrowed` counts the live Statements of a cache entry, which keeps it from being evicted.
  Statement(sqlite3_stmt* stmt, int* borrowed) : stmt_(stmt), borrowed_(borrowed) { ++*borrowed_; }
  ~Statement() {
    if (stmt_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
      --*borrowed_;
    }
  }
  Statement(Statement&& o) noexcept : stmt_(o.stmt_), borrowed_(o.borrowed_) { o.stmt_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding is 1-based, as in SQLite. Text is bound without copying: it must outlive Step().
  void Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
  }
  void Bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }
  void Bind(int index, const std::optional<std::string>& text) {
    if (text) Bind(index, std::string_view(*text)); else BindNull(index);
  }

  // Advances: true with a row, false when done; a failure is reported through `status`.
  bool Step(Status* status);
  // Runs to completion, for statements that return no rows.
  Status Run();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }

 private:
  sqlite3_stmt* stmt_;
  int* borrowed_;
};

class Connection {
 public:
  // Opens (creating) the database file and applies the pragmas every connection needs.
  // `statements` bounds its prepared-statement cache; `vfs` names the VFS to open it with ("" for
  // SQLite's default; env_vfs.h for one that injects faults).
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only,
                                                  StatementCacheLimits statements = {},
                                                  const std::string& vfs = "");
  ~Connection();

  // A prepared statement from the cache (prepared on first use).
  Result<Statement> Prepare(const std::string& sql);
  // Runs one or more statements that return no rows.
  Status Exec(const std::string& sql);

  int64_t Changes() const { return sqlite3_changes64(db_); }
  // Rows changed by every statement since the connection opened (FTS5 also counts its own work).
  int64_t TotalChanges() const { return sqlite3_total_changes64(db_); }
  sqlite3* handle() { return db_; }
  // Statements prepared and kept now (at most the cache's capacity, but for borrowed ones).
  size_t cached_statements() const { return cache_.size(); }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    int borrowed = 0;  // live Statements
  };
  Connection(sqlite3* db, StatementCacheLimits statements) : db_(db), cache_(std::move(statements)) {}
  sqlite3* db_;
  StatementCache<Cached> cache_;
};

// Maps a SQLite result code to a Status carrying `what` and SQLite's message.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace aih::store::sqlite
