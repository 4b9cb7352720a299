// A Service over a real, fresh store of the engine under test (SQLite, and PostgreSQL when
// configured: support/store_engines.h), called directly (no network), with a test Authenticator that
// maps fixed bearer strings to principals, and a test AccessPolicy that lets every registered
// principal see every user of its own tenant. The directory's real policy is tested in
// access_policy_test.cc; this fixture isolates export and ingest mechanics.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "api/service.h"
#include "store/store.h"
#include "support/store_engines.h"

namespace aih::testing {

class FakeAuthenticator : public auth::Authenticator {
 public:
  std::map<std::string, auth::Principal> tokens;  // "Bearer <key>" -> principal
  Result<auth::Principal> Authenticate(std::string_view header) override;
};

// Items owned by this user meet a directory that cannot answer (its database restarting).
inline constexpr const char* kUserOfADirectoryDown = "directory-down";

class OpenPolicy : public policy::AccessPolicy {
 public:
  Result<policy::ExportScope> AuthorizeUserExport(const auth::Principal& caller, std::string_view user) override;
  Result<policy::ExportScope> AuthorizeTenantExport(const auth::Principal& caller) override;
  Status AuthorizeWriter(const auth::Principal& caller) override;
  Result<std::string> AuthorizeItem(const auth::Principal& caller, const model::WriteItem& item) override;
  Result<std::string> CheckItem(const std::string& tenant_id, const model::WriteItem& item) override;
};

// Parameterized by the store engine; each suite is instantiated once per engine:
//   INSTANTIATE_TEST_SUITE_P(Engines, <suite>, ::testing::ValuesIn(StoreEngines()), EngineName);
class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;  // closes the store, then removes its directory or schema

  // Sends a request to the service as `token` ("" for none).
  http::Response Get(const std::string& target, const std::string& token = "exporter");
  http::Response Post(const std::string& target, const std::string& body, const std::string& token = "writer",
                      const std::string& content_type = "application/json");

  std::string location_;
  std::unique_ptr<store::Store> store_;
  FakeAuthenticator auth_;
  OpenPolicy policy_;
  std::unique_ptr<api::Service> service_;
};

// Parses a JSON response body and returns the value at a simple path like "value.0.id" as text
// (strings unquoted, numbers as written, "<null>" for null, "<missing>" if absent).
std::string JsonAt(const std::string& json, const std::string& path);
// The number of elements of the array at `path`.
size_t JsonArraySize(const std::string& json, const std::string& path);

}  // namespace aih::testing
