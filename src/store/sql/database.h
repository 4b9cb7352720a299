// sql::Database: the seam under the stores written once for every SQL engine (directory, signing
// keys, secrets). An engine (store/sqlite, store/postgres) lends a connection as a Session for one
// read or one transaction; the stores write their SQL once, with $1, $2, ... as parameters, and the
// engine's Dialect spells it (SQLite: ?1, ?2, ...) and names the few functions that differ.
//
// Contract: Read's (and Autocommit's) statements each see the latest commit; Transaction's are all or nothing;
// GroupWrite's share their commit with other callers' (group commit) and are all or nothing too.
// Every Work may run more than once (a pooled connection found dead, a deadlock, a serialization
// failure), so it must reset its outputs before it fills them.
// Threading: a Database is shared by every thread; a Session belongs to the one call that got it
// and must not outlive it. Row values are valid only inside the row callback.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"
#include "store/sql/dialect.h"

namespace aih::store::sql {

struct Blob {  // bytes stored as a BLOB (SQLite) or bytea (PostgreSQL), not as text
  std::string bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};
struct Null {  // a NULL text value
  friend bool operator==(const Null&, const Null&) = default;
};

using Value = std::variant<std::string, int64_t, Blob, Null>;
using Args = std::vector<Value>;  // bound to $1, $2, ... in order

// One result row.
class Row {
 public:
  virtual ~Row() = default;
  virtual std::string_view Text(int col) const = 0;  // text or bytes
  virtual int64_t Int(int col) const = 0;
  virtual bool Bool(int col) const = 0;  // a boolean column (an integer 0/1 on SQLite)
  virtual bool IsNull(int col) const = 0;
  std::string String(int col) const { return std::string(Text(col)); }
};
using RowFn = std::function<void(const Row&)>;

// One connection, for the duration of one Work.
class Session {
 public:
  virtual ~Session() = default;
  // Runs `sql` (parameters $1, $2, ...) with `args`, calling `row` for each result row; `affected`
  // receives the rows an INSERT, UPDATE or DELETE changed (ON CONFLICT DO NOTHING counts 0).
  virtual Status Query(const std::string& sql, const Args& args, const RowFn& row = nullptr,
                       int64_t* affected = nullptr) = 0;
  virtual const Dialect& dialect() const = 0;

  // Whether `sql` (a SELECT 1 ...) returns a row.
  Result<bool> Exists(const std::string& sql, const Args& args);
  // The first column of the last row of `sql` (a SELECT count(*) ...), 0 if none.
  Result<int64_t> Count(const std::string& sql, const Args& args);
  // Inside a transaction: makes every other transaction that serialises on `key` wait for this one
  // to end (the dialect's serialise_key).
  Status SerialiseOn(const std::string& key);
  // The same, shared: goes on beside the others that share `key`, never beside one that serialises
  // on it (the dialect's serialise_key_shared).
  Status SerialiseSharedOn(const std::string& key);
};

using Work = std::function<Status(Session&)>;

class Database {
 public:
  virtual ~Database() = default;
  virtual Status Read(const Work& work) = 0;
  virtual Status Transaction(const Work& work) = 0;
  // (An engine whose every write transaction is a job of one group-committing writer has nothing
  // more to do: SQLite.)
  virtual Status GroupWrite(const Work& work) { return Transaction(work); }
  // Statements that write, each its own transaction: for a Work of one statement, which needs no
  // BEGIN ... COMMIT around it (PostgreSQL: a pooled connection in autocommit; SQLite: a job of the
  // single writer, as Transaction).
  virtual Status Autocommit(const Work& work) { return Transaction(work); }
  const Dialect& dialect() const { return dialect_; }

 protected:
  explicit Database(const Dialect& dialect) : dialect_(dialect) {}

 private:
  const Dialect& dialect_;
};

// The base of an engine's Database: the engine's own database, which its Read, Transaction, ... run
// work on, and the engine's dialect.
template <class EngineDatabase>
class DatabaseOver : public Database {
 protected:
  DatabaseOver(EngineDatabase& engine, const Dialect& dialect) : Database(dialect), engine_(engine) {}

  EngineDatabase& engine_;
};

}  // namespace aih::store::sql
