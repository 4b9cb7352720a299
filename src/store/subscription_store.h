// SubscriptionStore: change-notification subscriptions and the outbox of notifications still to be
// delivered (section 7 of the contract).
//
// A Subscription is what an application asked for with POST /subscriptions. Its outbox entries are
// batches of notifications for one receiver, written by the notification worker once it has routed
// changes of the change feed, and removed when the receiver has acknowledged them (or they were
// dropped). Entries are leased like changes: ClaimDue hides an entry from every other claimer until
// its lease ends, so an entry whose server died mid-delivery is delivered by the next claimer: at
// least once. Every key leads with tenant_id (distributed engines shard by it); writes are durable
// when they return; reads see the latest commit (nothing is cached).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/change_feed.h"

namespace aih::store {

// A subscription's changeType as a set of bits.
constexpr uint8_t ChangeTypeBit(ChangeType type) { return static_cast<uint8_t>(1u << static_cast<int>(type)); }

struct Subscription {
  std::string tenant_id;
  std::string id;                          // lower-case GUID
  std::string app_id;                      // the subscribing application (client id)
  std::string creator_id;                  // the signed-in user (delegated) or the app id (application)
  bool delegated = false;                  // created with a delegated token, for the signed-in user's own data
  std::string user_id;                     // per-user: the owner's object id; empty: tenant-wide
  std::string resource;                    // as shown to the app, with its ?$filter= if any
  std::string filter;                      // canonical $filter text; empty: every interaction
  uint8_t change_types = 0;                // ChangeTypeBit()s
  std::string notification_url;
  std::string lifecycle_notification_url;  // empty: none
  std::string client_state;                // empty: none
  bool include_resource_data = false;
  std::string encryption_certificate;      // base64 of the DER X.509 certificate (rich notifications)
  std::string encryption_certificate_id;
  std::string latest_supported_tls_version = "v1_2";  // v1_0 .. v1_3: kept and returned, as Graph does
  std::string notification_url_app_id;     // empty: none; kept and returned, as Graph does
  int64_t expiration_ms = 0;               // unix milliseconds
  int64_t created_ms = 0;
  // When the reauthorizationRequired event was queued; 0: not since the last renewal.
  int64_t reauthorization_notified_ms = 0;
  // Counts the subscription's changes: 1 when created, one more with every update. Assigned by the
  // store (ignored by Create); the conditional transitions below compare it.
  int64_t version = 0;
};

// The quotas of section 7, counted over live subscriptions (not yet expired) when one is created.
struct SubscriptionQuotas {
  int tenant_wide_per_app = 1;  // per application per tenant
  int per_app_per_user = 1;
  int per_user = 10;            // all applications together
  int per_tenant = 10'000;
};

// Changes to a subscription; absent members stay as they are.
struct SubscriptionPatch {
  std::optional<int64_t> expiration_ms;               // a renewal: also resets reauthorization_notified_ms
  std::optional<int64_t> reauthorization_notified_ms;
};

enum class OutboxKind { kChanges = 0, kLifecycle = 1 };

// One POST waiting for its receiver.
struct OutboxEntry {
  std::string tenant_id;
  std::string subscription_id;
  int64_t entry_id = 0;        // assigned by Enqueue: unique in the store, increasing
  OutboxKind kind = OutboxKind::kChanges;
  std::string url;             // where it goes
  // kChanges: the routed changes (notify/routed_change.h), rendered for the subscription at delivery;
  // kLifecycle: the complete body, sent as it is (so it outlives a removed subscription).
  std::string payload;
  int items = 0;               // notifications in the payload
  int64_t enqueued_ms = 0;     // when the first attempt was due (retries stop 4 hours later)
  int attempts = 0;            // failed attempts so far
  int64_t next_attempt_ms = 0;
  // Not empty: at most one entry of the subscription with this key waits in the outbox at a time.
  // Storing another one (Enqueue, a Remove farewell, a Settle replacement) while one waits does
  // nothing, whichever server tries: several servers dropping batches of one dead receiver tell it
  // `missed` once, not once each. Cleared when the entry is delivered or dropped.
  std::string once_key;
};

// What became of a claimed entry.
struct Settlement {
  enum class Outcome { kDelivered, kRetry, kDropped };
  std::string tenant_id;
  std::string subscription_id;
  int64_t entry_id = 0;
  Outcome outcome = Outcome::kDelivered;
  int64_t next_attempt_ms = 0;               // kRetry: when to try again (attempts is incremented)
  std::optional<OutboxEntry> replacement;    // kDropped: enqueued in its place (the `missed` event)
};

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;

  // ---- Subscriptions ----

  // Stores a new subscription unless a quota is full; the counting and the insert are one atomic
  // step, so concurrent creations (on any server) never exceed a quota. A full quota is kForbidden
  // naming it; an existing id is kConflict. Subscriptions expired at `now_ms` do not count.
  virtual Status Create(const Subscription& subscription, const SubscriptionQuotas& quotas, int64_t now_ms) = 0;
  virtual Result<Subscription> Get(const std::string& tenant_id, const std::string& id) = 0;  // kNotFound
  // The subscriptions of one application in a tenant, by id.
  virtual Result<std::vector<Subscription>> ListByApp(const std::string& tenant_id, const std::string& app_id) = 0;
  // Every subscription of a tenant that has not expired at `now_ms`, by id (routing changes).
  virtual Result<std::vector<Subscription>> ListLive(const std::string& tenant_id, int64_t now_ms) = 0;
  // Up to `limit` subscriptions of every tenant after the key (after_tenant, after_id), in key order
  // (the monitor's sweep; start with two empty strings).
  virtual Result<std::vector<Subscription>> Scan(const std::string& after_tenant, const std::string& after_id,
                                                 int limit) = 0;
  // kNotFound when it does not exist; returns the subscription as stored afterwards (its version one
  // more). Unconditional: the application's own renewal wins over whatever a monitor decided earlier.
  virtual Result<Subscription> Update(const std::string& tenant_id, const std::string& id,
                                      const SubscriptionPatch& patch) = 0;
  // Removes the subscription and its pending kChanges entries, and enqueues `farewell` (a lifecycle
  // event such as subscriptionRemoved), all in one transaction. kNotFound (and nothing enqueued) when
  // it does not exist.
  virtual Status Remove(const std::string& tenant_id, const std::string& id,
                        const std::optional<OutboxEntry>& farewell) = 0;

  // Conditional transitions, for deciders that act on a subscription they read earlier: the lifecycle
  // monitor that every server runs. Each applies only if the subscription is still at `version`, and
  // its event is enqueued in the same transaction, so of several servers deciding from the same
  // reading exactly one wins (true) and tells the receiver; the others get false and change nothing.
  // A subscription changed since (renewed, say) or gone is false too: decide again from a new reading.
  virtual Result<bool> UpdateIfUnchanged(const std::string& tenant_id, const std::string& id, int64_t version,
                                         const SubscriptionPatch& patch, const std::optional<OutboxEntry>& event) = 0;
  // Remove(), only if still at `version`.
  virtual Result<bool> RemoveIfUnchanged(const std::string& tenant_id, const std::string& id, int64_t version,
                                         const std::optional<OutboxEntry>& farewell) = 0;

  // ---- The outbox ----

  // Stores the entries (entry_id is assigned; attempts start at 0) in one transaction.
  virtual Status Enqueue(const std::vector<OutboxEntry>& entries) = 0;

  // Leases to `consumer` the entries due at `now_ms` (next_attempt_ms <= now_ms), oldest first: at
  // most `per_subscription` of each subscription and `limit` in all, none of the subscriptions in
  // `skip` (those the consumer is busy with or backing off from). A claimed entry's next_attempt_ms
  // becomes now_ms + lease_ms, so it is due again, for anyone, if its consumer never settles it.
  virtual Result<std::vector<OutboxEntry>> ClaimDue(const std::string& consumer, int64_t now_ms, int64_t lease_ms,
                                                    int per_subscription, int limit,
                                                    const std::vector<std::string>& skip) = 0;

  // Applies the outcomes in one transaction: kDelivered removes the entry; kRetry and kDropped act only
  // on entries `consumer` still holds (another claimer may have taken over an expired lease).
  virtual Status Settle(const std::string& consumer, const std::vector<Settlement>& settlements) = 0;

  // Up to `limit` entries of one subscription (empty: of every subscription of the tenant), by
  // entry_id, claimed or not: for inspection and tests, never for delivery.
  virtual Result<std::vector<OutboxEntry>> Pending(const std::string& tenant_id, const std::string& subscription_id,
                                                   int limit) = 0;

  // How many entries the outbox holds (due, leased or backing off), for the metrics at scrape time.
  virtual Result<int64_t> OutboxDepth() { return Status::Unavailable("this store does not count its outbox"); }
};

}  // namespace aih::store
