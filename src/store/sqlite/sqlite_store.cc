#include "store/sqlite/sqlite_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "base/files.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/store_check.h"

namespace aih::store::sqlite {
namespace {

// How long the check at every open may take: all of a store of a few GB (quick_check reads every
// page: 1.4 GB took 0.8 s of CPU); a larger one is checked in part, and `aihistory check` does all.
constexpr std::chrono::seconds kOpenCheckBudget{5};

// The database holds secrets (the token issuer's private keys, client secret hashes, the cursor
// key): only its owner may read it. SQLite gives its -wal and -shm files the database file's mode,
// so creating the file owner-only covers them. Files of an older install are tightened when we own
// them; otherwise their permissions stay the operator's choice.
Status MakeOwnerOnly(const std::string& path) {
  AIH_RETURN_IF_ERROR(CreateOwnerOnly(path));
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0 && st.st_uid == ::geteuid()) {
      ::chmod(file.c_str(), st.st_mode & 0700);
    }
  }
  return Status::Ok();
}

// The bytes of the database at `path` and of its write-ahead log, if any.
Result<int64_t> DatabaseFileBytes(const std::string& path) {
  int64_t total = 0;
  for (const std::string& file : {path, path + "-wal"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (!ec) {
      total += static_cast<int64_t>(size);
    } else if (file == path) {
      return Status::Unavailable("cannot read the size of " + file + ": " + ec.message());
    }
  }
  return total;
}

// A new store appears whole or not at all: it is created and migrated under a temporary name, closed
// (the last connection checkpoints the write-ahead log into the file, synced, and deletes the log)
// and renamed into place. A crash or power loss while creating it therefore leaves no half-made
// aihistory.db, which the next start would refuse (store_check.h: an empty file is not a store).
Status CreateStoreFile(const std::string& path, size_t statement_cache_size, Env& env) {
  const std::string creating = path + ".creating";
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(creating + suffix, ec);
  AIH_RETURN_IF_ERROR(MakeOwnerOnly(creating));
  {
    auto db = Database::Open(creating, statement_cache_size, env);
    if (!db.ok()) return db.status();
  }
  if (std::filesystem::exists(creating + "-wal", ec)) {
    return Status::Unavailable("could not finish creating the store " + path +
                               ": its write-ahead log was not written back (see the messages above); start again");
  }
  return RenameDurably(creating, path);
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& directory, bool create,
                                                       size_t statement_cache_size, Env& env) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(directory + "/aihistory.db", ec)) {
    return Status::NotFound("there is no aihistory store at " + directory + " (no " + directory +
                            "/aihistory.db): check --store or AIH_STORE; `aihistory serve`, `demo-setup` and "
                            "`seed` create a store");
  }
  std::filesystem::create_directories(directory, ec);
  if (ec) {
    return Status::Unavailable("cannot create the data directory " + directory + ": " + ec.message());
  }
  const std::string path = directory + "/aihistory.db";
  // Before anything creates or touches the file: a present one must be a sound store of ours.
  AIH_RETURN_IF_ERROR(CheckBeforeOpening(path, kOpenCheckBudget));
  if (!std::filesystem::exists(path, ec)) AIH_RETURN_IF_ERROR(CreateStoreFile(path, statement_cache_size, env));
  AIH_RETURN_IF_ERROR(MakeOwnerOnly(path));
  auto db = Database::Open(path, statement_cache_size, env);
  if (!db.ok()) return db.status();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*db)));
  AIH_RETURN_IF_ERROR(store->Ready());
  return store;
}

Result<int> SqliteStore::SchemaVersion() {
  auto conn = db_->Read();
  if (!conn.ok()) return conn.status();
  return CurrentSchemaVersion(**conn);
}

Result<int64_t> SqliteStore::SizeBytes() { return DatabaseFileBytes(db_->path); }

Result<int64_t> StoreFileBytes(const std::string& directory) {
  return DatabaseFileBytes(directory + "/aihistory.db");
}

Result<int64_t> SqliteStore::ReclaimSpace(int64_t max_pages) {
  int64_t freed = 0;
  bool merged = false;
  Status s = db_->Write([&](Connection& c) -> Status {
    freed = 0;
    // FTS5 keeps a deleted row's terms, and tombstones for them, until it merges the segments that
    // hold them: one bounded step of merging (about max_pages pages written; a negative count lets it
    // merge segments of any level, towards one) per call. FTS5 changes two or more rows when it
    // merged anything (its documented way to tell).
    const int64_t changes = c.TotalChanges();
    AIH_RETURN_IF_ERROR(c.Exec("INSERT INTO interaction_search (interaction_search, rank) VALUES ('merge', -" +
                               std::to_string(std::max<int64_t>(16, max_pages)) + ")"));
    merged = c.TotalChanges() - changes >= 2;
    auto count = [&c]() -> Result<int64_t> {
      auto stmt = c.Prepare("PRAGMA freelist_count");
      if (!stmt.ok()) return stmt.status();
      Status status;
      int64_t n = stmt->Step(&status) ? stmt->Int(0) : 0;
      if (!status.ok()) return status;
      return n;
    };
    auto before = count();
    if (!before.ok()) return before.status();
    if (*before == 0) return Status::Ok();  // (the merge's own freed pages are counted next time)
    auto vacuum = c.Prepare("PRAGMA incremental_vacuum(" + std::to_string(std::max<int64_t>(1, max_pages)) + ")");
    if (!vacuum.ok()) return vacuum.status();
    Status status;
    while (vacuum->Step(&status)) {
    }
    AIH_RETURN_IF_ERROR(status);
    auto after = count();
    if (!after.ok()) return after.status();
    freed = *before - *after;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return merged ? std::max<int64_t>(freed, 1) : freed;
}

}  // namespace aih::store::sqlite
