// KeyRing: our signing keys over time, shared by every server through a KeyRepository.
//
// Rotate adds a key; the key it replaces keeps verifying until every token it can have signed has
// expired, then Refresh deletes it. Servers learn of another server's rotation only at their next
// Refresh, so a new key is published (in TrustedKeys, hence the JWKS) for a publish delay (refresh
// interval + skew) before any server signs with it, and the old key's retire time covers that delay:
//   retire_after = rotation time + publish delay + longest token lifetime + 2 x skew
// (one skew for the verifiers' exp tolerance, one for the servers' clocks). Call Refresh every refresh
// interval; it also rotates when the newest key is older than the rotation interval. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/key_repository.h"
#include "auth/key_set.h"
#include "auth/signing_key.h"
#include "base/status.h"

namespace aih::auth {

struct KeyRingOptions {
  // How long a key is the newest before Refresh replaces it.
  int64_t rotation_interval_seconds = 30 * 24 * 3600;
  // How often every server calls Refresh. 0 is right only for a single process.
  int64_t refresh_interval_seconds = 300;
  // The longest lifetime (exp - iat) of any token signed with the ring: access tokens, notification
  // validation tokens. The token endpoint must never issue a longer one.
  int64_t max_token_lifetime_seconds = 24 * 3600;
  // VerifyOptions::clock_skew_seconds of the verifiers, and the tolerated drift between servers.
  int64_t clock_skew_seconds = 300;
  // Makes each new key; unset means SigningKey::Generate() (2048 bits, ~0.1 s).
  std::function<Result<SigningKey>()> new_key;
};

class KeyRing {
 public:
  // Loads the keys of `repository` (which must outlive the ring) and, when none is active, creates the
  // first. A stored key that cannot be read is kInternal: the key store is damaged.
  static Result<std::unique_ptr<KeyRing>> Open(KeyRepository& repository, KeyRingOptions options,
                                               int64_t now);

  // The key to sign with at `now` (Unix seconds): the newest key published for at least the refresh
  // interval plus the skew, so that every server already trusts it; the newest key when none is that old.
  SigningKey ActiveKey(int64_t now) const;

  // The public keys that verify at `now`: every key not yet past its retire time, newest first. What
  // VerifyJwt trusts for our own tokens and what the JWKS endpoint publishes.
  KeySet TrustedKeys(int64_t now) const;

  // Creates a new key and makes it the active one in the repository. When another server rotates at
  // the same moment, its key is kept instead of ours: the result is the same, one new key.
  Status Rotate(int64_t now);

  // Reloads the keys (rotations by other servers), rotates when the newest key is older than the
  // rotation interval, and deletes the keys past their retire time from the repository.
  Status Refresh(int64_t now);

 private:
  struct Entry {
    SigningKey key;
    int64_t created_at = 0;
    int64_t retire_after = 0;  // 0 = active in the repository
  };

  KeyRing(KeyRepository& repository, KeyRingOptions options);
  int64_t PublishDelay() const;
  // Replaces the in-memory keys with the repository's; returns the kids past their retire time.
  Result<std::vector<std::string>> Reload(int64_t now);
  Status RotateLocked(int64_t now);

  KeyRepository& repository_;
  const KeyRingOptions options_;
  std::mutex update_mu_;          // serialises Reload, Rotate and Refresh; guards the two below
  std::string active_kid_;        // the repository's newest active key at the last Reload ("" = none)
  int64_t active_created_at_ = 0;
  mutable std::mutex mu_;         // guards entries_, which readers copy from
  std::vector<Entry> entries_;    // live keys, newest first; never empty once Open has succeeded
};

}  // namespace aih::auth
