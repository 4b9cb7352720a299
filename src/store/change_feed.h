// ChangeFeed: the durable queue of interaction changes, written in the same transaction as the
// change itself (the transactional outbox of DESIGN.md decision 4). A change names the interaction;
// consumers read what they need of it from the InteractionStore (Get, GetAppClass): small rows keep
// ingest fast.
//
// Consumers share the queue: Claim() leases pending changes to one consumer (a server's notification
// worker), and no other Claim() returns them until that lease expires; Complete() removes the changes
// the consumer has fully handed on (e.g. written to its outbox). A consumer that dies simply lets its
// leases expire, and its changes go to the next Claim() of any server: every change is delivered at
// least once, and exactly once when consumers complete within their lease. `seq` identifies a change
// (unique, never reused) but is no delivery order: with several servers a lower seq can commit after
// a higher one. A consumer that must not act twice on a redelivered change dedupes by seq.
//
// Created and updated interactions are recorded only for tenants that have a subscription (any,
// expired or not): a tenant nobody subscribed to pays no change rows. A write that commits after a
// subscription's creation committed is always recorded (SQLite: one writer; PostgreSQL: writes take
// the tenant's subscription lock shared, creations exclusive). Deletions are always recorded.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace aih::store {

enum class ChangeType { kCreated, kUpdated, kDeleted };
const char* ToString(ChangeType type);  // "created", "updated", "deleted"

struct Change {
  int64_t seq = 0;  // the change's identity (see above)
  std::string tenant_id;
  std::string user_id;
  std::string interaction_id;
  ChangeType type = ChangeType::kCreated;
  int64_t ticks = 0;  // createdDateTime of the interaction (for routing without reading it)
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;

  // Leases to `consumer` (a name unique to one worker, e.g. a random id per server) up to `limit`
  // changes nobody holds, or whose lease has expired, for `lease`; lowest seq first. Concurrent
  // claims, from any server, never return the same change. Empty: nothing pending now (poll again).
  virtual Result<std::vector<Change>> Claim(const std::string& consumer, int limit,
                                            std::chrono::milliseconds lease) = 0;

  // Removes the changes of `seqs` that `consumer` still holds; returns how many. Fewer than asked
  // means a lease expired and another consumer claimed (or completed) that change.
  virtual Result<int64_t> Complete(const std::string& consumer, const std::vector<int64_t>& seqs) = 0;

  // Hands back the changes of `seqs` that `consumer` holds, claimable again at once (a worker
  // shutting down, or one that could not hand them on); returns how many.
  virtual Result<int64_t> Release(const std::string& consumer, const std::vector<int64_t>& seqs) = 0;

  // Up to `limit` pending changes, held or not, lowest seq first, without claiming them: for
  // inspection and tests, never for delivery.
  virtual Result<std::vector<Change>> Peek(int limit) = 0;
};

}  // namespace aih::store
