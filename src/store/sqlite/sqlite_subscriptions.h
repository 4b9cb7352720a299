// SqliteSubscriptions: SubscriptionStore on the embedded SQLite database (see subscription_store.h).
//
// Every write is a job of the single WriteQueue, so a quota check and its insert, or a claim, are
// serialised with every other writer and atomic; leases are timed by the caller's clock (now_ms).
#pragma once

#include "store/sqlite/database.h"
#include "store/subscription_store.h"

namespace aih::store::sqlite {

class SqliteSubscriptions final : public SubscriptionStore {
 public:
  explicit SqliteSubscriptions(Database& db) : db_(db) {}

  Status Create(const Subscription& subscription, const SubscriptionQuotas& quotas, int64_t now_ms) override;
  Result<Subscription> Get(const std::string& tenant_id, const std::string& id) override;
  Result<std::vector<Subscription>> ListByApp(const std::string& tenant_id, const std::string& app_id) override;
  Result<std::vector<Subscription>> ListLive(const std::string& tenant_id, int64_t now_ms) override;
  Result<std::vector<Subscription>> Scan(const std::string& after_tenant, const std::string& after_id,
                                         int limit) override;
  Result<Subscription> Update(const std::string& tenant_id, const std::string& id,
                              const SubscriptionPatch& patch) override;
  Status Remove(const std::string& tenant_id, const std::string& id,
                const std::optional<OutboxEntry>& farewell) override;
  Result<bool> UpdateIfUnchanged(const std::string& tenant_id, const std::string& id, int64_t version,
                                 const SubscriptionPatch& patch, const std::optional<OutboxEntry>& event) override;
  Result<bool> RemoveIfUnchanged(const std::string& tenant_id, const std::string& id, int64_t version,
                                 const std::optional<OutboxEntry>& farewell) override;

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
