// Certificate credentials at the token endpoint (auth/client_assertion.h): an app registered with a
// certificate gets tokens with a client assertion signed by the certificate's key, RS256 with x5t or
// PS256 with x5t#S256 as MSAL sends them; every other assertion is refused with Entra's error, and
// changes nothing.
#include <gmock/gmock.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <ctime>

#include "api/app_registration.h"
#include "api_fixture.h"
#include "base/base64.h"
#include <openssl/x509.h>
#include "identity_fixture.h"

namespace aih::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct CertificateAndKey {
  std::string certificate_pem, private_key_pem;
};

// A self-signed certificate of a fresh 2048-bit RSA key, valid from `from` to `to` seconds from now.
CertificateAndKey MakeRsaCertificate(long from, long to) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), from);
  X509_gmtime_adj(X509_getm_notAfter(cert), to);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("assertion test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  auto pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(size));
    BIO_free(bio);
    return out;
  };
  CertificateAndKey made{pem([&](BIO* b) { PEM_write_bio_X509(b, cert); }),
                         pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); })};
  X509_free(cert);
  EVP_PKEY_free(key);
  return made;
}

// The app's certificate (0), a stranger's (1) and an expired one (2), made once for the whole run:
// RSA generation costs ~0.1 s each.
const CertificateAndKey& Certificate(int which) {
  static const CertificateAndKey made[3] = {MakeRsaCertificate(-3600, 30 * 86400), MakeRsaCertificate(-3600, 30 * 86400),
                                            MakeRsaCertificate(-7200, -3600)};
  return made[which];
}

std::string Digest(const std::string& pem, const EVP_MD* md) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(cert, md, digest, &length);
  X509_free(cert);
  BIO_free(bio);
  return std::string(reinterpret_cast<char*>(digest), length);
}

// RS256 or PS256 (salt as long as the hash, RFC 7518) of `input` with the PEM private key.
std::string Sign(const std::string& key_pem, const std::string& alg, const std::string& input) {
  BIO* bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestSignInit(md, &pctx, EVP_sha256(), nullptr, key);
  if (alg == "PS256") {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  size_t size = 0;
  EVP_DigestSign(md, nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string signature(size, '\0');
  EVP_DigestSign(md, reinterpret_cast<unsigned char*>(signature.data()), &size,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  signature.resize(size);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  BIO_free(bio);
  return signature;
}

void ExpectRefused(const http::Response& r, int status, const std::string& error, int code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(JsonAt(r.body, "error"), error) << r.body;
  EXPECT_EQ(JsonAt(r.body, "error_codes"), "[" + std::to_string(code) + "]") << r.body;
  EXPECT_EQ(JsonAt(r.body, "access_token"), "<missing>");
}

class ClientAssertionApiTest : public IdentityApiTest {
 protected:
  void SetUp() override {
    IdentityApiTest::SetUp();
    // The certificates are valid around the real now: run the fixture's clock from there.
    Advance(static_cast<int64_t>(std::time(nullptr)) * 1000 - now_ms_);
    auto registered = api::AddClientCertificate(store_->directory(), exporter_a_.client_id,
                                                Certificate(0).certificate_pem);
    ASSERT_TRUE(registered.ok()) << registered.status().message();
  }

  // The claims MSAL writes, each overridable.
  struct Assertion {
    std::string alg = "RS256";
    std::string thumbprint_header = "x5t";  // x5t, x5t#S256, or "" for none
    int cert = 0;                           // whose thumbprint the header names
    int key = 0;                            // whose key signs
    std::string iss, sub;
    std::string aud = "http://127.0.0.1:8080/aaaaaaaa-1111-4111-8111-000000000001/oauth2/v2.0/token";
    int64_t exp_in = 600;
  };

  std::string Make(Assertion a) {
    const std::string& cert_pem = Certificate(a.cert).certificate_pem;
    std::string header = "{\"alg\":\"" + a.alg + "\",\"typ\":\"JWT\"";
    if (a.thumbprint_header == "x5t") header += ",\"x5t\":\"" + Base64UrlEncode(Digest(cert_pem, EVP_sha1())) + "\"";
    if (a.thumbprint_header == "x5t#S256") {
      header += ",\"x5t#S256\":\"" + Base64UrlEncode(Digest(cert_pem, EVP_sha256())) + "\"";
    }
    header += "}";
    const std::string iss = a.iss.empty() ? exporter_a_.client_id : a.iss;
    const std::string sub = a.sub.empty() ? iss : a.sub;
    const std::string payload = "{\"aud\":\"" + a.aud + "\",\"exp\":" + std::to_string(NowSeconds() + a.exp_in) +
                                ",\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"nbf\":" +
                                std::to_string(NowSeconds()) + ",\"jti\":\"6b2b6c3e-1c1e-4d5e-9f00-000000000001\"}";
    const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
    return input + "." + Base64UrlEncode(Sign(Certificate(a.key).private_key_pem, a.alg, input));
  }

  http::Response Request(const std::string& assertion, const std::string& extra = "",
                         const std::string& type = kJwtBearer) {
    return TokenRequest(kTenantA, "grant_type=client_credentials&client_id=" + exporter_a_.client_id +
                                      "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_assertion_type=" +
                                      type + "&client_assertion=" + assertion + extra);
  }
};

TEST_P(ClientAssertionApiTest, AnRs256AssertionWithX5tGetsATokenThatExports) {
  http::Response r = Request(Make({}));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string token = JsonAt(r.body, "access_token");
  EXPECT_EQ(Export(alice_, token).status, 200);
}

TEST_P(ClientAssertionApiTest, APs256AssertionWithX5tS256AsMsalSendsIt) {
  Assertion a;
  a.alg = "PS256";
  a.thumbprint_header = "x5t#S256";
  http::Response r = Request(Make(a));
  ASSERT_EQ(r.status, 200) << r.body;
}

TEST_P(ClientAssertionApiTest, TheAudienceMayBeTheTokenEndpointUnderTheIssuerBase) {
  Assertion a;
  a.aud = std::string(kIssuerBase) + "/" + kTenantA + "/oauth2/v2.0/token";
  EXPECT_EQ(Request(Make(a)).status, 200);
  a.aud = "https://login.microsoftonline.com/" + std::string(kTenantA) + "/oauth2/v2.0/token";
  http::Response r = Request(Make(a));
  ExpectRefused(r, 401, "invalid_client", 700023);
  EXPECT_THAT(JsonAt(r.body, "error_description"), HasSubstr("/oauth2/v2.0/token"));
}

TEST_P(ClientAssertionApiTest, AStrangersKeyOrCertificateIsRefused) {
  Assertion forged;
  forged.key = 1;  // names our certificate, signed by another key
  ExpectRefused(Request(Make(forged)), 401, "invalid_client", 700027);
  Assertion unregistered;
  unregistered.cert = unregistered.key = 1;
  http::Response r = Request(Make(unregistered));
  ExpectRefused(r, 401, "invalid_client", 700027);
  EXPECT_THAT(JsonAt(r.body, "error_description"), HasSubstr("not registered"));
  Assertion nameless;
  nameless.thumbprint_header = "";
  ExpectRefused(Request(Make(nameless)), 401, "invalid_client", 700027);
}

TEST_P(ClientAssertionApiTest, AnAssertionForAnotherAppIsRefused) {
  Assertion a;
  a.iss = a.sub = writer_a_.client_id;
  ExpectRefused(Request(Make(a)), 401, "invalid_client", 700021);
  Assertion b;
  b.sub = writer_a_.client_id;
  ExpectRefused(Request(Make(b)), 401, "invalid_client", 700021);
}

TEST_P(ClientAssertionApiTest, AnExpiredOrLongLivedAssertionIsRefused) {
  Assertion expired;
  expired.exp_in = -301;
  ExpectRefused(Request(Make(expired)), 401, "invalid_client", 700024);
  Assertion forever;
  forever.exp_in = 2 * 24 * 3600;
  ExpectRefused(Request(Make(forever)), 401, "invalid_client", 700024);
}

TEST_P(ClientAssertionApiTest, UnsignedOrHmacAssertionsAreMalformed) {
  const std::string payload = Base64UrlEncode("{\"iss\":\"" + exporter_a_.client_id + "\"}");
  for (const std::string alg : {"none", "HS256"}) {
    const std::string jwt = Base64UrlEncode("{\"alg\":\"" + alg + "\"}") + "." + payload + ".c2ln";
    ExpectRefused(Request(jwt), 400, "invalid_request", 50027);
  }
  ExpectRefused(Request("not-a-jwt"), 400, "invalid_request", 50027);
}

TEST_P(ClientAssertionApiTest, OneCredentialOfAKnownTypeOnly) {
  http::Response both = Request(Make({}), "&client_secret=" + exporter_a_.secret);
  EXPECT_EQ(both.status, 400) << both.body;
  EXPECT_EQ(JsonAt(both.body, "error"), "invalid_request");
  http::Response saml = Request(Make({}), "", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer");
  EXPECT_EQ(saml.status, 400) << saml.body;
  EXPECT_THAT(JsonAt(saml.body, "error_description"), HasSubstr("jwt-bearer"));
}

TEST_P(ClientAssertionApiTest, AnExpiredCertificateNoLongerAuthenticates) {
  auto registered = api::AddClientCertificate(store_->directory(), exporter_a_.client_id, Certificate(2).certificate_pem);
  ASSERT_TRUE(registered.ok()) << registered.status().message();
  Assertion a;
  a.cert = a.key = 2;
  http::Response r = Request(Make(a));
  ExpectRefused(r, 401, "invalid_client", 700027);
  EXPECT_THAT(JsonAt(r.body, "error_description"), HasSubstr("expired"));
}

TEST_P(ClientAssertionApiTest, ARemovedCertificateNoLongerAuthenticates) {
  const std::string assertion = Make({});
  ASSERT_EQ(Request(assertion).status, 200);
  auto certificates = store_->directory().ListCertificates(exporter_a_.client_id);
  ASSERT_TRUE(certificates.ok() && certificates->size() == 1);
  ASSERT_TRUE(store_->directory().RemoveCertificate(exporter_a_.client_id, (*certificates)[0].thumbprint).ok());
  ExpectRefused(Request(assertion), 401, "invalid_client", 700027);
}

INSTANTIATE_TEST_SUITE_P(Engines, ClientAssertionApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
