// SqliteSql: the SQLite engine under the stores written once (sql/database.h).
//
// Read borrows a pooled read-only connection; Transaction and GroupWrite are both jobs of the single
// WriteQueue (group commit), which serialises every write: SQLite needs no row locks.
// Thread-safe, as the Database it wraps.
#pragma once

#include <functional>

#include "store/page_sql.h"
#include "store/sql/database.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

// Binds `args` to ?1, ?2, ... of `stmt`. Text and bytes are bound without copying: `args` must
// outlive the steps.
void BindArgs(Statement& stmt, const sql::Args& args);

// The rows of an export page, as BuildPageSql selects them, read straight off the statement until
// `emit` returns false.
Status ReadPageRows(Connection& c, const PageSql& page, const std::function<bool(const PageRow&)>& emit);

// The change feed's claim (sql/sql_change_feed.h): one UPDATE ... RETURNING of the oldest unleased
// rows, a job of the single writer; the lease (lease_until, unix ms) is timed by this machine's clock.
extern const char* const kChangeClaim;

// Runs `work` over the engine's own connection `c` (inside the caller's transaction): how the
// engine's interaction writes call the stores written once (the verifiable log, sql/sql_log.h).
Status OnConnection(Connection& c, const sql::Work& work);

class SqliteSql final : public sql::DatabaseOver<Database> {
 public:
  explicit SqliteSql(sqlite::Database& db) : DatabaseOver(db, sql::SqliteDialect()) {}
  Status Read(const sql::Work& work) override {
    auto conn = engine_.Read();
    return conn.ok() ? OnConnection(**conn, work) : conn.status();
  }
  Status Transaction(const sql::Work& work) override {
    return engine_.Write([&work](Connection& c) { return OnConnection(c, work); });
  }
};

}  // namespace aih::store::sqlite
