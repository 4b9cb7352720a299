// SqlStore: what both engines' Store share: the stores written once over the SQL seam (directory,
// signing keys, subscriptions and their outbox, the change feed but for its claim), the named
// secrets and the readiness answer. An engine derives from it and adds what is its own: the
// interactions, its change-feed claim, where its schema version is kept, its storage condition and
// its size.
// Thread-safe, as the stores it hands out.
#pragma once

#include <string>

#include "store/sql/database.h"
#include "store/sql/sql_audit_log.h"
#include "store/sql/outbox.h"
#include "store/sql/sql_change_feed.h"
#include "store/sql/sql_directory.h"
#include "store/sql/sql_log.h"
#include "store/sql/sql_erasures.h"
#include "store/sql/sql_holds.h"
#include "store/sql/sql_retention.h"
#include "store/sql/sql_signing_keys.h"
#include "store/sql/sql_subscriptions.h"
#include "store/store.h"

namespace aih::store::sql {

class SqlStore : public Store {
 public:
  DirectoryStore& directory() override { return directory_; }
  SigningKeyStore& signing_keys() override { return signing_keys_; }
  LogStore& log() override { return log_; }
  SubscriptionStore& subscriptions() override { return subscriptions_; }
  ChangeFeed& changes() override { return changes_; }
  HoldStore& holds() override { return holds_; }
  ErasureLog& erasures() override { return erasures_; }
  RetentionStore& retention() override { return retention_; }
  AuditLog& audit() override { return audit_; }
  Result<std::string> Secret(const std::string& name, size_t bytes) override;
  // SchemaVersion() against `latest_schema_version`, and whether the storage is full.
  Result<StoreHealth> Health() override;

 protected:
  // `db` is a member of the engine, built after this base: it is only remembered here, and used
  // once the engine is built. `change_claim`: the engine's claim of changes (SqlChangeFeed).
  SqlStore(Database& db, std::string change_claim, int latest_schema_version)
      : db_(db),
        latest_schema_version_(latest_schema_version),
        outbox_(db),
        changes_(db, std::move(change_claim)),
        directory_(db),
        signing_keys_(db),
        log_(db),
        subscriptions_(db, outbox_),
        holds_(db),
        erasures_(db),
        retention_(db),
        audit_(db) {}

 private:
  Database& db_;
  const int latest_schema_version_;
  Outbox outbox_;
  SqlChangeFeed changes_;
  SqlDirectory directory_;
  SqlSigningKeys signing_keys_;
  SqlLog log_;
  SqlSubscriptions subscriptions_;
  SqlHolds holds_;
  SqlErasures erasures_;
  SqlRetention retention_;
  SqlAuditLog audit_;
};

}  // namespace aih::store::sql
