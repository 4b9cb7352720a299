// SqliteOutbox: the notification outbox on the embedded SQLite database (sql/outbox.h). Every
// operation below is a job of the single WriteQueue, so it is serialised with every other writer.
#pragma once

#include "store/sql/outbox.h"
#include "store/sqlite/database.h"

namespace aih::store::sqlite {

class SqliteOutbox final : public sql::Outbox {
 public:
  explicit SqliteOutbox(Database& db) : db_(db) {}

  // A payload is stored once per tenant and digest; a once_key is looked up, then inserted: no other
  // writer can come between the two.
  Status Insert(sql::Session& c, const std::vector<OutboxEntry>& entries) override;
  // The payloads the deleted batches carried go too, once no entry carries them.
  Status DropChangeBatches(sql::Session& c, const std::string& tenant_id, const std::string& subscription_id) override;
  // One UPDATE ... RETURNING of a lease (the skipped subscriptions bound as one JSON array).
  Result<std::vector<OutboxEntry>> ClaimDue(const std::string& consumer, int64_t now_ms, int64_t lease_ms,
                                            int per_subscription, int limit,
                                            const std::vector<std::string>& skip) override;
  Status Settle(const std::string& consumer, const std::vector<Settlement>& settlements) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sqlite
