#include "store/postgres/postgres_change_feed.h"

#include <algorithm>

namespace aih::store::postgres {
namespace {

constexpr const char* kColumns = "seq, tenant_id, user_id, interaction_id, change_type, created_ticks";

std::vector<Change> ToChanges(const Rows& rows) {
  std::vector<Change> out(rows.size());
  for (int r = 0; r < rows.size(); ++r) {
    Change& c = out[r];
    c.seq = rows.Int(r, 0);
    c.tenant_id = rows.Text(r, 1);
    c.user_id = rows.Text(r, 2);
    c.interaction_id = rows.Text(r, 3);
    c.type = static_cast<ChangeType>(rows.Int(r, 4));
    c.ticks = rows.Int(r, 5);
  }
  std::sort(out.begin(), out.end(), [](const Change& a, const Change& b) { return a.seq < b.seq; });
  return out;
}

}  // namespace

Result<std::vector<Change>> PostgresChangeFeed::Claim(const std::string& consumer, int limit,
                                                      std::chrono::milliseconds lease) {
  std::vector<Change> out;
  Status s = db_.Run([&](Connection& c) {
    Params p;
    p.Text(std::string_view(consumer)).Int64(lease.count()).Int64(limit);
    auto rows = c.Query(
        std::string("UPDATE changes c SET claimed_by = $1,"
                    " lease_until = clock_timestamp() + $2::float8 * interval '1 millisecond'"
                    " FROM (SELECT tenant_id, seq FROM changes WHERE lease_until <= clock_timestamp()"
                    " ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED) AS pick"
                    " WHERE c.tenant_id = pick.tenant_id AND c.seq = pick.seq RETURNING ") +
            "c.seq, c.tenant_id, c.user_id, c.interaction_id, c.change_type, c.created_ticks",
        p);
    if (!rows.ok()) return rows.status();
    out = ToChanges(*rows);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> PostgresChangeFeed::Update(const std::string& sql, const std::string& consumer,
                                           const std::vector<int64_t>& seqs) {
  if (seqs.empty()) return int64_t{0};
  int64_t n = 0;
  Status s = db_.Run([&](Connection& c) {
    BinaryArray array(kInt8);
    for (int64_t seq : seqs) array.Add(seq);
    Params p;
    p.Text(std::string_view(consumer)).Array(std::move(array));
    auto rows = c.Query(sql, p);
    if (!rows.ok()) return rows.status();
    n = rows->affected();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

Result<int64_t> PostgresChangeFeed::Complete(const std::string& consumer, const std::vector<int64_t>& seqs) {
  return Update("DELETE FROM changes WHERE seq = ANY($2::int8[]) AND claimed_by = $1", consumer, seqs);
}

Result<int64_t> PostgresChangeFeed::Release(const std::string& consumer, const std::vector<int64_t>& seqs) {
  return Update(
      "UPDATE changes SET claimed_by = NULL, lease_until = 'epoch'"
      " WHERE seq = ANY($2::int8[]) AND claimed_by = $1",
      consumer, seqs);
}

Result<std::vector<Change>> PostgresChangeFeed::Peek(int limit) {
  std::vector<Change> out;
  Status s = db_.Run([&](Connection& c) {
    Params p;
    p.Int64(limit);
    auto rows = c.Query(std::string("SELECT ") + kColumns + " FROM changes ORDER BY seq LIMIT $1", p);
    if (!rows.ok()) return rows.status();
    out = ToChanges(*rows);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace aih::store::postgres
