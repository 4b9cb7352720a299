#include "identity_fixture.h"

#include "api_fixture.h"
#include "auth/secret_hash.h"
#include "store/page_sql.h"

namespace aih::testing {
namespace {

void Must(const Status& s) { ASSERT_TRUE(s.ok()) << s.message(); }

// One 2048-bit key for the whole run: generating one per test would cost ~0.1 s each.
const auth::SigningKey& RunKey() {
  static const auth::SigningKey key = [] {
    auto made = auth::SigningKey::Generate();
    if (!made.ok()) std::abort();
    return *made;
  }();
  return key;
}

}  // namespace

void IdentityApiTest::SetUp() {
  store_ = OpenFreshStore(GetParam(), &location_, "aih-identity");
  ASSERT_NE(store_, nullptr);
  store::DirectoryStore& d = store_->directory();
  Must(d.CreateTenant({kTenantA, "Contoso"}));
  Must(d.CreateTenant({kTenantB, "Fabrikam"}));

  int n = 0;
  auto app = [&](const std::string& home, std::vector<std::pair<std::string, std::vector<std::string>>> consents) {
    ++n;
    TestApp made{"e0000000-0000-4000-8000-00000000000" + std::to_string(n), "secret-" + std::to_string(n) + "-value"};
    Must(d.CreateApplication({made.client_id, "app " + std::to_string(n), home, kStart}));
    auto hash = auth::HashClientSecret(made.secret, auth::kMinSecretHashIterations);
    EXPECT_TRUE(hash.ok());
    Must(d.AddSecret(made.client_id, {"50000000-0000-4000-8000-00000000000" + std::to_string(n), *hash, "sec", kStart, 0}));
    for (auto& [tenant, roles] : consents) Must(d.GrantConsent(tenant, made.client_id, roles));
    return made;
  };
  exporter_a_ = app(kTenantA, {{kTenantA, {auth::kReadAll}}});
  writer_a_ = app(kTenantA, {{kTenantA, {auth::kWriteAll}}});
  exporter_b_ = app(kTenantB, {{kTenantB, {auth::kReadAll}}});
  multi_ = app(kTenantA, {{kTenantA, {auth::kReadAll}}, {kTenantB, {auth::kReadAll}}});
  unconsented_ = app(kTenantA, {});

  const std::vector<std::string> copilot = {store::kCopilotServicePlanId};
  auto a = d.ImportUsers(kTenantA, {{"", "alice@contoso.example", "Alice", store::AccountType::kWork, copilot}});
  ASSERT_TRUE(a.ok()) << a.status().message();
  alice_ = a->users[0].id;
  auto b = d.ImportUsers(kTenantB, {{"", "carol@fabrikam.example", "Carol", store::AccountType::kWork, copilot}});
  ASSERT_TRUE(b.ok()) << b.status().message();
  carol_ = b->users[0].id;
  Must(d.CreateSource({kTenantA, kFirstParty, store::SourceKind::kFirstParty, "Teams", true, {writer_a_.client_id}}));
  Must(d.CreateSource({kTenantB, kFirstParty, store::SourceKind::kFirstParty, "Teams", true, {}}));

  // The signing keys live in the store, as in `serve`.
  key_repository_ = std::make_unique<auth::StoredKeyRepository>(store_->signing_keys());
  auth::KeyRingOptions ring_options;
  ring_options.new_key = [] { return Result<auth::SigningKey>(RunKey()); };
  auto ring = auth::KeyRing::Open(*key_repository_, ring_options, NowSeconds());
  ASSERT_TRUE(ring.ok()) << ring.status().message();
  ring_ = std::move(*ring);

  auth::TokenIssuerOptions issuer_options;
  issuer_options.issuer_base = kIssuerBase;
  issuer_options.resources = {kGraph, "00000003-0000-0000-c000-000000000000", kIssuerBase};
  issuer_options.clock = [this] { return NowSeconds(); };
  auto issuer = auth::TokenIssuer::Create(*ring_, d, issuer_options);
  ASSERT_TRUE(issuer.ok()) << issuer.status().message();
  issuer_ = std::move(*issuer);

  auth::TokenVerification verification;
  verification.own_issuer_base = kIssuerBase;
  verification.audiences = issuer_options.resources;
  verification.clock = [this] { return NowSeconds(); };
  auto authenticator = auth::TokenAuthenticator::Create(*ring_, d, verification);
  ASSERT_TRUE(authenticator.ok()) << authenticator.status().message();
  authenticator_ = std::move(*authenticator);
  policy_ = std::make_unique<policy::DirectoryPolicy>(d);
  BuildService(api::ThrottleOptions{});
}

void IdentityApiTest::BuildService(api::ThrottleOptions throttle) {
  throttle.clock = [this] { return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_ms_)); };
  ASSERT_TRUE(throttle.Validate().ok());
  api::ServiceOptions options;
  options.throttle = throttle;
  service_ = std::make_unique<api::Service>(options, *store_, *authenticator_, *policy_,
                                            odata::CursorSigner(std::string(32, 'k')), issuer_.get());
}

void IdentityApiTest::TearDown() {
  service_.reset();
  authenticator_.reset();
  issuer_.reset();
  ring_.reset();
  key_repository_.reset();
  policy_.reset();
  store_.reset();
  RemoveStoreLocation(location_);
}

http::Response IdentityApiTest::Send(const std::string& method, const std::string& target, const std::string& body,
                                     std::vector<std::pair<std::string, std::string>> headers,
                                     const std::string& remote_address) {
  http::Request r;
  r.method = method;
  r.target = target;
  r.scheme = "http";
  r.host = "127.0.0.1:8080";
  r.remote_address = remote_address;
  r.request_id = "req-" + std::to_string(now_ms_);
  r.body = body;
  r.headers = std::move(headers);
  return service_->Handle(r);
}

http::Response IdentityApiTest::TokenRequest(const std::string& tenant, const std::string& form,
                                             const std::string& remote_address) {
  return Send("POST", "/" + tenant + "/oauth2/v2.0/token", form,
              {{"content-type", "application/x-www-form-urlencoded"}}, remote_address);
}

std::string IdentityApiTest::Form(const TestApp& app, const std::string& scope) {
  return "grant_type=client_credentials&client_id=" + app.client_id + "&client_secret=" + app.secret +
         "&scope=" + scope;
}

std::string IdentityApiTest::TokenFor(const std::string& tenant, const TestApp& app) {
  http::Response r = TokenRequest(tenant, Form(app));
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? JsonAt(r.body, "access_token") : "";
}

std::string IdentityApiTest::Mint(const auth::Claims& claims) const {
  return auth::SignJwt(ring_->ActiveKey(NowSeconds()), claims);
}

http::Response IdentityApiTest::Export(const std::string& user, const std::string& token) {
  return Send("GET", "/v1.0/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions", "",
              {{"authorization", "Bearer " + token}});
}

http::Response IdentityApiTest::Write(const std::string& user, const std::string& id, const std::string& token) {
  const std::string item = "{\"@aihistory.userId\":\"" + user + "\",\"id\":\"" + id + "\",\"appClass\":\"" +
                           kFirstParty +
                           "\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"2026-01-15T10:30:00Z\"}";
  return Send("POST", "/v1.0/copilot/interactionHistory/interactions", item,
              {{"authorization", "Bearer " + token}, {"content-type", "application/json"}});
}

int64_t IdentityApiTest::StoredCount(const std::string& tenant) {
  store::PageQuery q;
  q.tenant_id = tenant;
  auto n = store_->interactions().Count(q);
  EXPECT_TRUE(n.ok());
  return n.ok() ? *n : -1;
}

}  // namespace aih::testing
