// SqliteSql: the SQLite engine under the stores written once (sql/database.h).
//
// Read borrows a pooled read-only connection; Transaction and GroupWrite are both jobs of the single
// WriteQueue (group commit), which serialises every write: SQLite needs no row locks.
// Thread-safe, as the Database it wraps.
#pragma once

#include "store/sql/database.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

class SqliteSql final : public sql::Database {
 public:
  explicit SqliteSql(sqlite::Database& db) : db_(db) {}

  Status Read(const sql::Work& work) override;
  Status Transaction(const sql::Work& work) override;
  Status GroupWrite(const sql::Work& work) override { return Transaction(work); }
  const sql::Dialect& dialect() const override { return sql::SqliteDialect(); }

 private:
  sqlite::Database& db_;  // (a bare Database would name the base class)
};

// The change feed's claim (sql/sql_change_feed.h): one UPDATE ... RETURNING of the oldest unleased
// rows, a job of the single writer; the lease (lease_until, unix ms) is timed by this machine's clock.
extern const char* const kChangeClaim;

// The connection under a Session this engine lent (to the engine's own parts, such as its outbox,
// called inside a transaction of the shared stores).
Connection& ConnectionOf(sql::Session& session);

// Runs `work` over the engine's own connection `c` (inside the caller's transaction): how the
// engine's interaction writes call the stores written once (the verifiable log, sql/sql_log.h).
Status OnConnection(Connection& c, const sql::Work& work);

}  // namespace aih::store::sqlite
