// A Service over a real, fresh store of the engine under test (support/store_engines.h) with the
// real DirectoryPolicy and admin API, and a directory set up for the access rules of section 2: two
// tenants, licensed / unlicensed work and personal accounts, first-party and third-party sources with
// export on and off, and exporter and writer apps. Tokens are fixed bearer strings mapped to
// principals (FakeAuthenticator, api_fixture.h): the real JWT authenticator is tested in tests/auth.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "api/service.h"
#include "api_fixture.h"
#include "policy/directory_policy.h"
#include "store/store.h"

namespace aih::testing {

inline constexpr const char* kTenantA = "aaaaaaaa-1111-4111-8111-000000000001";
inline constexpr const char* kTenantB = "bbbbbbbb-2222-4222-8222-000000000002";
inline constexpr const char* kExporterA = "e0000000-0000-4000-8000-00000000000a";
inline constexpr const char* kWriterA = "e0000000-0000-4000-8000-00000000000b";
inline constexpr const char* kWriterA2 = "e0000000-0000-4000-8000-00000000000c";
inline constexpr const char* kExporterB = "e0000000-0000-4000-8000-00000000000d";

inline constexpr const char* kFirstParty = "IPM.SkypeTeams.Message.Copilot.Teams";
inline constexpr const char* kThirdOn = "Contoso.Agents.Enabled";
inline constexpr const char* kThirdOff = "Contoso.Agents.Disabled";
inline constexpr const char* kOtherAppsClass = "Fabrikam.Plugin";  // registered to writer A2 only

inline constexpr const char* kAdminKey = "test-admin-key-0123456789abcdef0123456789abcdef";

// The users of tenant A (and one of B), by object id and UPN.
struct TestUser {
  std::string id, upn;
};

// Parameterized by the store engine, as ApiTest.
class DirectoryApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;  // closes the store, then removes its directory or schema

  // A request as `token` ("" for none); `headers` are added as given (names lower-case).
  http::Response Send(const std::string& method, const std::string& target, const std::string& body = "",
                      const std::string& token = "",
                      std::vector<std::pair<std::string, std::string>> headers = {});
  http::Response Export(const std::string& user_ref, const std::string& token = "exporter-a",
                        const std::string& query = "");
  http::Response ExportTenant(const std::string& token = "exporter-a", const std::string& query = "");
  http::Response Write(const std::string& body, const std::string& token = "writer-a");
  // The admin API with the right key.
  http::Response Admin(const std::string& method, const std::string& target, const std::string& body = "",
                       const std::string& content_type = "application/json");

  // One interaction object for `user_ref` in `app_class` with `id`.
  static std::string Item(const std::string& user_ref, const std::string& app_class, const std::string& id,
                          const std::string& extra = "");
  // The ids in an export page, in order.
  static std::vector<std::string> Ids(const http::Response& page);
  // Every item of tenant `tenant` in the store, whatever the directory says (a raw count).
  int64_t StoredCount(const std::string& tenant);

  std::string remote_address_ = "192.0.2.1";  // where Send's requests come from
  std::string location_;  // the store's directory or PostgreSQL URL
  std::unique_ptr<store::Store> store_;
  FakeAuthenticator auth_;
  std::unique_ptr<policy::DirectoryPolicy> policy_;
  std::unique_ptr<api::Service> service_;

  TestUser licensed_, unlicensed_, personal_licensed_, personal_unlicensed_, tenant_b_user_;
};

}  // namespace aih::testing
