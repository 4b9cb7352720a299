#include "store/sqlite/sqlite_change_feed.h"

#include <algorithm>

namespace aih::store::sqlite {
namespace {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Change ReadChange(const Statement& stmt) {
  Change c;
  c.seq = stmt.Int(0);
  c.tenant_id = stmt.Text(1);
  c.user_id = stmt.Text(2);
  c.interaction_id = stmt.Text(3);
  c.type = static_cast<ChangeType>(stmt.Int(4));
  c.ticks = stmt.Int(5);
  return c;
}

// The seqs as a JSON array, bound as one parameter and read back with json_each.
std::string SeqList(const std::vector<int64_t>& seqs) {
  std::string out = "[";
  for (size_t i = 0; i < seqs.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(seqs[i]);
  }
  return out + "]";
}

}  // namespace

Result<std::vector<Change>> SqliteChangeFeed::Claim(const std::string& consumer, int limit,
                                                    std::chrono::milliseconds lease) {
  std::vector<Change> out;
  Status s = db_.Write([&](Connection& c) {
    out.clear();
    const int64_t now = NowMillis();
    auto stmt = c.Prepare(
        "UPDATE changes SET claimed_by = ?1, lease_until = ?2 WHERE seq IN"
        " (SELECT seq FROM changes WHERE lease_until <= ?3 ORDER BY seq LIMIT ?4)"
        " RETURNING seq, tenant_id, user_id, interaction_id, change_type, created_ticks");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, std::string_view(consumer));
    stmt->Bind(2, now + static_cast<int64_t>(lease.count()));
    stmt->Bind(3, now);
    stmt->Bind(4, static_cast<int64_t>(limit));
    Status status;
    while (stmt->Step(&status)) out.push_back(ReadChange(*stmt));
    return status;
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end(), [](const Change& a, const Change& b) { return a.seq < b.seq; });
  return out;
}

Result<int64_t> SqliteChangeFeed::Update(const std::string& sql, const std::string& consumer,
                                         const std::vector<int64_t>& seqs) {
  if (seqs.empty()) return int64_t{0};
  int64_t n = 0;
  const std::string list = SeqList(seqs);
  Status s = db_.Write([&](Connection& c) {
    auto stmt = c.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, std::string_view(consumer));
    stmt->Bind(2, std::string_view(list));
    AIH_RETURN_IF_ERROR(stmt->Run());
    n = c.Changes();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

Result<int64_t> SqliteChangeFeed::Complete(const std::string& consumer, const std::vector<int64_t>& seqs) {
  return Update("DELETE FROM changes WHERE claimed_by = ?1 AND seq IN (SELECT value FROM json_each(?2))",
                consumer, seqs);
}

Result<int64_t> SqliteChangeFeed::Release(const std::string& consumer, const std::vector<int64_t>& seqs) {
  return Update(
      "UPDATE changes SET claimed_by = NULL, lease_until = 0"
      " WHERE claimed_by = ?1 AND seq IN (SELECT value FROM json_each(?2))",
      consumer, seqs);
}

Result<std::vector<Change>> SqliteChangeFeed::Peek(int limit) {
  auto conn = db_.Read();
  if (!conn.ok()) return conn.status();
  auto stmt = (*conn)->Prepare(
      "SELECT seq, tenant_id, user_id, interaction_id, change_type, created_ticks FROM changes"
      " ORDER BY seq LIMIT ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(limit));
  std::vector<Change> out;
  Status status;
  while (stmt->Step(&status)) out.push_back(ReadChange(*stmt));
  if (!status.ok()) return status;
  return out;
}

}  // namespace aih::store::sqlite
