// The token endpoint and discovery over Service::Handle, with the real issuer, authenticator and
// directory policy (identity_fixture.h): tokens it issues export; every refusal is an OAuth error;
// guessing secrets is locked out; tenants stay isolated.
#include <gmock/gmock.h>

#include "api_fixture.h"
#include "base/base64.h"
#include "identity_fixture.h"

namespace aih::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Header(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// The JSON payload of a compact JWS, unverified (the test reads what the issuer wrote).
std::string Payload(const std::string& jwt) {
  const size_t first = jwt.find('.');
  const size_t second = jwt.find('.', first + 1);
  auto decoded = Base64UrlDecode(std::string_view(jwt).substr(first + 1, second - first - 1));
  return decoded.ok() ? *decoded : "";
}

// An OAuth error response: JSON, never the Graph envelope, with Entra's members.
void ExpectOAuthError(const http::Response& r, int status, const std::string& error, int code = 0) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_THAT(r.content_type, HasSubstr("application/json"));
  EXPECT_EQ(JsonAt(r.body, "error"), error) << r.body;
  EXPECT_NE(JsonAt(r.body, "error_description"), "<missing>");
  EXPECT_NE(JsonAt(r.body, "trace_id"), "<missing>");
  EXPECT_NE(JsonAt(r.body, "timestamp"), "<missing>");
  if (code) {
    EXPECT_EQ(JsonAt(r.body, "error_codes"), "[" + std::to_string(code) + "]");
    EXPECT_THAT(JsonAt(r.body, "error_description"), HasSubstr("AADSTS" + std::to_string(code) + ": "));
  }
  EXPECT_EQ(JsonAt(r.body, "access_token"), "<missing>");
}

class TokenApiTest : public IdentityApiTest {};

// ----- issuing -----

TEST_P(TokenApiTest, AnIssuedTokenWritesAndExports) {
  http::Response r = TokenRequest(kTenantA, Form(exporter_a_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.content_type, HasSubstr("application/json"));
  EXPECT_EQ(JsonAt(r.body, "token_type"), "Bearer");
  EXPECT_EQ(JsonAt(r.body, "expires_in"), "3600");
  EXPECT_EQ(JsonAt(r.body, "ext_expires_in"), "3600");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  const std::string exporter = JsonAt(r.body, "access_token");

  const std::string writer = TokenFor(kTenantA, writer_a_);
  http::Response written = Write(alice_, "item-1", writer);
  ASSERT_EQ(written.status, 200) << written.body;
  http::Response page = Export(alice_, exporter);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(JsonAt(page.body, "value.0.id"), "item-1");
}

TEST_P(TokenApiTest, TheTokenCarriesTheClaimsOfTheContract) {
  const std::string payload = Payload(TokenFor(kTenantA, exporter_a_));
  EXPECT_EQ(JsonAt(payload, "iss"), std::string(kIssuerBase) + "/" + kTenantA + "/v2.0");
  EXPECT_EQ(JsonAt(payload, "aud"), kGraph);
  EXPECT_EQ(JsonAt(payload, "tid"), kTenantA);
  EXPECT_EQ(JsonAt(payload, "appid"), exporter_a_.client_id);
  EXPECT_EQ(JsonAt(payload, "azp"), exporter_a_.client_id);
  EXPECT_EQ(JsonAt(payload, "roles"), "[\"AiEnterpriseInteraction.Read.All\"]");
  EXPECT_EQ(JsonAt(payload, "iat"), std::to_string(kStart));
  EXPECT_EQ(JsonAt(payload, "exp"), std::to_string(kStart + 3600));
}

TEST_P(TokenApiTest, ClientSecretBasicIsAcceptedToo) {
  const std::string basic = Base64Encode(exporter_a_.client_id + ":" + exporter_a_.secret);
  http::Response r = Send("POST", std::string("/") + kTenantA + "/oauth2/v2.0/token",
                          "grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
                          {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                           {"authorization", "Basic " + basic}});
  ASSERT_EQ(r.status, 200) << r.body;
  http::Response twice = Send("POST", std::string("/") + kTenantA + "/oauth2/v2.0/token", Form(exporter_a_),
                              {{"content-type", "application/x-www-form-urlencoded"}, {"authorization", "Basic " + basic}});
  ExpectOAuthError(twice, 400, "invalid_request");
}

// ----- refusals -----

TEST_P(TokenApiTest, AWrongSecretIsInvalidClient) {
  TestApp wrong = exporter_a_;
  wrong.secret = "not-the-secret";
  ExpectOAuthError(TokenRequest(kTenantA, Form(wrong)), 401, "invalid_client", 7000215);
}

TEST_P(TokenApiTest, AnUnknownClientIsUnauthorizedClient) {
  TestApp unknown{"e0000000-0000-4000-8000-0000000000ff", "whatever"};
  ExpectOAuthError(TokenRequest(kTenantA, Form(unknown)), 400, "unauthorized_client", 700016);
  TestApp not_a_guid{"exporter", "whatever"};
  ExpectOAuthError(TokenRequest(kTenantA, Form(not_a_guid)), 400, "unauthorized_client", 700016);
}

TEST_P(TokenApiTest, AnUnknownTenantIsInvalidRequest) {
  ExpectOAuthError(TokenRequest("cccccccc-3333-4333-8333-000000000003", Form(exporter_a_)), 400, "invalid_request", 90002);
  ExpectOAuthError(TokenRequest("contoso.onmicrosoft.com", Form(exporter_a_)), 400, "invalid_request", 90002);
  ExpectOAuthError(TokenRequest("common", Form(exporter_a_)), 400, "invalid_request", 90002);
}

TEST_P(TokenApiTest, MissingParametersAreNamed) {
  const std::string id = "client_id=" + exporter_a_.client_id;
  const std::string secret = "client_secret=" + exporter_a_.secret;
  const std::string scope = "scope=https://graph.microsoft.com/.default";
  const std::string grant = "grant_type=client_credentials";
  struct Case {
    std::string form, parameter;
  };
  for (const Case& c : {Case{id + "&" + secret + "&" + scope, "grant_type"},
                        Case{grant + "&" + secret + "&" + scope, "client_id"},
                        Case{grant + "&" + id + "&" + secret, "scope"}}) {
    http::Response r = TokenRequest(kTenantA, c.form);
    ExpectOAuthError(r, 400, "invalid_request", 900144);
    EXPECT_THAT(JsonAt(r.body, "error_description"), HasSubstr("'" + c.parameter + "'"));
  }
  ExpectOAuthError(TokenRequest(kTenantA, grant + "&" + id + "&" + scope), 401, "invalid_client", 7000218);
}

TEST_P(TokenApiTest, OnlyClientCredentialsIsGranted) {
  std::string form = Form(exporter_a_);
  form.replace(form.find("client_credentials"), 18, "password");
  ExpectOAuthError(TokenRequest(kTenantA, form), 400, "unsupported_grant_type", 70003);
}

TEST_P(TokenApiTest, TheScopeMustNameAKnownResourceAsDotDefault) {
  ExpectOAuthError(TokenRequest(kTenantA, Form(exporter_a_, "https://graph.microsoft.com/User.Read")), 400,
                   "invalid_scope", 1002012);
  ExpectOAuthError(TokenRequest(kTenantA, Form(exporter_a_, "https://vault.azure.net/.default")), 400,
                   "invalid_resource", 500011);
  // Our own base URL is a resource too.
  http::Response own = TokenRequest(kTenantA, Form(exporter_a_, std::string(kIssuerBase) + "/.default"));
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(JsonAt(Payload(JsonAt(own.body, "access_token")), "aud"), kIssuerBase);
  EXPECT_EQ(Export(alice_, JsonAt(own.body, "access_token")).status, 200);
}

TEST_P(TokenApiTest, TheRequestMustBeAForm) {
  http::Response json = Send("POST", std::string("/") + kTenantA + "/oauth2/v2.0/token",
                             "{\"grant_type\":\"client_credentials\"}", {{"content-type", "application/json"}});
  ExpectOAuthError(json, 400, "invalid_request");
  ExpectOAuthError(TokenRequest(kTenantA, Form(exporter_a_) + "&scope=x"), 400, "invalid_request");  // repeated
  ExpectOAuthError(TokenRequest(kTenantA, Form(exporter_a_) + "&x=%zz"), 400, "invalid_request");
  EXPECT_EQ(Send("GET", std::string("/") + kTenantA + "/oauth2/v2.0/token", "", {}).status, 405);
}

TEST_P(TokenApiTest, ForeignTenantsNeedConsent) {
  // unconsented_ lives in A: in B it does not exist (Entra has no service principal for it there).
  ExpectOAuthError(TokenRequest(kTenantB, Form(unconsented_)), 400, "unauthorized_client", 700016);
  // multi_ was consented in B: its B token exports B's users and nothing of A's.
  const std::string token = TokenFor(kTenantB, multi_);
  EXPECT_EQ(Export(carol_, token).status, 200);
  EXPECT_EQ(Export(alice_, token).status, 404);
}

TEST_P(TokenApiTest, AnAppWithoutConsentGetsATokenWithoutRolesThatCannotExport) {
  const std::string token = TokenFor(kTenantA, unconsented_);
  EXPECT_THAT(Payload(token), Not(HasSubstr("roles")));
  http::Response r = Export(alice_, token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(JsonAt(r.body, "error.code"), "Forbidden");
}

// ----- guessing -----

TEST_P(TokenApiTest, GuessingASecretLocksThatAppOutFromThatAddressOnly) {
  TestApp guess = exporter_a_;
  for (int i = 0; i < 5; ++i) {
    guess.secret = "guess-" + std::to_string(i);
    ExpectOAuthError(TokenRequest(kTenantA, Form(guess), "198.51.100.7"), 401, "invalid_client");
  }
  // Locked for that app from that address: not even the right secret is checked there.
  http::Response locked = TokenRequest(kTenantA, Form(exporter_a_), "198.51.100.7");
  ExpectOAuthError(locked, 429, "temporarily_unavailable");
  EXPECT_EQ(Header(locked, "Retry-After"), "1");
  // The app holding its right secret elsewhere is not shut out by the guesser...
  EXPECT_EQ(TokenRequest(kTenantA, Form(exporter_a_), "203.0.113.1").status, 200);
  // ...nor is another app behind the guesser's address (a NAT, a proxy).
  EXPECT_EQ(TokenRequest(kTenantA, Form(writer_a_), "198.51.100.7").status, 200);
  // Once the lockout has passed, the right secret works there again.
  Advance(1000);
  EXPECT_EQ(TokenRequest(kTenantA, Form(exporter_a_), "198.51.100.7").status, 200);
}

TEST_P(TokenApiTest, TheLockoutGrowsWithEachFurtherFailure) {
  TestApp guess{exporter_a_.client_id, "wrong"};
  for (int i = 0; i < 5; ++i) TokenRequest(kTenantA, Form(guess), "198.51.100.1");
  Advance(1000);
  ExpectOAuthError(TokenRequest(kTenantA, Form(guess), "198.51.100.1"), 401, "invalid_client");
  EXPECT_EQ(Header(TokenRequest(kTenantA, Form(exporter_a_), "198.51.100.1"), "Retry-After"), "2");
  Advance(1000);
  EXPECT_EQ(TokenRequest(kTenantA, Form(exporter_a_), "198.51.100.1").status, 429);
  Advance(1000);
  EXPECT_EQ(TokenRequest(kTenantA, Form(exporter_a_), "198.51.100.1").status, 200);
}

TEST_P(TokenApiTest, JunkClientIdsFromAnAddressNeverLockOutARegisteredAppThere) {
  for (int i = 0; i < 20; ++i) {
    TestApp unknown{"e0000000-0000-4000-8000-0000000001" + std::to_string(10 + i), "x"};
    TokenRequest(kTenantA, Form(unknown), "198.51.100.7");
    TokenRequest(kTenantA, Form(TestApp{"not-a-guid-" + std::to_string(i), "x"}), "198.51.100.7");
  }
  // Junk ids from that address have spent their own budget...
  ExpectOAuthError(TokenRequest(kTenantA, Form(TestApp{"e0000000-0000-4000-8000-000000000999", "x"}), "198.51.100.7"),
                   429, "temporarily_unavailable");
  // ...but every registered app behind the same address gets its token with its right secret.
  EXPECT_EQ(TokenRequest(kTenantA, Form(writer_a_), "198.51.100.7").status, 200);
  EXPECT_EQ(TokenRequest(kTenantA, Form(exporter_a_), "198.51.100.7").status, 200);
  // Junk ids from elsewhere are answered (not locked) as before.
  ExpectOAuthError(TokenRequest(kTenantA, Form(TestApp{"e0000000-0000-4000-8000-000000000999", "x"}), "198.51.100.8"),
                   400, "unauthorized_client");
}

TEST_P(TokenApiTest, WrongSecretsForOneAppNeverLockOutAnother) {
  TestApp guess{exporter_a_.client_id, "wrong"};
  for (int i = 0; i < 30; ++i) TokenRequest(kTenantA, Form(guess), "198.51.100.7");
  EXPECT_EQ(TokenRequest(kTenantA, Form(exporter_a_), "198.51.100.7").status, 429);
  EXPECT_EQ(TokenRequest(kTenantA, Form(writer_a_), "198.51.100.7").status, 200);
}

// ----- discovery -----

TEST_P(TokenApiTest, TheOpenIdConfigurationNamesTheIssuerOfTheTokens) {
  http::Response r = Send("GET", std::string("/") + kTenantA + "/v2.0/.well-known/openid-configuration", "", {});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "issuer"), JsonAt(Payload(TokenFor(kTenantA, exporter_a_)), "iss"));
  EXPECT_EQ(JsonAt(r.body, "token_endpoint"), std::string("http://127.0.0.1:8080/") + kTenantA + "/oauth2/v2.0/token");
  EXPECT_EQ(JsonAt(r.body, "jwks_uri"), std::string("http://127.0.0.1:8080/") + kTenantA + "/discovery/v2.0/keys");
  EXPECT_EQ(JsonAt(r.body, "grant_types_supported"), "[\"client_credentials\"]");
  EXPECT_EQ(JsonAt(r.body, "id_token_signing_alg_values_supported"), "[\"RS256\"]");

  http::Response common = Send("GET", "/common/v2.0/.well-known/openid-configuration", "", {});
  ASSERT_EQ(common.status, 200) << common.body;
  EXPECT_EQ(JsonAt(common.body, "issuer"), std::string(kIssuerBase) + "/{tenantid}/v2.0");

  ExpectOAuthError(Send("GET", "/cccccccc-3333-4333-8333-000000000003/v2.0/.well-known/openid-configuration", "", {}),
                   400, "invalid_tenant", 90002);
}

// OpenID Connect Discovery 1.0 section 3 makes these members REQUIRED; MSAL refuses a document
// without authorization_endpoint (isOpenIdConfigResponse).
TEST_P(TokenApiTest, TheOpenIdConfigurationHasEveryRequiredMember) {
  for (const std::string& tenant : {std::string(kTenantA), std::string("common")}) {
    http::Response r = Send("GET", "/" + tenant + "/v2.0/.well-known/openid-configuration", "", {});
    ASSERT_EQ(r.status, 200) << r.body;
    for (const char* member : {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                               "response_types_supported", "subject_types_supported",
                               "id_token_signing_alg_values_supported"}) {
      EXPECT_NE(JsonAt(r.body, member), "<missing>") << member << " in " << r.body;
    }
    EXPECT_EQ(JsonAt(r.body, "authorization_endpoint"), "http://127.0.0.1:8080/" + tenant + "/oauth2/v2.0/authorize");
    EXPECT_EQ(JsonAt(r.body, "token_endpoint_auth_methods_supported"),
              "[\"client_secret_post\",\"client_secret_basic\",\"private_key_jwt\"]");
  }
}

// The authorization endpoint exists (discovery names it) and says, without redirecting anywhere,
// that this issuer signs no users in.
TEST_P(TokenApiTest, TheAuthorizationEndpointExplainsThatOnlyClientCredentialsAreGranted) {
  for (const char* method : {"GET", "POST"}) {
    http::Response r = Send(method, std::string("/") + kTenantA + "/oauth2/v2.0/authorize?response_type=code&"
                                    "client_id=" + exporter_a_.client_id + "&redirect_uri=https%3A%2F%2Fevil.example%2F",
                            "", {});
    ExpectOAuthError(r, 400, "unsupported_response_type");
    EXPECT_THAT(JsonAt(r.body, "error_description"), HasSubstr("client credentials"));
    EXPECT_EQ(Header(r, "Location"), "");
  }
  http::Response device = Send("POST", std::string("/") + kTenantA + "/oauth2/v2.0/devicecode",
                               "client_id=" + exporter_a_.client_id + "&scope=openid",
                               {{"content-type", "application/x-www-form-urlencoded"}});
  ExpectOAuthError(device, 400, "unauthorized_client");
  EXPECT_THAT(JsonAt(device.body, "error_description"), HasSubstr("client credentials"));
}

// Instance discovery as Entra answers it for a host it does not know: the host is its own alias, and
// the tenant's discovery document is ours (MSAL's cloudDiscoveryMetadata takes this body).
TEST_P(TokenApiTest, InstanceDiscoveryNamesThisHostAndTheTenantsDocument) {
  http::Response r = Send("GET", std::string("/common/discovery/instance?api-version=1.1&authorization_endpoint=") +
                                     "http%3A%2F%2F127.0.0.1%3A8080%2F" + kTenantA + "%2Foauth2%2Fv2.0%2Fauthorize",
                          "", {});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonAt(r.body, "tenant_discovery_endpoint"),
            std::string("http://127.0.0.1:8080/") + kTenantA + "/v2.0/.well-known/openid-configuration");
  EXPECT_EQ(JsonAt(r.body, "metadata.0.preferred_network"), "127.0.0.1:8080");
  EXPECT_EQ(JsonAt(r.body, "metadata.0.aliases"), "[\"127.0.0.1:8080\"]");
  http::Response other = Send("GET", "/common/discovery/instance?api-version=1.1&authorization_endpoint="
                                     "https%3A%2F%2Flogin.example%2Fcommon%2Foauth2%2Fv2.0%2Fauthorize", "", {});
  ExpectOAuthError(other, 400, "invalid_instance", 50049);
}

TEST_P(TokenApiTest, TheJwksPublishesTheKeyThatSignsTheTokens) {
  const std::string token = TokenFor(kTenantA, exporter_a_);
  auto header = Base64UrlDecode(token.substr(0, token.find('.')));
  ASSERT_TRUE(header.ok());
  for (const std::string& path : {std::string("/") + kTenantA + "/discovery/v2.0/keys", std::string("/common/discovery/v2.0/keys")}) {
    http::Response r = Send("GET", path, "", {});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(JsonAt(r.body, "keys.0.kid"), JsonAt(*header, "kid"));
    EXPECT_EQ(JsonAt(r.body, "keys.0.kty"), "RSA");
    EXPECT_EQ(JsonAt(r.body, "keys.0.alg"), "RS256");
    EXPECT_EQ(JsonAt(r.body, "keys.0.use"), "sig");
    EXPECT_NE(JsonAt(r.body, "keys.0.n"), "<missing>");
    EXPECT_EQ(JsonAt(r.body, "keys.0.d"), "<missing>");  // never the private half
  }
  ExpectOAuthError(Send("GET", "/cccccccc-3333-4333-8333-000000000003/discovery/v2.0/keys", "", {}), 400,
                   "invalid_tenant");
}

// ----- using tokens -----

TEST_P(TokenApiTest, ATokenOfTenantAIsBlindToTenantB) {
  const std::string token = TokenFor(kTenantA, exporter_a_);
  http::Response other = Export(carol_, token);
  http::Response missing = Export("dddddddd-0000-4000-8000-000000000000", token);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(JsonAt(other.body, "error.code"), JsonAt(missing.body, "error.code"));
  EXPECT_EQ(Export(carol_, TokenFor(kTenantB, exporter_b_)).status, 200);
}

TEST_P(TokenApiTest, ADelegatedTokenCannotExport) {
  auth::Claims c;
  c.iss = std::string(kIssuerBase) + "/" + kTenantA + "/v2.0";
  c.aud = {kGraph};
  c.tid = kTenantA;
  c.appid = exporter_a_.client_id;
  c.oid = alice_;
  c.scp = {auth::kReadDelegated, auth::kReadAll};
  c.iat = c.nbf = NowSeconds();
  c.exp = NowSeconds() + 600;
  http::Response r = Export(alice_, Mint(c));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_THAT(JsonAt(r.body, "error.message"), HasSubstr("delegated"));
}

TEST_P(TokenApiTest, AnExpiredTokenIsRefusedWithAChallenge) {
  const std::string token = TokenFor(kTenantA, exporter_a_);
  ASSERT_EQ(Export(alice_, token).status, 200);
  Advance((3600 + 300) * 1000);  // past exp and the clock skew
  http::Response r = Export(alice_, token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(JsonAt(r.body, "error.code"), "InvalidAuthenticationToken");
  EXPECT_THAT(Header(r, "WWW-Authenticate"), HasSubstr("Bearer"));
  EXPECT_THAT(JsonAt(r.body, "error.message"), HasSubstr("expired"));
}

TEST_P(TokenApiTest, NoTokenIsAChallengeThatSaysWhereToGetOne) {
  http::Response r = Send("GET", "/v1.0/copilot/users/" + alice_ + "/interactionHistory/getAllEnterpriseInteractions",
                          "", {});
  EXPECT_EQ(r.status, 401);
  EXPECT_THAT(Header(r, "WWW-Authenticate"), HasSubstr("Bearer"));
  EXPECT_THAT(JsonAt(r.body, "error.message"), HasSubstr("/oauth2/v2.0/token"));
}

INSTANTIATE_TEST_SUITE_P(Engines, TokenApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
