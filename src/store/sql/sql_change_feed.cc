#include "store/sql/sql_change_feed.h"

#include <algorithm>

namespace aih::store::sql {
namespace {

// A row of SqlChangeFeed::kColumns.
Change ChangeOf(const Row& row) {
  Change c;
  c.seq = row.Int(0);
  c.tenant_id = row.String(1);
  c.user_id = row.String(2);
  c.interaction_id = row.String(3);
  c.type = static_cast<ChangeType>(row.Int(4));
  c.ticks = row.Int(5);
  return c;
}

}  // namespace

Result<std::vector<Change>> SqlChangeFeed::Claim(const std::string& consumer, int limit,
                                                 std::chrono::milliseconds lease) {
  std::vector<Change> out;
  Status s = db_.Autocommit([&](Session& c) {
    out.clear();
    return c.Query(claim_, {consumer, static_cast<int64_t>(lease.count()), int64_t{limit}},
                   [&](const Row& row) { out.push_back(ChangeOf(row)); });
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end(), [](const Change& a, const Change& b) { return a.seq < b.seq; });
  return out;
}

Result<int64_t> SqlChangeFeed::Update(const std::string& sql, const std::string& consumer,
                                      const std::vector<int64_t>& seqs) {
  if (seqs.empty()) return int64_t{0};
  int64_t n = 0;
  const std::string list = JsonArray(seqs);
  Status s = db_.Autocommit([&](Session& c) {
    return c.Query(sql + " AND seq IN (SELECT CAST(value AS bigint) FROM (" + c.dialect().JsonValues("$2") + ") seqs)",
                   {consumer, list}, nullptr, &n);
  });
  if (!s.ok()) return s;
  return n;
}

Result<int64_t> SqlChangeFeed::Complete(const std::string& consumer, const std::vector<int64_t>& seqs) {
  return Update("DELETE FROM changes WHERE claimed_by = $1", consumer, seqs);
}

Result<int64_t> SqlChangeFeed::Release(const std::string& consumer, const std::vector<int64_t>& seqs) {
  return Update("UPDATE changes SET claimed_by = NULL, lease_until = " + std::string(db_.dialect().no_lease) +
                    " WHERE claimed_by = $1",
                consumer, seqs);
}

Result<std::vector<Change>> SqlChangeFeed::Peek(int limit) {
  std::vector<Change> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(std::string("SELECT ") + kColumns + " FROM changes ORDER BY seq LIMIT $1", {int64_t{limit}},
                   [&](const Row& row) { out.push_back(ChangeOf(row)); });
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace aih::store::sql
