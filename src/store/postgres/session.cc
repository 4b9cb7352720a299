#include "store/postgres/session.h"

namespace aih::store::postgres {
namespace {

class PostgresRow final : public sql::Row {
 public:
  PostgresRow(const Rows& rows, int r) : rows_(rows), r_(r) {}
  std::string_view Text(int col) const override { return rows_.Text(r_, col); }
  int64_t Int(int col) const override { return rows_.Int(r_, col); }
  bool Bool(int col) const override { return rows_.Bool(r_, col); }
  bool IsNull(int col) const override { return rows_.IsNull(r_, col); }

 private:
  const Rows& rows_;
  int r_;
};

class PostgresSession final : public sql::Session {
 public:
  explicit PostgresSession(Connection& c) : c_(c) {}

  Status Query(const std::string& sql, const sql::Args& args, const sql::RowFn& row, int64_t* affected) override {
    AIH_ASSIGN_OR_RETURN(const Params params, ParamsOf(args));
    auto rows = c_.Query(sql, params);
    if (!rows.ok()) return rows.status();
    if (row) {
      for (int r = 0; r < rows->size(); ++r) row(PostgresRow(*rows, r));
    }
    if (affected) *affected = rows->affected();
    return Status::Ok();
  }
  const sql::Dialect& dialect() const override { return sql::PostgresDialect(); }

 private:
  Connection& c_;
};

// `work` over the connection of an engine call.
Database::Work OnSession(const sql::Work& work) {
  return [&work](Connection& c) {
    PostgresSession session(c);
    return work(session);
  };
}

}  // namespace

Result<Params> ParamsOf(const sql::Args& args) {
  Params params;
  for (const sql::Value& v : args) {
    if (auto* text = std::get_if<std::string>(&v)) {
      if (text->find('\0') != std::string::npos) {
        return Status::BadRequest("text containing a NUL character cannot be stored or looked up; remove it");
      }
      params.Text(std::string_view(*text));
    } else if (auto* number = std::get_if<int64_t>(&v)) {
      params.Int64(*number);
    } else if (auto* blob = std::get_if<sql::Blob>(&v)) {
      params.Bytes(blob->bytes);
    } else {
      params.Null(kText);
    }
  }
  return params;
}

const char* const kChangeClaim =
    "UPDATE changes c SET claimed_by = $1, lease_until = clock_timestamp() + $2::float8 * interval '1 millisecond'"
    " FROM (SELECT tenant_id, seq FROM changes WHERE lease_until <= clock_timestamp()"
    " ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED) AS pick"
    " WHERE c.tenant_id = pick.tenant_id AND c.seq = pick.seq"
    " RETURNING c.seq, c.tenant_id, c.user_id, c.interaction_id, c.change_type, c.created_ticks";

Status OnConnection(Connection& c, const sql::Work& work) {
  PostgresSession session(c);
  return work(session);
}

Status PostgresSql::Read(const sql::Work& work) { return engine_.Run(OnSession(work)); }
Status PostgresSql::Transaction(const sql::Work& work) { return engine_.Transaction(OnSession(work)); }
Status PostgresSql::GroupWrite(const sql::Work& work) { return engine_.Write(OnSession(work)); }

}  // namespace aih::store::postgres
