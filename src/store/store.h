// Store: one database behind the service, and the engine-independent way to open it.
//
// A Store hands out the per-concept interfaces that every engine implements (interactions, the
// change feed, the directory, signing keys, secrets; subscriptions add theirs). Callers never know
// which engine they talk to: `Open("path/to/dir")` or `Open("sqlite:path")` gives the embedded SQLite
// store, `Open("postgresql://...")` the PostgreSQL one. Schema migrations are applied when opening.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/change_feed.h"
#include "store/directory_store.h"
#include "store/interaction_store.h"
#include "store/subscription_store.h"
#include "store/signing_key_store.h"

namespace aih::store {

class Store {
 public:
  virtual ~Store() = default;

  virtual InteractionStore& interactions() = 0;
  virtual ChangeFeed& changes() = 0;
  virtual DirectoryStore& directory() = 0;
  virtual SubscriptionStore& subscriptions() = 0;  // change notifications and their outbox
  virtual SigningKeyStore& signing_keys() = 0;

  // A named random secret of `bytes` bytes, created on first use and shared by every server that
  // opens this database (cursor signing keys, ...).
  virtual Result<std::string> Secret(const std::string& name, size_t bytes) = 0;

  // The schema version the database is at (after migrations).
  virtual Result<int> SchemaVersion() = 0;
};

// Whether opening may create the store. Commands that only read or change what is there open it
// kMustExist, so that a mistyped location fails naming it (kNotFound) instead of quietly making an
// empty store: for SQLite the directory must hold aihistory.db; for PostgreSQL the database must
// already hold the aihistory schema. Either way an existing store is migrated as usual.
enum class OpenMode { kCreate, kMustExist };

// Opens the store named by `location` (see above), creating it if needed and `mode` allows.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, OpenMode mode = OpenMode::kCreate);

}  // namespace aih::store
