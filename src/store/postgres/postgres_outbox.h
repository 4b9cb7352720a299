// PostgresOutbox: the notification outbox on PostgreSQL (sql/outbox.h), shared by every server.
// Leases are timed by the caller's clock (now_ms).
#pragma once

#include "store/postgres/database.h"
#include "store/postgres/query.h"
#include "store/sql/outbox.h"

namespace aih::store::postgres {

class PostgresOutbox final : public sql::Outbox {
 public:
  explicit PostgresOutbox(Database& db) : db_(db) {}

  // A payload is stored once per tenant and digest (an upsert, which holds its row lock until
  // commit); an entry with a once_key takes an advisory lock on it until commit, so two servers
  // cannot both store it.
  Status Insert(sql::Session& c, const std::vector<OutboxEntry>& entries) override;
  // The payloads the deleted batches carried go too, once no entry carries them: their rows are
  // locked first, in key order, then their entries counted.
  Status DropChangeBatches(sql::Session& c, const std::string& tenant_id, const std::string& subscription_id) override;
  // One UPDATE ... RETURNING of a lease whose WHERE clause re-checks that the entry is still due:
  // two servers claiming at once contend on the row locks, and the second finds the first one's
  // lease and skips the entry (no SKIP LOCKED).
  Result<std::vector<OutboxEntry>> ClaimDue(const std::string& consumer, int64_t now_ms, int64_t lease_ms,
                                            int per_subscription, int limit,
                                            const std::vector<std::string>& skip) override;
  Status Settle(const std::string& consumer, const std::vector<Settlement>& settlements) override;

 private:
  Database& db_;
};

}  // namespace aih::store::postgres
