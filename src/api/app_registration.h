// Registering applications and their credentials, for the admin HTTP API, the admin CLI and the
// demo setup alike.
//
// RegisterApplication gives a new application a fresh client id in its home tenant and a first client
// secret; AddClientSecret adds another (for rotation). A secret's text is returned once and never
// stored: the directory keeps only its hash (auth/secret_hash.h), so a lost secret is replaced, not
// recovered. Certificates are kept whole with their SHA-1 thumbprint, the x5t of client assertions.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::api {

struct NewSecret {
  std::string secret_id;
  std::string secret_text;  // shown once
  int64_t expires_at = 0;   // unix seconds; 0: never
};

struct NewApplication {
  store::Application application;
  NewSecret secret;
};

// `lifetime_days` 0: the secret never expires. `client_id` empty: a fresh GUID (a fixed one serves
// setups that must be repeatable, such as the demo).
Result<NewApplication> RegisterApplication(store::DirectoryStore& directory, const std::string& display_name,
                                           const std::string& home_tenant_id, int64_t lifetime_days = 0,
                                           const std::string& client_id = "");
Result<NewSecret> AddClientSecret(store::DirectoryStore& directory, const std::string& client_id,
                                  int64_t lifetime_days = 0);

// Adds the X.509 certificate in `pem` as a credential of the application; returns it with its thumbprint.
Result<store::AppCertificate> AddClientCertificate(store::DirectoryStore& directory, const std::string& client_id,
                                                   const std::string& pem);

}  // namespace aih::api
