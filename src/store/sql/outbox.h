// Outbox: the engine's part of the subscription store, the notification outbox (subscription_store.h).
//
// What stays engine-specific is how entries are claimed, how payloads are shared between entries
// and deleted with the last of them, and what serialises two servers enqueueing the same once_key:
// the very things distributed PostgreSQL engines do differently (docs/scale-out.md). SqlSubscriptions
// calls Insert and DropChangeBatches inside its own transactions (on the Session it was lent, which
// the engine created); the claims are whole operations of their own. The rest of the outbox (what
// waits, how much) is read the same way on every engine: SqlSubscriptions does it.
// Thread-safe: an Outbox holds nothing but its engine's database.
#pragma once

#include <string>
#include <vector>

#include "store/sql/database.h"
#include "store/subscription_store.h"

namespace aih::store::sql {

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Inside `c`'s transaction: stores `entries` as SubscriptionStore::Enqueue does.
  virtual Status Insert(Session& c, const std::vector<OutboxEntry>& entries) = 0;
  // Inside `c`'s transaction: deletes the subscription's pending change batches, and the payloads
  // no entry carries any more.
  virtual Status DropChangeBatches(Session& c, const std::string& tenant_id, const std::string& subscription_id) = 0;

  // SubscriptionStore's claims.
  virtual Result<std::vector<OutboxEntry>> ClaimDue(const std::string& consumer, int64_t now_ms, int64_t lease_ms,
                                                    int per_subscription, int limit,
                                                    const std::vector<std::string>& skip) = 0;
  virtual Status Settle(const std::string& consumer, const std::vector<Settlement>& settlements) = 0;
};

}  // namespace aih::store::sql
