// A Service wired as `aihistory serve` wires it: a real, fresh store of the engine under test
// (support/store_engines.h; the suites are parameterized by it, as ApiTest), the real
// DirectoryPolicy, the real TokenIssuer and TokenAuthenticator over a KeyRing kept in that store, and
// the throttle. Tokens come from the token endpoint (or are minted with the ring, for kinds the
// endpoint does not issue). One fake clock drives token times, lockouts and the throttle, so no test
// sleeps or times anything.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "api/service.h"
#include "auth/jwt.h"
#include "auth/key_ring.h"
#include "auth/stored_key_repository.h"
#include "auth/token_authenticator.h"
#include "auth/token_issuer.h"
#include "policy/directory_policy.h"
#include "store/store.h"
#include "support/store_engines.h"

namespace aih::testing {

struct TestApp {
  std::string client_id, secret;
};

class IdentityApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr const char* kTenantA = "aaaaaaaa-1111-4111-8111-000000000001";
  static constexpr const char* kTenantB = "bbbbbbbb-2222-4222-8222-000000000002";
  static constexpr const char* kIssuerBase = "http://127.0.0.1:8080";
  static constexpr const char* kGraph = "https://graph.microsoft.com";
  static constexpr const char* kFirstParty = "IPM.SkypeTeams.Message.Copilot.Teams";
  static constexpr int64_t kStart = 1'768'473'000;  // 2026-01-15T10:30:00Z

  void SetUp() override;
  void TearDown() override;

  // (Re)builds the Service with these throttle limits (the clock is the fixture's).
  void BuildService(api::ThrottleOptions throttle);
  void Advance(int64_t milliseconds) { now_ms_ += milliseconds; }
  int64_t NowSeconds() const { return now_ms_ / 1000; }

  http::Response Send(const std::string& method, const std::string& target, const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers,
                      const std::string& remote_address = "192.0.2.10");
  // POST /{tenant}/oauth2/v2.0/token with `form` as the body.
  http::Response TokenRequest(const std::string& tenant, const std::string& form,
                              const std::string& remote_address = "192.0.2.10");
  static std::string Form(const TestApp& app, const std::string& scope = "https://graph.microsoft.com/.default");
  // The access token of `app` in `tenant`, or "" (and a failed test).
  std::string TokenFor(const std::string& tenant, const TestApp& app);
  // A token signed with the ring's active key, for what the endpoint does not issue (delegated, expired).
  std::string Mint(const auth::Claims& claims) const;

  http::Response Export(const std::string& user, const std::string& token);
  http::Response Write(const std::string& user, const std::string& id, const std::string& token);
  int64_t StoredCount(const std::string& tenant);

  std::string location_;  // the store's directory or PostgreSQL URL
  int64_t now_ms_ = kStart * 1000;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<auth::StoredKeyRepository> key_repository_;
  std::unique_ptr<auth::KeyRing> ring_;
  std::unique_ptr<auth::TokenIssuer> issuer_;
  std::unique_ptr<auth::TokenAuthenticator> authenticator_;
  std::unique_ptr<policy::DirectoryPolicy> policy_;
  std::unique_ptr<api::Service> service_;

  TestApp exporter_a_, writer_a_, exporter_b_;
  TestApp multi_;        // home tenant A; consented to export in A and in B
  TestApp unconsented_;  // home tenant A; no consent anywhere
  std::string alice_;    // licensed work user of A
  std::string carol_;    // licensed work user of B
};

}  // namespace aih::testing
