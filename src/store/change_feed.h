// ChangeFeed: the durable, ordered log of interaction changes, written in the same transaction as
// the change itself (the transactional outbox of DESIGN.md decision 4). A change names the
// interaction; consumers read its current JSON with InteractionStore::Get (small rows keep ingest fast).
//
// Consumers (the notification worker) read changes after a sequence number and acknowledge what
// they have fully handed on; acknowledged changes may be pruned.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace aih::store {

enum class ChangeType { kCreated, kUpdated, kDeleted };
const char* ToString(ChangeType type);  // "created", "updated", "deleted"

struct Change {
  int64_t seq = 0;  // strictly increasing in commit order
  std::string tenant_id;
  std::string user_id;
  std::string interaction_id;
  ChangeType type = ChangeType::kCreated;
  int64_t ticks = 0;  // createdDateTime of the interaction (for routing without reading it)
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // Up to `limit` changes with seq > after_seq, in seq order.
  virtual Result<std::vector<Change>> ReadAfter(int64_t after_seq, int limit) = 0;
  // The consumer named `consumer` has handled everything up to `seq`; returns its last position.
  virtual Status Acknowledge(const std::string& consumer, int64_t seq) = 0;
  virtual Result<int64_t> Position(const std::string& consumer) = 0;
};

}  // namespace aih::store
