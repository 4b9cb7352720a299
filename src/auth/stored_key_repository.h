// StoredKeyRepository: the KeyRepository of a deployment, our signing keys in its database.
//
// It adapts the store's SigningKeyStore (store/signing_key_store.h) to the KeyRing, so every server
// opening the same database signs with the same keys and sees another server's rotation at its next
// Refresh. auth depends on store, never the reverse: the store knows rows, not keys. The database
// then holds private keys: keep it (and its backups) readable by the servers alone.
#pragma once

#include "auth/key_repository.h"
#include "store/signing_key_store.h"

namespace aih::auth {

class StoredKeyRepository final : public KeyRepository {
 public:
  // `keys` must outlive the repository.
  explicit StoredKeyRepository(store::SigningKeyStore& keys) : keys_(keys) {}

  Result<std::vector<StoredKey>> Load() override;
  Status Rotate(const StoredKey& key, std::string_view previous_kid, int64_t previous_retire_after) override;
  Status Delete(std::string_view kid) override;

 private:
  store::SigningKeyStore& keys_;
};

}  // namespace aih::auth
