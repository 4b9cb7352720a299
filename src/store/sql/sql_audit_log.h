// SqlAuditLog: AuditLog written once over the SQL seam (see audit_log.h), and the append that
// another store's transaction makes to record what it does in the same commit (the deletion path).
// Thread-safe: it holds nothing but the Database.
#pragma once

#include <vector>

#include "store/audit_log.h"
#include "store/sql/database.h"

namespace aih::store::sql {

// Appends `entries` inside the caller's write transaction, after every other transaction appending
// to the audit log has ended (the order readers page by).
Status AppendAudit(Session& c, const std::vector<AuditEntry>& entries);

class SqlAuditLog final : public AuditLog {
 public:
  explicit SqlAuditLog(Database& db) : db_(db) {}

  Status Append(const std::vector<AuditEntry>& entries) override;
  Status Page(const AuditQuery& query, const std::function<bool(const AuditEntry&)>& emit) override;
  Result<int64_t> Expire(int64_t before_ms, int limit) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sql
