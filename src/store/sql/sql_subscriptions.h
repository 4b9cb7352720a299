// SqlSubscriptions: SubscriptionStore written once over the SQL seam (see subscription_store.h), the
// outbox left to the engine (outbox.h).
//
// Creating a subscription serialises the creations of its tenant until commit (the dialect's
// serialise_key: SQLite's single writer already does; PostgreSQL takes an advisory lock), so the
// quota counts and the insert are atomic across servers. A conditional update or delete is one
// statement whose WHERE clause re-checks the version: two servers at once contend on the row, and
// the second finds the version moved on and changes nothing. Leases are timed by the caller's clock.
// Thread-safe: it holds nothing but the Database and the Outbox.
#pragma once

#include <string>
#include <unordered_map>

#include "store/sql/database.h"
#include "store/sql/outbox.h"
#include "store/subscription_store.h"

namespace aih::store::sql {

// Which tenants of one interaction write want its changes recorded (change_feed.h: those with a
// subscription), each asked once, inside the write's transaction. Asking takes the tenant's
// subscriptions key shared, so the write is ordered with the tenant's subscription creations, which
// take it alone: a creation committed first is seen; a later one waits for the write to end. (Without
// that, a change written just after a subscription was made could go unrecorded.)
// One per write transaction; not thread-safe.
class TenantsWantingChanges {
 public:
  Result<bool> Wants(Session& s, const std::string& tenant_id);

 private:
  std::unordered_map<std::string, bool> asked_;
};

class SqlSubscriptions final : public SubscriptionStore {
 public:
  SqlSubscriptions(Database& db, Outbox& outbox) : db_(db), outbox_(outbox) {}

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
                                            const std::vector<std::string>& skip) override {
    return outbox_.ClaimDue(consumer, now_ms, lease_ms, per_subscription, limit, skip);
  }
  Status Settle(const std::string& consumer, const std::vector<Settlement>& settlements) override {
    return outbox_.Settle(consumer, settlements);
  }
  Result<std::vector<OutboxEntry>> Pending(const std::string& tenant_id, const std::string& subscription_id,
                                           int limit) override;
  Result<int64_t> OutboxDepth() override;

 private:
  Result<std::vector<Subscription>> List(const std::string& where, const Args& args);
  // Deletes the subscription (with `version`: only while at that version) and its pending change
  // batches, and enqueues `farewell`; returns whether it was deleted.
  Result<bool> Delete(Session& c, const std::string& tenant_id, const std::string& id, std::optional<int64_t> version,
                      const std::optional<OutboxEntry>& farewell);

  Database& db_;
  Outbox& outbox_;
};

}  // namespace aih::store::sql
