// The principals the policy tests ask about: an application with roles, or a user signed in to an
// application with delegated scopes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "auth/principal.h"

namespace aih::policy::testing {

inline auth::Principal AppPrincipal(const char* tenant, const char* app, std::vector<std::string> roles) {
  auth::Principal p;
  p.tenant_id = tenant;
  p.app_id = app;
  p.roles = std::move(roles);
  return p;
}

inline auth::Principal DelegatedPrincipal(const char* tenant, const char* app, const char* user,
                                          std::vector<std::string> scopes) {
  auth::Principal p;
  p.kind = auth::Principal::Kind::kDelegated;
  p.tenant_id = tenant;
  p.app_id = app;
  p.user_id = user;
  p.scopes = std::move(scopes);
  return p;
}

}  // namespace aih::policy::testing
