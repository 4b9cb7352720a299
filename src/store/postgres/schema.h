// The PostgreSQL schema and its migrations.
//
// Migrations are numbered from 1 and applied in order, each in its own transaction together with its
// row in `schema_migrations`, so a database is always at exactly one version. Servers starting
// together migrate under one advisory lock: the first applies what is missing, the others wait and
// then find nothing to do. A migration is never edited once released: a change to the schema is a new
// migration appended to the list in schema.cc (and the same change to SQLite's, store/sqlite/schema.cc).
#pragma once

#include "base/status.h"
#include "store/postgres/connection.h"

namespace aih::store::postgres {

// The version a fully migrated database is at.
int LatestSchemaVersion();

// Brings the database to LatestSchemaVersion(). Refuses a database newer than this binary, or one
// whose encoding is not UTF-8.
Status Migrate(Connection& conn);
// Brings the database up to `target_version` only: how the tests make a database of an older release
// to prove an upgrade.
Status MigrateTo(Connection& conn, int target_version);

// The version the database is at (0: never migrated).
Result<int> CurrentSchemaVersion(Connection& conn);

}  // namespace aih::store::postgres
