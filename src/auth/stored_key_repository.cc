#include "auth/stored_key_repository.h"

namespace aih::auth {

Result<std::vector<StoredKey>> StoredKeyRepository::Load() {
  Result<std::vector<store::SigningKeyRow>> rows = keys_.List();
  if (!rows.ok()) return rows.status();
  std::vector<StoredKey> keys;
  keys.reserve(rows->size());
  for (store::SigningKeyRow& row : *rows) {
    keys.push_back({std::move(row.kid), std::move(row.private_pem), row.created_at, row.retire_after});
  }
  return keys;
}

Status StoredKeyRepository::Rotate(const StoredKey& key, std::string_view previous_kid,
                                   int64_t previous_retire_after) {
  return keys_.Rotate({key.kid, key.private_pem, key.created_at, key.retire_after}, previous_kid,
                      previous_retire_after);
}

Status StoredKeyRepository::Delete(std::string_view kid) { return keys_.Delete(kid); }

}  // namespace aih::auth
