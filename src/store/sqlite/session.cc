#include "store/sqlite/session.h"

namespace aih::store::sqlite {
namespace {

class SqliteRow final : public sql::Row {
 public:
  explicit SqliteRow(const Statement& stmt) : stmt_(stmt) {}
  std::string_view Text(int col) const override { return stmt_.Text(col); }
  int64_t Int(int col) const override { return stmt_.Int(col); }
  bool Bool(int col) const override { return stmt_.Int(col) != 0; }
  bool IsNull(int col) const override { return stmt_.IsNull(col); }

 private:
  const Statement& stmt_;
};

class SqliteSession final : public sql::Session {
 public:
  explicit SqliteSession(Connection& c) : c_(c) {}

  Status Query(const std::string& sql, const sql::Args& args, const sql::RowFn& row, int64_t* affected) override {
    auto stmt = c_.Prepare(dialect().Spell(sql));
    if (!stmt.ok()) return stmt.status();
    BindArgs(*stmt, args);
    Status status;
    while (stmt->Step(&status)) {
      if (row) row(SqliteRow(*stmt));
    }
    if (status.ok() && affected) *affected = c_.Changes();
    return status;
  }
  const sql::Dialect& dialect() const override { return sql::SqliteDialect(); }

 private:
  Connection& c_;
};

}  // namespace

void BindArgs(Statement& stmt, const sql::Args& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (auto* text = std::get_if<std::string>(&args[i])) {
      stmt.Bind(index, std::string_view(*text));
    } else if (auto* number = std::get_if<int64_t>(&args[i])) {
      stmt.Bind(index, *number);
    } else if (auto* blob = std::get_if<sql::Blob>(&args[i])) {
      stmt.BindBlob(index, blob->bytes);
    } else {
      stmt.BindNull(index);
    }
  }
}

Status ReadPageRows(Connection& c, const PageSql& page, const std::function<bool(const PageRow&)>& emit) {
  auto stmt = c.Prepare(page.sql);
  if (!stmt.ok()) return stmt.status();
  BindArgs(*stmt, page.params);
  Status status;
  while (stmt->Step(&status)) {
    if (!emit(PageRow{stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Int(3)})) break;
  }
  return status;
}

// 'now' is this machine's clock in unix milliseconds, the same at every use within the statement.
#define AIH_SQLITE_NOW_MS "CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)"
const char* const kChangeClaim =
    "UPDATE changes SET claimed_by = $1, lease_until = " AIH_SQLITE_NOW_MS " + $2 WHERE seq IN"
    " (SELECT seq FROM changes WHERE lease_until <= " AIH_SQLITE_NOW_MS " ORDER BY seq LIMIT $3)"
    " RETURNING seq, tenant_id, user_id, interaction_id, change_type, created_ticks";
#undef AIH_SQLITE_NOW_MS

Status OnConnection(Connection& c, const sql::Work& work) {
  SqliteSession session(c);
  return work(session);
}

}  // namespace aih::store::sqlite
