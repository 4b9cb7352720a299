#include "store/sqlite/sqlite_change_feed.h"

namespace aih::store::sqlite {

Result<std::vector<Change>> SqliteChangeFeed::ReadAfter(int64_t after_seq, int limit) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  auto stmt = (*conn)->Prepare(
      "SELECT seq, tenant_id, user_id, interaction_id, change_type, created_ticks FROM changes"
      " WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after_seq);
  stmt->Bind(2, static_cast<int64_t>(limit));
  std::vector<Change> out;
  Status status;
  while (stmt->Step(&status)) {
    Change c;
    c.seq = stmt->Int(0);
    c.tenant_id = stmt->Text(1);
    c.user_id = stmt->Text(2);
    c.interaction_id = stmt->Text(3);
    c.type = static_cast<ChangeType>(stmt->Int(4));
    c.ticks = stmt->Int(5);
    out.push_back(std::move(c));
  }
  if (!status.ok()) return status;
  return out;
}

Status SqliteChangeFeed::Acknowledge(const std::string& consumer, int64_t seq) {
  return db_.Write([&](Connection& c) {
    auto stmt = c.Prepare(
        "INSERT INTO change_consumers (name, seq) VALUES (?1, ?2)"
        " ON CONFLICT (name) DO UPDATE SET seq = max(seq, excluded.seq)");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, std::string_view(consumer));
    stmt->Bind(2, seq);
    AIH_RETURN_IF_ERROR(stmt->Run());
    // Changes every consumer has handled are no longer needed.
    return c.Exec("DELETE FROM changes WHERE seq <= (SELECT min(seq) FROM change_consumers)");
  });
}

Result<int64_t> SqliteChangeFeed::Position(const std::string& consumer) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  auto stmt = (*conn)->Prepare("SELECT seq FROM change_consumers WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, std::string_view(consumer));
  Status status;
  int64_t seq = stmt->Step(&status) ? stmt->Int(0) : 0;
  if (!status.ok()) return status;
  return seq;
}

}  // namespace aih::store::sqlite
