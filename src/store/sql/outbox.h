// Outbox: the notification outbox of the subscription store (subscription_store.h), written once
// for every SQL engine. SqlSubscriptions calls Insert and DropChangeBatches inside its own
// transactions; the claims are whole operations of their own.
//
// Payloads are stored once per tenant and digest (an upsert, which holds the payload row's lock
// until commit where the engine has row locks); an entry with a once_key serialises with the other
// enqueues of that key until commit (the dialect's serialise_key), so two servers cannot both store
// it. A claim is one UPDATE ... RETURNING of a lease whose WHERE clause re-checks that the entry is
// still due: two servers claiming at once contend on the row locks, and the second finds the first
// one's lease and skips the entry (no SKIP LOCKED, no FOR UPDATE across tenants: docs/scale-out.md).
// Leases are timed by the caller's clock (now_ms).
// Thread-safe: an Outbox holds nothing but its database.
#pragma once

#include <string>
#include <vector>

#include "store/sql/database.h"
#include "store/subscription_store.h"

namespace aih::store::sql {

// An entry from a row of entry_id, tenant_id, subscription_id, kind, url, (column 5: the payload or
// its id, the caller's to read), items, enqueued_ms, attempts, next_attempt_ms, once_key.
OutboxEntry OutboxEntryOf(const Row& row);

class Outbox {
 public:
  explicit Outbox(Database& db) : db_(db) {}

  // Inside `c`'s transaction: stores `entries` as SubscriptionStore::Enqueue does.
  Status Insert(Session& c, const std::vector<OutboxEntry>& entries);
  // Inside `c`'s transaction: deletes the subscription's pending change batches, and the payloads
  // no entry carries any more (their rows locked first, in key order, then their entries counted).
  Status DropChangeBatches(Session& c, const std::string& tenant_id, const std::string& subscription_id);

  // SubscriptionStore's claims. The skipped subscriptions are bound as one JSON array.
  Result<std::vector<OutboxEntry>> ClaimDue(const std::string& consumer, int64_t now_ms, int64_t lease_ms,
                                            int per_subscription, int limit, const std::vector<std::string>& skip);
  Status Settle(const std::string& consumer, const std::vector<Settlement>& settlements);

 private:
  Database& db_;
};

}  // namespace aih::store::sql
