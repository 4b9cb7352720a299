// Client secrets: making them, and keeping only a salted, slow hash of them.
//
// An app authenticates to the token endpoint with client_id and client_secret. GenerateClientSecret
// returns 32 random bytes as base64url (43 characters), shown to the admin once; the directory stores
// only HashClientSecret's output, "pbkdf2-sha256$<iterations>$<salt>$<hash>" (base64url salt and
// hash), which carries its own parameters so the iteration count can change without invalidating
// stored hashes. VerifyClientSecret compares in constant time and refuses, with kInternal, a stored
// hash it cannot read: that is a damaged directory, not a wrong secret.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::auth {

// Generated secrets carry 256 bits of entropy, which no iteration count adds to: the work factor only
// protects secrets chosen by people, and every token request pays it. Hence a modest default.
inline constexpr int kDefaultSecretHashIterations = 20'000;
inline constexpr int kMinSecretHashIterations = 1'000;
inline constexpr int kMaxSecretHashIterations = 10'000'000;

std::string GenerateClientSecret();

// The encoded PBKDF2-HMAC-SHA256 hash of `secret` with a fresh 16-byte salt. `iterations` outside
// kMinSecretHashIterations..kMaxSecretHashIterations is refused with kBadRequest.
Result<std::string> HashClientSecret(std::string_view secret,
                                     int iterations = kDefaultSecretHashIterations);

// Whether `secret` matches `stored_hash` (a HashClientSecret output).
Result<bool> VerifyClientSecret(std::string_view secret, std::string_view stored_hash);

}  // namespace aih::auth
