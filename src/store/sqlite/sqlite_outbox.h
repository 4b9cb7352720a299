// SqliteOutbox: the notification outbox on the embedded SQLite database (sql/outbox.h).
//
// Every write is a job of the single WriteQueue, so a once_key's look and its insert, or a claim (an
// UPDATE ... RETURNING of a lease), are serialised with every other writer and atomic. A payload is
// stored once per tenant and digest and deleted with the last entry that carries it.
#pragma once

#include "store/sqlite/database.h"
#include "store/sql/outbox.h"

namespace aih::store::sqlite {

class SqliteOutbox final : public sql::Outbox {
 public:
  explicit SqliteOutbox(Database& db) : db_(db) {}

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

}  // namespace aih::store::sqlite
