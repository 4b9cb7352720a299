// DemoTenant: the tenant `aihistory demo-setup` creates, read back from its credentials file, and
// tokens for its apps from the running server's token endpoint. Integration tests start from it.
#pragma once

#include <string>

#include "support/http_client.h"

namespace aih::testing {

struct DemoTenant {
  std::string tenant_id, admin_key;
  std::string licensed_user, licensed_upn, unlicensed_user, personal_user;
  std::string first_party_app_class, third_party_app_class;
  std::string exporter_id, exporter_secret, writer_id, writer_secret;

  // Runs demo-setup on `store` (a data directory or a postgresql:// URL; the server need not run
  // yet) and reads back the credentials it writes to `credentials_dir`/demo-credentials.json
  // (default: `store`, which must then be a directory).
  static DemoTenant Create(const std::string& store, const std::string& credentials_dir = "");
  // Reads the credentials an earlier Create() wrote to `credentials_dir`/demo-credentials.json.
  static DemoTenant Load(const std::string& credentials_dir);
};

// An access token for the app from POST /{tenant}/oauth2/v2.0/token; empty on failure.
std::string FetchToken(HttpClient& client, const std::string& tenant_id, const std::string& client_id,
                       const std::string& client_secret);

// The value at a simple dotted path of a JSON text ("value.0.id"; an "@..." key ends the path);
// strings unquoted, "<null>", "<missing>", or the minified JSON of anything else.
std::string JsonValue(const std::string& json, const std::string& path);
size_t JsonLength(const std::string& json, const std::string& path);

}  // namespace aih::testing
