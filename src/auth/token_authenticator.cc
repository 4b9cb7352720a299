#include "auth/token_authenticator.h"

#include <ctime>
#include <fstream>
#include <mutex>
#include <sstream>

#include "auth/jwt.h"
#include "auth/token_issuer.h"
#include "base/utf8.h"
#include "directory/identifiers.h"

namespace aih::auth {
namespace {

constexpr const char* kHowToGetOne =
    "send Authorization: Bearer <token>, with a token from POST /{tenantId}/oauth2/v2.0/token";

Status Deny(std::string message) { return Status::Unauthenticated(std::move(message)); }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// The token of "Bearer <token>" (RFC 6750 section 2.1; the scheme is case-insensitive).
Result<std::string_view> BearerToken(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.empty()) return Deny(std::string("the request has no access token: ") + kHowToGetOne);
  const size_t space = header.find(' ');
  const std::string_view scheme = header.substr(0, space);
  if (!EqualsIgnoringCase(scheme, "Bearer")) {
    return Deny("the Authorization header uses the scheme '" + Printable(scheme.substr(0, 20)) +
                  "', which this API does not accept: " + kHowToGetOne);
  }
  std::string_view token = space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty()) return Deny(std::string("the Authorization header has no token after 'Bearer': ") + kHowToGetOne);
  if (token.find(' ') != std::string_view::npos) {
    return Deny("the Authorization header holds more than one word after 'Bearer'; send exactly one access token");
  }
  return token;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadRequest("cannot read the file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

// One external issuer and the keys of its last good JWKS read.
struct TokenAuthenticator::External {
  ExternalIssuer config;
  std::mutex mu;                        // guards the three below
  std::shared_ptr<const KeySet> keys;   // never null once Create has succeeded
  int64_t loaded_at = 0;
  int64_t last_attempt = 0;
  std::mutex reading;                   // one read at a time; other threads keep the current keys

  std::string Source() const { return config.jwks_file.empty() ? config.jwks_url : config.jwks_file; }

  Result<KeySet> Read(const UrlFetcher& fetch) const {
    Result<std::string> text = config.jwks_file.empty() ? fetch(config.jwks_url) : ReadFile(config.jwks_file);
    if (!text.ok()) return Status::BadRequest(text.status().message());
    Result<KeySet> keys = KeySet::FromJwks(*text);
    if (!keys.ok()) return Status::BadRequest(keys.status().message());
    return keys;
  }

  std::shared_ptr<const KeySet> Keys() {
    std::lock_guard lock(mu);
    return keys;
  }

  // Reads the JWKS again when it is due: every refresh interval, or sooner (but not more often than
  // `retry`) when a token names a kid it lacks. Returns whether the keys changed hands.
  bool Refresh(const TokenVerification& options, int64_t now, bool unknown_kid) {
    {
      std::lock_guard lock(mu);
      const bool due = unknown_kid || now - loaded_at >= options.jwks_refresh_seconds;
      // A failed or recent read is not repeated before the retry interval: an issuer that is down, or
      // tokens with made-up kids, must not turn every request into a fetch.
      if (!due || now - last_attempt < options.jwks_retry_seconds) return false;
    }
    std::unique_lock read_lock(reading, std::try_to_lock);
    if (!read_lock.owns_lock()) return false;
    {
      std::lock_guard lock(mu);
      last_attempt = now;
    }
    Result<KeySet> fresh = Read(options.fetch);
    if (!fresh.ok()) return false;  // keep trusting the last good keys until the issuer answers again
    std::lock_guard lock(mu);
    keys = std::make_shared<const KeySet>(std::move(*fresh));
    loaded_at = now;
    return true;
  }
};

TokenAuthenticator::TokenAuthenticator(KeyRing& keys, store::DirectoryStore& directory, TokenVerification options)
    : keys_(keys),
      directory_(directory),
      options_(std::move(options)),
      own_issuers_{IssuerFor(options_.own_issuer_base, "{tenantid}")} {}

TokenAuthenticator::~TokenAuthenticator() = default;

Result<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Create(KeyRing& keys, store::DirectoryStore& directory,
                                                                       TokenVerification options) {
  if (options.own_issuer_base.empty()) {
    return Status::BadRequest("token verification needs our own issuer's base URL (the token issuer's)");
  }
  if (options.audiences.empty()) return Status::BadRequest("token verification needs at least one accepted audience");
  if (options.jwks_refresh_seconds < 1 || options.jwks_retry_seconds < 1) {
    return Status::BadRequest("the JWKS refresh and retry intervals must be at least 1 second");
  }
  std::unique_ptr<TokenAuthenticator> authenticator(new TokenAuthenticator(keys, directory, std::move(options)));
  const TokenVerification& o = authenticator->options_;
  const int64_t now = authenticator->Now();
  for (const ExternalIssuer& issuer : o.external_issuers) {
    if (issuer.issuers.empty()) return Status::BadRequest("a trusted external issuer needs its issuer (iss) value");
    if (issuer.jwks_file.empty() == issuer.jwks_url.empty()) {
      return Status::BadRequest("the trusted issuer " + issuer.issuers[0] +
                                " needs exactly one JWKS source: a file or an http(s) URL");
    }
    if (!issuer.jwks_url.empty() && !o.fetch) {
      return Status::BadRequest("the JWKS of " + issuer.issuers[0] + " is a URL, but no URL fetcher is configured");
    }
    auto external = std::make_unique<External>();
    external->config = issuer;
    Result<KeySet> keys = external->Read(o.fetch);
    if (!keys.ok()) {
      return Status::BadRequest("the JWKS of the trusted issuer " + issuer.issuers[0] + " (" + external->Source() +
                                ") cannot be used: " + keys.status().message());
    }
    external->keys = std::make_shared<const KeySet>(std::move(*keys));
    external->loaded_at = now;
    external->last_attempt = now;
    authenticator->external_.push_back(std::move(external));
  }
  return authenticator;
}

int64_t TokenAuthenticator::Now() const {
  return options_.clock ? options_.clock() : static_cast<int64_t>(std::time(nullptr));
}

Result<Principal> TokenAuthenticator::Authenticate(std::string_view authorization_header) {
  Result<std::string_view> token = BearerToken(authorization_header);
  if (!token.ok()) return token.status();
  // Unverified, and used only to pick the issuer whose keys then verify everything.
  Result<std::string> kid = ReadKeyId(*token);
  if (!kid.ok()) return kid.status();
  const int64_t now = Now();
  const KeySet ours = keys_.TrustedKeys(now);
  if (ours.Find(*kid) != nullptr) return Verify(*token, ours, own_issuers_, now);
  for (const std::unique_ptr<External>& external : external_) {
    external->Refresh(options_, now, /*unknown_kid=*/false);
    std::shared_ptr<const KeySet> keys = external->Keys();
    if (keys->Find(*kid) != nullptr) return Verify(*token, *keys, external->config.issuers, now);
  }
  // No issuer knows the kid: an external issuer may have rotated since we last read its keys.
  for (const std::unique_ptr<External>& external : external_) {
    if (!external->Refresh(options_, now, /*unknown_kid=*/true)) continue;
    std::shared_ptr<const KeySet> keys = external->Keys();
    if (keys->Find(*kid) != nullptr) return Verify(*token, *keys, external->config.issuers, now);
  }
  return Verify(*token, ours, own_issuers_, now);  // refused, with VerifyJwt's "unknown key" message
}

Result<Principal> TokenAuthenticator::Verify(std::string_view token, const KeySet& keys,
                                             const std::vector<std::string>& issuers, int64_t now) {
  VerifyOptions verify;
  verify.issuers = issuers;
  verify.audiences = options_.audiences;
  verify.clock_skew_seconds = options_.clock_skew_seconds;
  verify.now = now;
  Result<Claims> claims = VerifyJwt(token, keys, verify);
  if (!claims.ok()) return claims.status();
  return ToPrincipal(*claims);
}

namespace {

// Object and client ids are GUIDs, which compare without regard to case, and the directory keeps them
// lower-case: an issuer writing them in upper case still names the same user and application. Ids
// that are no GUID (a Keycloak client name) stay as they are.
std::string CanonicalIfGuid(const std::string& id) {
  Result<std::string> guid = directory::CanonicalGuid(id, "id");
  return guid.ok() ? *guid : id;
}

}  // namespace

Result<Principal> TokenAuthenticator::ToPrincipal(const Claims& claims) {
  if (claims.tid.empty()) {
    return Deny("the token names no tenant (tid); request a token from your tenant's token endpoint, "
                  "/{tenantId}/oauth2/v2.0/token");
  }
  Result<std::string> tenant = directory::CanonicalGuid(claims.tid, "the token's tenant (tid)");
  if (!tenant.ok()) return Deny(tenant.status().message());
  Result<store::Tenant> registered = directory_.GetTenant(*tenant);
  if (!registered.ok()) {
    if (registered.status().code() != Code::kNotFound) return registered.status();
    return Deny("the token's tenant " + *tenant + " is not registered in this aihistory; an administrator creates "
                  "it (aihistory admin tenant create), then request a new token");
  }
  if (claims.appid.empty()) {
    return Deny("the token names no application (appid or azp); request a token for a registered application");
  }
  Principal principal;
  principal.tenant_id = std::move(*tenant);
  principal.app_id = CanonicalIfGuid(claims.appid);
  principal.audiences = claims.aud;
  principal.expires_at = claims.exp;
  if (claims.IsDelegated()) {
    if (claims.oid.empty()) {
      return Deny("the delegated token (it has scp) names no signed-in user (oid); request a token for a user");
    }
    principal.kind = Principal::Kind::kDelegated;
    principal.user_id = CanonicalIfGuid(claims.oid);
    principal.scopes = claims.scp;
    principal.roles = claims.roles;  // roles assigned to the user; never application permissions
  } else {
    principal.kind = Principal::Kind::kApplication;
    principal.roles = claims.roles;
  }
  return principal;
}

}  // namespace aih::auth
