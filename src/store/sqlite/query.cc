#include "store/sqlite/query.h"

namespace aih::store::sqlite {

void BindAll(Statement& stmt, const Args& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (auto* text = std::get_if<std::string>(&args[i])) {
      stmt.Bind(static_cast<int>(i + 1), std::string_view(*text));
    } else {
      stmt.Bind(static_cast<int>(i + 1), std::get<int64_t>(args[i]));
    }
  }
}

Status Query(Connection& c, const std::string& sql, const Args& args,
             const std::function<void(const Statement&)>& row) {
  auto stmt = c.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  BindAll(*stmt, args);
  Status status;
  while (stmt->Step(&status)) {
    if (row) row(*stmt);
  }
  return status;
}

Status QueryPage(Connection& c, const PageSql& page, const std::function<bool(const PageRow&)>& emit) {
  auto stmt = c.Prepare(page.sql);
  if (!stmt.ok()) return stmt.status();
  BindAll(*stmt, page.params);
  Status status;
  while (stmt->Step(&status)) {
    if (!emit(PageRow{stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Int(3)})) break;
  }
  return status;
}

Result<bool> Exists(Connection& c, const std::string& sql, const Args& args) {
  bool found = false;
  Status s = Query(c, sql, args, [&](const Statement&) { found = true; });
  if (!s.ok()) return s;
  return found;
}

Result<int64_t> Count(Connection& c, const std::string& sql, const Args& args) {
  int64_t n = 0;
  Status s = Query(c, sql, args, [&](const Statement& row) { n = row.Int(0); });
  if (!s.ok()) return s;
  return n;
}

std::string Placeholder(int n) { return "?" + std::to_string(n); }

}  // namespace aih::store::sqlite
