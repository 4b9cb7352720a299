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

namespace {

// Runs `sql` (a statement of one key), unless the engine serialises every write transaction anyway.
Status RunKeyed(Session& s, std::string_view sql, const std::string& key) {
  if (sql.empty()) return Status::Ok();
  return s.Query(std::string(sql), {key});
}

}  // namespace

Status Session::SerialiseOn(const std::string& key) { return RunKeyed(*this, dialect().serialise_key, key); }

Status Session::SerialiseSharedOn(const std::string& key) {
  return RunKeyed(*this, dialect().serialise_key_shared, key);
}

}  // namespace aih::store::sql
