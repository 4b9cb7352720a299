// Deletion: the one way interactions are deleted (the admin delete, erasure, retention).
//
// InteractionStore::Delete(Deletion) runs one transaction that
//   1. orders itself after any hold change of the tenant being committed (hold_store.h),
//   2. reads the items the deletion selects and the tenant's active holds,
//   3. refuses the whole deletion with kConflict naming the hold (kRefuse), or leaves the held items
//      alone (kSkip: retention), when an active hold covers any of them,
//   4. appends a `deleted` change per item to the change feed (change_feed.h),
//   5. records an erasure per item (erasure_log.h) unless it is a retention deletion,
//   6. and deletes the rows.
// All of it commits or none: after a crash nothing is half-deleted, and no held item is ever gone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/erasure_log.h"

namespace aih::store {

struct Deletion {
  enum class Scope {
    kOne,      // user_id's interaction `id`
    kSession,  // user_id's interactions of session `session_id`
    kUser,     // everything of user_id
    kKeys,     // the listed keys (a retention batch); at most kMaxKeys
  };
  enum class OnHold { kRefuse, kSkip };
  enum class Reason { kAdmin, kErasure, kRetention };
  static constexpr size_t kMaxKeys = 1000;

  std::string tenant_id;
  Scope scope = Scope::kOne;
  std::string user_id;
  std::string id;
  std::string session_id;
  std::vector<UserItemKey> keys;
  OnHold on_hold = OnHold::kRefuse;
  Reason reason = Reason::kAdmin;
  std::string actor;  // who asked ("admin", "cli", "retention"), for the erasure record
  std::string request_id;  // the HTTP request that asked, for the audit entry; "" when none
  int64_t now_ms = 0;

  static Deletion One(std::string tenant_id, std::string user_id, std::string id) {
    Deletion d;
    d.tenant_id = std::move(tenant_id);
    d.user_id = std::move(user_id);
    d.id = std::move(id);
    return d;
  }
  static Deletion User(std::string tenant_id, std::string user_id) {
    Deletion d;
    d.scope = Scope::kUser;
    d.tenant_id = std::move(tenant_id);
    d.user_id = std::move(user_id);
    return d;
  }
  static Deletion Session(std::string tenant_id, std::string user_id, std::string session_id) {
    Deletion d;
    d.scope = Scope::kSession;
    d.tenant_id = std::move(tenant_id);
    d.user_id = std::move(user_id);
    d.session_id = std::move(session_id);
    return d;
  }
};

const char* ToString(Deletion::Reason reason);  // "admin", "erasure", "retention"

struct DeletionResult {
  int64_t deleted = 0;
  int64_t held = 0;  // items kept because a hold covers them (kSkip only)
};

}  // namespace aih::store
