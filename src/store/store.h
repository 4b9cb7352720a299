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

// What a readiness probe asks of the store (api/health_resource.h).
struct StoreHealth {
  int schema_version = 0;         // where the database is
  int latest_schema_version = 0;  // where this binary's migrations bring it: ready only when equal
  // Writes fail for lack of space (disk full, quota): meant to be set by an engine when a write
  // fails so and cleared when one succeeds again; not ready while set. Neither engine tracks it yet
  // (both report false): this is where that state is to be reported.
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

  // A named random secret of `bytes` bytes, created on first use and shared by every server that
  // opens this database (cursor signing keys, ...).
  virtual Result<std::string> Secret(const std::string& name, size_t bytes) = 0;

  // The schema version the database is at (after migrations).
  virtual Result<int> SchemaVersion() = 0;

  // Answers from the database (a failure means it does not answer). Engines override it to name the
  // version they migrate to and to report full storage; this default knows neither.
  virtual Result<StoreHealth> Health() {
    auto version = SchemaVersion();
    if (!version.ok()) return version.status();
    return StoreHealth{*version, *version, false};
  }
};

// Opens the store named by `location` (see above), creating it if needed.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location);

}  // namespace aih::store
