// KeySet: the public keys a verifier trusts, by kid.
//
// A KeySet holds VerifyingKeys: the public halves of our own signing keys (KeyRing::TrustedKeys), or
// an external issuer's keys read from its JWKS document (`{"keys":[...]}`, RFC 7517). VerifyJwt finds
// a token's key here by kid and nowhere else, so no header (`jwk`, `jku`, `x5u`) can bring its own key.
// Keep one KeySet per issuer and pass VerifyJwt only that issuer: a key is then trusted only for the
// issuer that published it. A KeySet is a value: build it, then share it read-only between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/signing_key.h"
#include "base/status.h"

namespace aih::auth {

class KeySet {
 public:
  KeySet() = default;

  // Reads a JWKS document. Keys we cannot use for RS256 are skipped: kty other than RSA, use other than
  // sig, alg other than RS256, no kid. A document that is not JSON, has no "keys" array, has an RSA
  // signing key with a missing, invalid or weak n/e, two different keys under one kid, or no usable key
  // at all is refused with kBadRequest (the caller reports it as its configuration or its issuer's fault).
  static Result<KeySet> FromJwks(std::string_view jwks_json);

  // Adds `key`. Adding the same key again is a no-op; a different key under a kid already present is
  // refused with kConflict.
  Status Add(VerifyingKey key);

  // The key named `kid`, or nullptr.
  const VerifyingKey* Find(std::string_view kid) const;

  // {"keys":[<jwk>,...]} in the order the keys were added: the document our JWKS endpoint serves.
  std::string ToJwks() const;

  const std::vector<VerifyingKey>& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  std::vector<VerifyingKey> keys_;  // a handful: a linear search beats a map
};

}  // namespace aih::auth
