#include "store/postgres/connection.h"

#include <cstdlib>

namespace aih::store::postgres {
namespace {

std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Failures after which the server has closed (or is closing) the session.
bool EndsSession(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

bool IsUnavailable(const std::string& sqlstate) {
  return EndsSession(sqlstate) || IsRetryable(sqlstate) ||
         sqlstate.rfind("53", 0) == 0 ||  // insufficient resources: too many connections, disk full
         sqlstate == "55P03" ||           // lock not available
         sqlstate == "57014" ||           // canceled: statement_timeout
         sqlstate == "25006";             // read-only transaction: we reached a standby after a failover
}

std::string Where(PGconn* conn) {
  std::string where = std::string(PQhost(conn) ? PQhost(conn) : "?") + ":" + (PQport(conn) ? PQport(conn) : "?");
  if (PQdb(conn)) where += "/" + std::string(PQdb(conn));
  return where;
}

}  // namespace

bool IsRetryable(const std::string& sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

Rows& Rows::operator=(Rows&& o) noexcept {
  if (this != &o) {
    if (result_) PQclear(result_);
    result_ = o.result_;
    o.result_ = nullptr;
  }
  return *this;
}

int64_t Rows::Int(int row, int col) const {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, col));
  int n = PQgetlength(result_, row, col);
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  // Sign-extend the 2- and 4-byte integers.
  if (n < 8 && n > 0 && (p[0] & 0x80)) v |= ~uint64_t{0} << (8 * n);
  return static_cast<int64_t>(v);
}

int64_t Rows::affected() const {
  const char* n = PQcmdTuples(result_);
  return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url, StatementCacheLimits statements) {
  // Our defaults come first so that the URL's own settings override them: fail fast when the server
  // is unreachable, and notice a dead peer (keepalives, tcp_user_timeout) instead of hanging on it.
  const char* keywords[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout", "application_name", "client_encoding",
                            "dbname", nullptr};
  const char* values[] = {"5", "1", "10", "5", "3", "30000", "aihistory", "UTF8", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) return Status::Unavailable("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    std::string where = Where(conn);
    PQfinish(conn);
    return Status::Unavailable("cannot connect to PostgreSQL at " + where + " (" + message +
                               "); check that the server is up and the --store URL is right");
  }
  // Notices ("relation already exists, skipping", a shutdown warning) belong in the server's log,
  // not on our stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<Connection> c(new Connection(conn, std::move(statements)));
  // Acknowledged means durable: never let a server default weaken commit. Bound how long a statement
  // or an abandoned transaction can hold locks that other servers wait for.
  AIH_RETURN_IF_ERROR(c->Exec(
      "SET synchronous_commit = on; SET statement_timeout = '60s';"
      " SET idle_in_transaction_session_timeout = '60s'"));
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

std::string Connection::where() const { return Where(conn_); }

Status Connection::Failure(PGresult* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state ? state : "";
  std::string message = Trimmed(result ? PQresultErrorMessage(result) : nullptr);
  if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
  if (result) PQclear(result);
  if (PQstatus(conn_) != CONNECTION_OK || EndsSession(last_sqlstate_) || (!state && !result)) broken_ = true;
  if (last_sqlstate_ == "53100") {  // disk_full
    return Status::StorageFull("PostgreSQL's storage is full (" + std::string(what) + ": " + message +
                               "); free space on the database server");
  }
  if (broken_ || IsUnavailable(last_sqlstate_)) {
    return Status::Unavailable("PostgreSQL is unavailable (" + std::string(what) + ": " + message + "); retry later");
  }
  if (last_sqlstate_ == "23505") return Status::Conflict(std::string(what) + ": " + message);
  if (last_sqlstate_ == "22021" || last_sqlstate_ == "22P05") {
    // Text PostgreSQL cannot hold (a NUL character, or bytes that are not UTF-8): the caller's input.
    return Status::BadRequest("text that PostgreSQL cannot store (" + message + "); send valid UTF-8 without NUL");
  }
  return Status::Internal(std::string(what) + ": " + message);
}

Result<Rows> Connection::Query(const std::string& sql, const Params& params) {
  PGresult* result = nullptr;
  // A statement is prepared for its parameter types too: the same text with other types is another.
  std::string key = sql;
  key.push_back('\0');
  key.append(reinterpret_cast<const char*>(params.types()), sizeof(Oid) * static_cast<size_t>(params.size()));
  const std::string* name = prepared_.Find(key);
  if (!name) {
    // Room first: a statement that cannot be deallocated (the transaction failed, the connection
    // is lost) is forgotten all the same; the session keeps it until it ends, and names are unique.
    Status released = prepared_.MakeRoom([](const std::string&) { return false; },
                                         [this](const std::string& victim) { return Exec("DEALLOCATE " + victim); });
    if (!released.ok() && broken()) return released;
    std::string fresh = "aih" + std::to_string(next_name_++);
    PGresult* prep = PQprepare(conn_, fresh.c_str(), sql.c_str(), params.size(), params.types());
    if (!prep || PQresultStatus(prep) != PGRES_COMMAND_OK) return Failure(prep, "cannot prepare a statement");
    PQclear(prep);
    name = &prepared_.Add(std::move(key), std::move(fresh));
  }
  result = PQexecPrepared(conn_, name->c_str(), params.size(), params.values(), params.lengths(),
                          params.formats(), /*resultFormat=*/1);
  ExecStatusType st = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return Failure(result, "query failed");
  last_sqlstate_.clear();
  return Rows(result);
}

Status Connection::Exec(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  ExecStatusType st = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(result, "statement failed");
  PQclear(result);
  last_sqlstate_.clear();
  return Status::Ok();
}

}  // namespace aih::store::postgres
