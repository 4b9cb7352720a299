// SigningKeyStore: the token issuer's RSA signing keys, kept in the database so that every server
// of one deployment signs and verifies with the same keys (auth/key_ring.h decides when to rotate).
//
// At most one key is active (retire_after 0); Rotate replaces it atomically, as a compare-and-set on
// the active kid, so two servers rotating at once leave exactly one active key. The rows hold
// private keys in PEM: whoever can read this table can mint tokens, so the database must be
// readable by the servers alone (the SQLite engine creates its file owner-only).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::store {

struct SigningKeyRow {
  std::string kid;           // RFC 7638 thumbprint of the public key: unique
  std::string private_pem;   // PKCS#8 PEM, unencrypted
  int64_t created_at = 0;    // Unix seconds
  int64_t retire_after = 0;  // Unix seconds from which the key no longer verifies; 0: the active key

  friend bool operator==(const SigningKeyRow&, const SigningKeyRow&) = default;
};

class SigningKeyStore {
 public:
  virtual ~SigningKeyStore() = default;

  // Every stored key, in any order.
  virtual Result<std::vector<SigningKeyRow>> List() = 0;

  // In one transaction: sets retire_after of the active key `previous_kid` to `previous_retire_after`
  // and inserts `key` (retire_after 0) as the new active key. An empty `previous_kid` means "there is
  // no active key yet". kConflict, changing nothing, when `previous_kid` is not the active key (another
  // server rotated first) or `key.kid` is already stored; kBadRequest when `key.retire_after` is not 0.
  virtual Status Rotate(const SigningKeyRow& key, std::string_view previous_kid, int64_t previous_retire_after) = 0;

  // Removes the retired key `kid`. The active key is never removed (the call succeeds and keeps it);
  // an absent kid succeeds too, since several servers purge the same keys concurrently.
  virtual Status Delete(std::string_view kid) = 0;
};

}  // namespace aih::store
