// PostgresOutbox: the notification outbox on PostgreSQL (sql/outbox.h), shared by every server.
//
// Payloads are stored once per tenant and digest, shared by the entries that carry them, and
// deleted with the last of those entries (their rows locked first, in key order). Enqueueing an entry
// with a once_key takes an advisory lock on it until commit, so two servers cannot both store it.
// A claim is one UPDATE ... RETURNING of a lease whose WHERE clause re-checks that the entry is
// still due: two servers claiming at once contend on the row locks, and the second finds the first
// one's lease and skips the entry (no SKIP LOCKED). Leases are timed by the caller's clock (now_ms).
#pragma once

#include "store/postgres/database.h"
#include "store/postgres/query.h"
#include "store/sql/outbox.h"

namespace aih::store::postgres {

class PostgresOutbox final : public sql::Outbox {
 public:
  explicit PostgresOutbox(Database& db) : db_(db) {}

  Status Insert(sql::Session& c, const OutboxEntry& entry) override;
  Status DropChangeBatches(sql::Session& c, const std::string& tenant_id, const std::string& subscription_id) override;

  Status Enqueue(const std::vector<OutboxEntry>& entries) override;
  Result<std::vector<OutboxEntry>> ClaimDue(const std::string& consumer, int64_t now_ms, int64_t lease_ms,
                                            int per_subscription, int limit,
                                            const std::vector<std::string>& skip) override;
  Status Settle(const std::string& consumer, const std::vector<Settlement>& settlements) override;
  Result<std::vector<OutboxEntry>> Pending(const std::string& tenant_id, const std::string& subscription_id,
                                           int limit) override;
  Result<int64_t> OutboxDepth() override;

 private:
  Database& db_;
};

}  // namespace aih::store::postgres
