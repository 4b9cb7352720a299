// Authenticator: turns the Authorization header of a request into a verified Principal.
//
// Missing, malformed, expired, not-yet-valid, wrongly signed or wrongly addressed tokens fail with
// kUnauthenticated (401 with WWW-Authenticate) and a message saying what to fix.
#pragma once

#include <string_view>

#include "auth/principal.h"
#include "base/status.h"

namespace aih::auth {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual Result<Principal> Authenticate(std::string_view authorization_header) = 0;
};

}  // namespace aih::auth
