// Connection and Rows: a thin RAII layer over libpq.
//
// A Connection owns one PGconn and prepares each distinct statement once (by SQL text and types),
// keeping at most a bounded number prepared (statement_cache.h: the least recently used one is
// DEALLOCATEd to make room);
// every statement is sent with binary parameters (params.h) and asks for binary results, which Rows
// decodes. Failures come back as Status: a lost connection, a server shutting down or starting, too
// many connections, a deadlock or a serialization failure are kUnavailable (the caller may retry
// later); a full disk (53100) is kStorageFull; a unique violation is kConflict; text PostgreSQL cannot store (NUL, invalid
// UTF-8) is kBadRequest; everything else is kInternal with PostgreSQL's message. After a connection-level failure the Connection is broken() and the pool drops it.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/postgres/params.h"
#include "store/statement_cache.h"

namespace aih::store::postgres {

// The rows of one statement, in binary format; string_views stay valid while the Rows live.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result) {}
  Rows(Rows&& o) noexcept : result_(o.result_) { o.result_ = nullptr; }
  Rows& operator=(Rows&& o) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  ~Rows() { if (result_) PQclear(result_); }

  int size() const { return PQntuples(result_); }
  bool IsNull(int row, int col) const { return PQgetisnull(result_, row, col); }
  std::string_view Text(int row, int col) const {
    return {PQgetvalue(result_, row, col), static_cast<size_t>(PQgetlength(result_, row, col))};
  }
  int64_t Int(int row, int col) const;  // int2, int4 or int8
  bool Bool(int row, int col) const { return *PQgetvalue(result_, row, col) != 0; }
  // Rows changed by an INSERT/UPDATE/DELETE (without RETURNING: the command tag's count).
  int64_t affected() const;

 private:
  PGresult* result_;
};

class Connection {
 public:
  // Connects to `url` (a postgresql:// URL or key=value string) with our session settings.
  // `statements` bounds the statements kept prepared.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url, StatementCacheLimits statements = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement, prepared on first use on this connection, with binary params and results.
  Result<Rows> Query(const std::string& sql, const Params& params = Params());
  // Runs one or more statements without parameters (DDL, BEGIN, SAVEPOINT...) in one round trip.
  Status Exec(const std::string& sql);

  // The SQLSTATE of the last failure ("" after a connection loss without one), e.g. "40P01".
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // The connection is unusable (lost, or the server is going away): do not return it to a pool.
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  // Inside a transaction block (or a failed one): it must not be reused as an idle connection.
  bool in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  // host:port/database, without credentials: for messages.
  std::string where() const;
  // The libpq handle, for protocol features this layer does not wrap (COPY in the benchmark).
  PGconn* handle() { return conn_; }
  // Statements prepared on the server now (at most the cache's capacity).
  size_t prepared_statements() const { return prepared_.size(); }

 private:
  Connection(PGconn* conn, StatementCacheLimits statements) : conn_(conn), prepared_(std::move(statements)) {}
  Status Failure(PGresult* result, std::string_view what);

  PGconn* conn_;
  StatementCache<std::string> prepared_;  // SQL text + param types -> statement name
  uint64_t next_name_ = 0;                // names are never reused: an evicted one may linger on failure
  std::string last_sqlstate_;
  bool broken_ = false;
};

// True for the failures a transaction may simply be run again after: deadlock, serialization.
bool IsRetryable(const std::string& sqlstate);
// How many times a transaction (or a group commit) is run before such a failure is its result.
inline constexpr int kRetryableAttempts = 4;

}  // namespace aih::store::postgres
