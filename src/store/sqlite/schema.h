// The SQLite schema and its migrations.
//
// Migrations are numbered from 1 and applied in order, each in its own transaction together with
// `PRAGMA user_version`, so a database is always at exactly one version. A migration is never edited
// once released: a change to the schema is a new migration appended to the list in schema.cc.
#pragma once

#include "base/status.h"
#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

// The version a fully migrated database is at.
int LatestSchemaVersion();

// The version the database on `conn` is at (its user_version; 0 for a database never migrated).
Result<int> CurrentSchemaVersion(Connection& conn);

// Brings the database to LatestSchemaVersion(). Refuses a database newer than this binary.
Status Migrate(Connection& conn);
// Brings the database up to `target_version` only: how the tests make a database of an older release
// to prove an upgrade.
Status MigrateTo(Connection& conn, int target_version);

}  // namespace aih::store::sqlite
