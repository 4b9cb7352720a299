#include "store/sql/sql_audit_log.h"

#include <algorithm>
#include <limits>

namespace aih::store::sql {
namespace {

constexpr size_t kAuditColumns = 11;
// Rows per INSERT: a batch of the recorder's is a few statements, each far below any parameter limit.
constexpr size_t kRowsPerInsert = 50;

AuditActor ActorOf(std::string_view text) {
  for (AuditActor a : {AuditActor::kAdminKey, AuditActor::kAnonymous, AuditActor::kApp, AuditActor::kUser,
                       AuditActor::kSystem, AuditActor::kOperator}) {
    if (text == ToString(a)) return a;
  }
  return AuditActor::kSystem;
}

std::string AuditParam(size_t n) { return "$" + std::to_string(n); }

}  // namespace

Status AppendAudit(Session& c, const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  // Sequence numbers are taken in commit order: a reader paging by them never passes one that an
  // open transaction still holds (PostgreSQL's identity would otherwise hand them out of order).
  AIH_RETURN_IF_ERROR(c.SerialiseOn("aihistory audit log"));
  for (size_t at = 0; at < entries.size(); at += kRowsPerInsert) {
    const size_t n = std::min(kRowsPerInsert, entries.size() - at);
    std::string sql =
        "INSERT INTO audit_log (created_ms, tenant_id, actor_kind, actor_id, action, target, request_id, outcome,"
        " status, item_count, details) VALUES ";
    Args args;
    args.reserve(n * kAuditColumns);
    for (size_t i = 0; i < n; ++i) {
      const AuditEntry& e = entries[at + i];
      sql += i ? ",(" : "(";
      for (size_t col = 1; col <= kAuditColumns; ++col) sql += (col > 1 ? "," : "") + AuditParam(i * kAuditColumns + col);
      sql += ')';
      args.emplace_back(e.time_ms);
      args.emplace_back(e.tenant_id);
      args.emplace_back(std::string(ToString(e.actor_kind)));
      args.emplace_back(e.actor_id);
      args.emplace_back(e.action);
      args.emplace_back(e.target);
      args.emplace_back(e.request_id);
      args.emplace_back(std::string(e.success ? "success" : "failure"));
      args.emplace_back(int64_t{e.status});
      args.emplace_back(e.count);
      args.emplace_back(e.details.empty() ? std::string("{}") : e.details);
    }
    AIH_RETURN_IF_ERROR(c.Query(sql, args));
  }
  return Status::Ok();
}

Status SqlAuditLog::Append(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  return db_.Transaction([&](Session& c) { return AppendAudit(c, entries); });
}

Status SqlAuditLog::Page(const AuditQuery& q, const std::function<bool(const AuditEntry&)>& emit) {
  Args args{q.after_seq};
  std::string where = " WHERE seq > $1";
  if (!q.tenant_id.empty()) {
    args.emplace_back(q.tenant_id);
    where += " AND tenant_id = " + AuditParam(args.size());
  }
  if (q.filter.from_ms != std::numeric_limits<int64_t>::min()) {
    args.emplace_back(q.filter.from_ms);
    where += " AND created_ms >= " + AuditParam(args.size());
  }
  if (q.filter.until_ms != std::numeric_limits<int64_t>::max()) {
    args.emplace_back(q.filter.until_ms);
    where += " AND created_ms < " + AuditParam(args.size());
  }
  for (const odata::AuditFilter::Equals& e : q.filter.equals) {
    // The column names come from AuditFilter's fixed list, never from the request.
    args.emplace_back(e.value);
    where += " AND " + e.column + " = " + AuditParam(args.size());
  }
  for (const std::string& prefix : q.filter.action_prefixes) {
    args.emplace_back(prefix);
    where += " AND substr(action, 1, " + std::to_string(prefix.size()) + ") = " + AuditParam(args.size());
  }
  args.emplace_back(int64_t{q.limit});
  const std::string sql =
      "SELECT seq, created_ms, tenant_id, actor_kind, actor_id, action, target, request_id, outcome, status,"
      " item_count, details FROM audit_log" + where + " ORDER BY seq LIMIT " + AuditParam(args.size());
  // Read into memory first: a Read may run twice, and the caller's emit must see each entry once.
  std::vector<AuditEntry> page;
  AIH_RETURN_IF_ERROR(db_.Read([&](Session& c) {
    page.clear();
    return c.Query(sql, args, [&](const Row& row) {
      AuditEntry e;
      e.seq = row.Int(0);
      e.time_ms = row.Int(1);
      e.tenant_id = row.String(2);
      e.actor_kind = ActorOf(row.Text(3));
      e.actor_id = row.String(4);
      e.action = row.String(5);
      e.target = row.String(6);
      e.request_id = row.String(7);
      e.success = row.Text(8) == "success";
      e.status = static_cast<int>(row.Int(9));
      e.count = row.Int(10);
      e.details = row.String(11);
      page.push_back(std::move(e));
    });
  }));
  for (const AuditEntry& e : page) {
    if (!emit(e)) break;
  }
  return Status::Ok();
}

Result<int64_t> SqlAuditLog::Expire(int64_t before_ms, int limit) {
  int64_t removed = 0;
  Status s = db_.Transaction([&](Session& c) {
    removed = 0;
    return c.Query(
        "DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE created_ms < $1 ORDER BY seq LIMIT $2)",
        {before_ms, int64_t{limit}}, nullptr, &removed);
  });
  if (!s.ok()) return s;
  return removed;
}

}  // namespace aih::store::sql
