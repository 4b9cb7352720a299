// Principal: who is calling, for which tenant, with which permissions.
//
// Every request that touches data carries exactly one Principal, verified from its bearer token by
// an Authenticator. The tenant of the token is the only tenant the request can see. Application
// tokens (client credentials) carry `roles`; delegated tokens (a signed-in user) carry `scopes`.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "directory/permissions.h"

namespace aih::auth {

// The permissions of the AiEnterpriseInteraction family (named in directory/permissions.h).
using directory::kReadAll;
using directory::kReadDelegated;
using directory::kReadUser;
using directory::kWriteAll;

struct Principal {
  enum class Kind { kApplication, kDelegated };

  Kind kind = Kind::kApplication;
  std::string tenant_id;
  std::string app_id;            // the calling application's client id
  std::string user_id;           // delegated: the signed-in user's object id
  std::vector<std::string> roles;   // application permissions
  std::vector<std::string> scopes;  // delegated permissions
  std::vector<std::string> audiences;
  int64_t expires_at = 0;        // unix seconds

  bool HasRole(const std::string& role) const {
    return kind == Kind::kApplication && std::find(roles.begin(), roles.end(), role) != roles.end();
  }
  bool HasScope(const std::string& scope) const {
    return kind == Kind::kDelegated && std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  }
};

}  // namespace aih::auth
