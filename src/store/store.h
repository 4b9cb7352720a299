// Store: one database behind the service, and the engine-independent way to open it.
//
// A Store hands out the per-concept interfaces that every engine implements (interactions, the
// change feed, the directory, signing keys, secrets; subscriptions add theirs). Callers never know
// which engine they talk to: `Open("path/to/dir")` or `Open("sqlite:path")` gives the embedded SQLite
// store, `Open("postgresql://...")` the PostgreSQL one. Schema migrations are applied when opening.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "store/audit_log.h"
#include "store/change_feed.h"
#include "store/directory_store.h"
#include "store/erasure_log.h"
#include "store/hold_store.h"
#include "store/interaction_store.h"
#include "store/log_store.h"
#include "store/retention_store.h"
#include "store/subscription_store.h"
#include "store/signing_key_store.h"
#include "store/statement_cache.h"
#include "store/storage_condition.h"

namespace aih::store {

// What a readiness probe asks of the store (api/health_resource.h).
struct StoreHealth {
  int schema_version = 0;         // where the database is
  int latest_schema_version = 0;  // where this binary's migrations bring it: ready only when equal
  // Writes fail for lack of space (disk full, quota), as the store's StorageCondition found them:
  // not ready while set.
  bool storage_full = false;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual InteractionStore& interactions() = 0;
  virtual ChangeFeed& changes() = 0;
  virtual DirectoryStore& directory() = 0;
  virtual SubscriptionStore& subscriptions() = 0;  // change notifications and their outbox
  virtual SigningKeyStore& signing_keys() = 0;
  virtual LogStore& log() = 0;  // each tenant's verifiable log (log_store.h)
  virtual HoldStore& holds() = 0;         // eDiscovery cases and legal holds
  virtual ErasureLog& erasures() = 0;     // what was erased, after the content is gone
  virtual RetentionStore& retention() = 0;  // retention policies and the sweep's leases
  // Who read, exported, changed or deleted what (audit_log.h). A store without one answers
  // kUnavailable to every call (NoAuditLog).
  virtual AuditLog& audit() { return NoAuditLog(); }

  // A named random secret of `bytes` bytes, created on first use and shared by every server that
  // opens this database (cursor signing keys, ...).
  virtual Result<std::string> Secret(const std::string& name, size_t bytes) = 0;

  // The schema version the database is at (after migrations).
  virtual Result<int> SchemaVersion() = 0;

  // Whether the storage is full, as the store's writes found it (storage_condition.h).
  virtual StorageCondition& storage() = 0;

  // Prepared statements evicted from this store's per-connection caches so far (statement_cache.h):
  // a steadily rising count means more distinct queries than --statement-cache-size holds.
  // (0 for a store without such caches.)
  virtual uint64_t statement_cache_evictions() const { return 0; }

  // The bytes the store occupies: SQLite's database and WAL files, PostgreSQL's pg_database_size.
  // A file read or a query: for the metrics at scrape time (cached there), never per request.
  virtual Result<int64_t> SizeBytes() { return Status::Unavailable("this store does not report its size"); }

  // Gives back to the file system at most `max_pages` pages that deleted rows freed, in one short
  // write (SQLite's incremental vacuum: a store created with auto_vacuum=INCREMENTAL; the file shrinks
  // at the next checkpoint), after one bounded step of compacting what deletions leave in derived
  // data (SQLite's full-text index: a merge of about `max_pages` pages); returns how many pages it
  // freed (at least 1 while the compaction has work left), 0 when nothing is left. Engines whose
  // space is reused otherwise (PostgreSQL's autovacuum) free nothing here.
  virtual Result<int64_t> ReclaimSpace(int64_t max_pages) { return int64_t{0}; }

  // Answers from the database (a failure means it does not answer). Engines override it to name the
  // version they migrate to and to report full storage; this default reports full storage
  // but not the version it migrates to.
  virtual Result<StoreHealth> Health() {
    auto version = SchemaVersion();
    if (!version.ok()) return version.status();
    return StoreHealth{*version, *version, storage().full()};
  }
};

// Whether opening may create the store. Commands that only read or change what is there open it
// kMustExist, so that a mistyped location fails naming it (kNotFound) instead of quietly making an
// empty store: for SQLite the directory must hold aihistory.db; for PostgreSQL the database must
// already hold the aihistory schema. Either way an existing store is migrated as usual.
enum class OpenMode { kCreate, kMustExist };

struct StoreOptions {
  OpenMode mode = OpenMode::kCreate;
  size_t statement_cache_size = StatementCacheLimits::kDefaultCapacity;  // per connection, at least 1
  // The world the store sees (base/env.h); tests give one that injects file faults (SQLite only:
  // PostgreSQL's files are its server's).
  Env* env = &Env::Default();
};
// What CheckStore found.
struct StoreCheckReport {
  std::vector<std::string> problems;  // each names what is wrong; empty: the store is sound
  std::vector<std::string> checked;   // what was verified
  std::vector<std::string> notes;     // what could not be verified, and why
  int schema_version = 0;
};

// The full check of the store at `location`, on demand (`aihistory check`): SQLite's integrity_check
// of every page and index; on PostgreSQL the schema version and, when the amcheck extension is
// installed, every index. Opens nothing for service: nothing is created or migrated. Fails only when
// the check cannot run (the server is down, the file cannot be read).
Result<StoreCheckReport> CheckStore(const std::string& location);

// Opens the store named by `location` (see above), creating it if absent and
// `options.mode` allows. A SQLite file that is
// present but empty, not SQLite, someone else's database, or damaged (a bounded quick_check at every
// open: sqlite/store_check.h) is refused with a message naming the problem, never replaced.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const StoreOptions& options = {});
inline Result<std::unique_ptr<Store>> OpenStore(const std::string& location, OpenMode mode) {
  StoreOptions options;
  options.mode = mode;
  return OpenStore(location, options);
}

}  // namespace aih::store
