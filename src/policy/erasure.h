// Erasure: deleting one interaction, one session or everything of a user for good, as the right to
// erasure asks, through the one deletion path (store/deletion.h): refused whole (kConflict naming
// the hold) while an active legal hold covers any of it, recorded (the ids and content hashes stay
// on file), each deletion notified to subscribers.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace aih::policy {

struct ErasureRequest {
  std::string tenant_id;
  std::string user;  // object id or user principal name; an id of a user removed from the directory works too
  std::optional<std::string> interaction_id;  // at most one of these two
  std::optional<std::string> session_id;
  std::string actor;  // who asked, for the record
  std::string request_id;  // the HTTP request that asked, for the audit entry; "" when none
  int64_t now_ms = 0;
};

struct ErasureOutcome {
  std::string user_id;
  int64_t erased = 0;
};

// kNotFound for an unknown tenant; for a user the directory does not know and who has nothing
// stored (a nonexistent user); for a named interaction that is not stored. kBadRequest for both an
// interaction and a session.
Result<ErasureOutcome> Erase(store::Store& store, const ErasureRequest& request);

}  // namespace aih::policy
