#include "api/app_registration.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "auth/secret_hash.h"
#include "base/hex.h"
#include "directory/identifiers.h"
#include "http/graph_error.h"

namespace aih::api {
namespace {

constexpr int64_t kMaxLifetimeDays = 3650;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<NewSecret> MakeSecret(int64_t lifetime_days, store::AppSecret* stored) {
  if (lifetime_days < 0 || lifetime_days > kMaxLifetimeDays) {
    return Status::BadRequest("a secret's lifetime must be 0 (never expires) to " + std::to_string(kMaxLifetimeDays) +
                              " days");
  }
  NewSecret secret;
  secret.secret_id = http::NewGuid();
  secret.secret_text = auth::GenerateClientSecret();
  auto hash = auth::HashClientSecret(secret.secret_text);
  if (!hash.ok()) return hash.status();
  const int64_t now = NowSeconds();
  secret.expires_at = lifetime_days ? now + lifetime_days * 86400 : 0;
  stored->secret_id = secret.secret_id;
  stored->secret_hash = std::move(*hash);
  stored->hint = secret.secret_text.substr(0, 3);
  stored->created_at = now;
  stored->expires_at = secret.expires_at;
  return secret;
}

}  // namespace

Result<NewApplication> RegisterApplication(store::DirectoryStore& directory, const std::string& display_name,
                                           const std::string& home_tenant_id, int64_t lifetime_days,
                                           const std::string& client_id) {
  AIH_RETURN_IF_ERROR(directory::ValidateDisplayName(display_name, "displayName"));
  auto tenant = directory::CanonicalGuid(home_tenant_id, "homeTenantId");
  if (!tenant.ok()) return tenant.status();
  std::string id = http::NewGuid();
  if (!client_id.empty()) {
    auto given = directory::CanonicalGuid(client_id, "clientId");
    if (!given.ok()) return given.status();
    id = *given;
  }
  NewApplication out;
  store::AppSecret stored;
  auto secret = MakeSecret(lifetime_days, &stored);
  if (!secret.ok()) return secret.status();
  out.secret = std::move(*secret);
  out.application = store::Application{id, display_name, *tenant, NowSeconds()};
  AIH_RETURN_IF_ERROR(directory.CreateApplication(out.application));
  AIH_RETURN_IF_ERROR(directory.AddSecret(out.application.client_id, stored));
  return out;
}

Result<NewSecret> AddClientSecret(store::DirectoryStore& directory, const std::string& client_id,
                                  int64_t lifetime_days) {
  auto id = directory::CanonicalGuid(client_id, "clientId");
  if (!id.ok()) return id.status();
  store::AppSecret stored;
  auto secret = MakeSecret(lifetime_days, &stored);
  if (!secret.ok()) return secret.status();
  AIH_RETURN_IF_ERROR(directory.AddSecret(*id, stored));
  return secret;
}

Result<store::AppCertificate> AddClientCertificate(store::DirectoryStore& directory, const std::string& client_id,
                                                   const std::string& pem) {
  auto id = directory::CanonicalGuid(client_id, "clientId");
  if (!id.ok()) return id.status();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
  if (!cert) {
    return Status::BadRequest("the certificate is not a PEM X.509 certificate (-----BEGIN CERTIFICATE----- ...)");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert.get(), EVP_sha1(), digest, &length) != 1) {
    return Status::Internal("could not compute the certificate's thumbprint");
  }
  store::AppCertificate certificate;
  certificate.thumbprint = Hex(std::string_view(reinterpret_cast<const char*>(digest), length));
  certificate.certificate_pem = pem;
  certificate.created_at = NowSeconds();
  AIH_RETURN_IF_ERROR(directory.AddCertificate(*id, certificate));
  return certificate;
}

}  // namespace aih::api
