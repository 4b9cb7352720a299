#include "store/postgres/query.h"

#include <algorithm>

namespace aih::store::postgres {

Params ToParams(const Args& args) {
  Params p;
  for (const SqlValue& v : args) {
    if (auto* text = std::get_if<std::string>(&v)) {
      p.Text(std::string_view(*text));
    } else {
      p.Int64(std::get<int64_t>(v));
    }
  }
  return p;
}

Status Query(Connection& c, const std::string& sql, const Args& args, const std::function<void(const Row&)>& row,
             int64_t* affected) {
  const bool has_nul = std::any_of(args.begin(), args.end(), [](const SqlValue& v) {
    auto* text = std::get_if<std::string>(&v);
    return text && text->find('\0') != std::string::npos;
  });
  if (has_nul) return Status::BadRequest("text containing a NUL character cannot be stored or looked up; remove it");
  auto rows = c.Query(sql, ToParams(args));
  if (!rows.ok()) return rows.status();
  if (row) {
    for (int r = 0; r < rows->size(); ++r) row(Row{*rows, r});
  }
  if (affected) *affected = rows->affected();
  return Status::Ok();
}

Result<bool> Exists(Connection& c, const std::string& sql, const Args& args) {
  bool found = false;
  Status s = Query(c, sql, args, [&](const Row&) { found = true; });
  if (!s.ok()) return s;
  return found;
}

std::string Placeholder(int n) { return "$" + std::to_string(n); }

}  // namespace aih::store::postgres
