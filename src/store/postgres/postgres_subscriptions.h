// PostgresSubscriptions: SubscriptionStore on PostgreSQL (see subscription_store.h), shared by every
// server.
//
// Creating a subscription takes a per-tenant advisory lock for its transaction, so the quota counts
// and the insert are atomic across servers. Payloads are stored once per tenant and digest, shared by
// the entries that carry them (as on SQLite), and deleted with the last of those entries. A claim is one UPDATE whose WHERE clause re-checks that
// the entry is still due: two servers claiming at once contend on the row locks, and the second finds
// the first one's lease and skips the entry. Leases are timed by the caller's clock (now_ms).
#pragma once

#include "store/postgres/database.h"
#include "store/postgres/query.h"
#include "store/subscription_store.h"

namespace aih::store::postgres {

class PostgresSubscriptions final : public SubscriptionStore {
 public:
  explicit PostgresSubscriptions(Database& db) : db_(db) {}

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
  Result<std::vector<Subscription>> List(const std::string& where, const Args& args);

  Database& db_;
};

}  // namespace aih::store::postgres
