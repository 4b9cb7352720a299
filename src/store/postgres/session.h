// PostgresSql: the PostgreSQL engine under the stores written once (sql/database.h).
//
// Read runs each statement as its own transaction on a pooled connection (again once on a fresh
// connection if the pooled one was dead); Transaction is BEGIN ... COMMIT on a pooled connection,
// retried after a deadlock or serialization failure; GroupWrite is a job of the WriteQueue. Text
// with a NUL character is refused before it reaches the server (PostgreSQL cannot store one):
// kBadRequest. Thread-safe, as the Database it wraps.
#pragma once

#include "store/postgres/database.h"
#include "store/sql/database.h"

namespace aih::store::postgres {

// The change feed's claim (sql/sql_change_feed.h): one UPDATE of the oldest unleased rows picked
// with FOR UPDATE SKIP LOCKED, committed at once: concurrent claimers skip each other's rows instead
// of waiting, and a committed lease (claimed_by, lease_until on the database's clock) hides the rows
// from later claims until it expires. (SKIP LOCKED is what distributed engines differ on:
// docs/scale-out.md.)
extern const char* const kChangeClaim;

class PostgresSql final : public sql::DatabaseOver<Database> {
 public:
  explicit PostgresSql(postgres::Database& db) : DatabaseOver(db, sql::PostgresDialect()) {}
  Status Read(const sql::Work& work) override;
  Status Transaction(const sql::Work& work) override;
  Status GroupWrite(const sql::Work& work) override;
  Status Autocommit(const sql::Work& work) override { return Read(work); }
};

// `args` as this engine's binary parameters (text and bytes borrowed from `args`); kBadRequest for
// text with a NUL character, which PostgreSQL can neither store nor look up.
Result<Params> ParamsOf(const sql::Args& args);

// Runs `work` over the engine's own connection `c` (inside the caller's transaction): how the
// engine's interaction writes call the stores written once (the verifiable log, sql/sql_log.h).
Status OnConnection(Connection& c, const sql::Work& work);

}  // namespace aih::store::postgres
