// KeyRepository: where our signing keys are kept, so that every server signs with the same keys.
//
// The SQLite and PostgreSQL stores implement it (InMemoryKeyRepository serves tests and single-process
// runs). A StoredKey holds a private key in PEM: whoever can read the repository can mint tokens, so it
// belongs with the database's other secrets. Rotate is the only write that changes which key signs, and
// it is atomic (compare-and-set on the active key): two servers rotating at once leave one active key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::auth {

struct StoredKey {
  std::string kid;
  std::string private_pem;   // PKCS#8 PEM, unencrypted
  int64_t created_at = 0;    // Unix seconds
  int64_t retire_after = 0;  // Unix seconds from which the key no longer verifies; 0 = the active key

  friend bool operator==(const StoredKey&, const StoredKey&) = default;
};

class KeyRepository {
 public:
  virtual ~KeyRepository() = default;

  // Every stored key, in any order.
  virtual Result<std::vector<StoredKey>> Load() = 0;

  // In one transaction: sets retire_after of the active key `previous_kid` to `previous_retire_after`,
  // and stores `key` (whose retire_after is 0) as the new active key. An empty `previous_kid` means
  // there is no active key yet. When `previous_kid` is not the active key, or is empty while one is,
  // another server rotated first: fail with kConflict and change nothing.
  virtual Status Rotate(const StoredKey& key, std::string_view previous_kid,
                        int64_t previous_retire_after) = 0;

  // Removes the retired key `kid`; the active key is never removed (it stays, and the call succeeds).
  // Removing a kid that is not stored succeeds too: several servers purge concurrently.
  virtual Status Delete(std::string_view kid) = 0;
};

}  // namespace aih::auth
