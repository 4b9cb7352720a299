#include "store/sql/database.h"

namespace aih::store::sql {

Result<bool> Session::Exists(const std::string& sql, const Args& args) {
  bool found = false;
  Status s = Query(sql, args, [&](const Row&) { found = true; });
  if (!s.ok()) return s;
  return found;
}

Result<int64_t> Session::Count(const std::string& sql, const Args& args) {
  int64_t n = 0;
  Status s = Query(sql, args, [&](const Row& row) { n = row.Int(0); });
  if (!s.ok()) return s;
  return n;
}

Status Session::SerialiseOn(const std::string& key) {
  const std::string_view sql = dialect().serialise_key;
  if (sql.empty()) return Status::Ok();  // every write transaction is serialised already
  return Query(std::string(sql), {key});
}

}  // namespace aih::store::sql
