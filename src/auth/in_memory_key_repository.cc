#include "auth/in_memory_key_repository.h"

#include <algorithm>

namespace aih::auth {

Result<std::vector<StoredKey>> InMemoryKeyRepository::Load() {
  std::lock_guard lock(mu_);
  return keys_;
}

Status InMemoryKeyRepository::Rotate(const StoredKey& key, std::string_view previous_kid,
                                     int64_t previous_retire_after) {
  std::lock_guard lock(mu_);
  auto active = std::find_if(keys_.begin(), keys_.end(), [](const StoredKey& k) { return k.retire_after == 0; });
  const std::string_view active_kid = active == keys_.end() ? std::string_view() : active->kid;
  if (active_kid != previous_kid) {
    return Status::Conflict("the active signing key is '" + std::string(active_kid) + "', not '" +
                            std::string(previous_kid) + "': another server rotated first");
  }
  if (key.retire_after != 0) return Status::Internal("a newly active key must have retire_after 0");
  if (std::any_of(keys_.begin(), keys_.end(), [&](const StoredKey& k) { return k.kid == key.kid; })) {
    return Status::Conflict("a signing key with kid '" + key.kid + "' is already stored");
  }
  if (active != keys_.end()) active->retire_after = previous_retire_after;
  keys_.push_back(key);
  return Status::Ok();
}

Status InMemoryKeyRepository::Delete(std::string_view kid) {
  std::lock_guard lock(mu_);
  std::erase_if(keys_, [&](const StoredKey& k) { return k.kid == kid && k.retire_after != 0; });
  return Status::Ok();
}

}  // namespace aih::auth
