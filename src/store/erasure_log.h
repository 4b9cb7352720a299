// ErasureLog: what was erased, kept on file after the content is gone (deletion.h records it).
//
// An erasure keeps the interaction's key, the hash of its content and who erased it when, never the
// content: enough to recognise the item if a re-import or a restored backup brings it back, and to
// show the operator that it was erased.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace aih::store {

struct Erasure {
  std::string tenant_id;
  std::string user_id;
  std::string id;
  uint64_t content_hash = 0;
  int64_t erased_ms = 0;
  std::string reason;  // "erasure" (the right to erasure) or "admin" (an admin delete)
  std::string actor;
};

// The key of one interaction of a tenant.
struct UserItemKey {
  std::string user_id;
  std::string id;
  friend bool operator==(const UserItemKey&, const UserItemKey&) = default;
};

class ErasureLog {
 public:
  virtual ~ErasureLog() = default;
  // The erasures among `keys` of tenant `tenant_id` (in no particular order).
  virtual Result<std::vector<Erasure>> Find(const std::string& tenant_id, const std::vector<UserItemKey>& keys) = 0;
  // A tenant's erasures (of one user when `user_id` is not empty), newest first, at most `limit`.
  virtual Result<std::vector<Erasure>> List(const std::string& tenant_id, const std::string& user_id, int limit) = 0;
};

}  // namespace aih::store
