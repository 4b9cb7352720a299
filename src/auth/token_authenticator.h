// TokenAuthenticator: the Authenticator for bearer JWTs from our own issuer or a trusted external one.
//
// A token is accepted when VerifyJwt passes against its issuer's keys (our KeyRing's trusted keys,
// or the JWKS of a configured external issuer such as Microsoft Entra ID or Keycloak), its audience
// is ours, and its tenant exists in the directory. The issuer is chosen by the token's kid, and each
// issuer's keys verify only tokens naming that issuer's `iss`. Claims map to a Principal the same way
// for every issuer: tid → tenant, appid/azp → app, scp → delegated (oid the signed-in user),
// otherwise application with its roles; ids that are GUIDs are lower-cased, as the directory keeps them. Anything else is kUnauthenticated saying what to fix.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/authenticator.h"
#include "auth/key_ring.h"
#include "store/directory_store.h"

namespace aih::auth {

struct Claims;  // jwt.h

// An external issuer whose tokens are trusted (section 10: "trust an external issuer").
struct ExternalIssuer {
  std::vector<std::string> issuers;  // accepted `iss` values; "{tenantid}" stands for the token's tid
  std::string jwks_file;             // a JWKS document on disk, or
  std::string jwks_url;              // one fetched over HTTP(S) (TokenVerification::fetch)
};

// The body of a GET of `url` (http or https), or why there is none. serve passes http::FetchUrl.
using UrlFetcher = std::function<Result<std::string>(const std::string& url)>;

struct TokenVerification {
  std::string own_issuer_base;         // our `iss` is IssuerFor(own_issuer_base, tid) (token_issuer.h)
  std::vector<std::string> audiences;  // accepted `aud` values, for every issuer
  int64_t clock_skew_seconds = 300;
  std::vector<ExternalIssuer> external_issuers;
  // External JWKS are read again this often, and at most every jwks_retry_seconds when a token names
  // a kid they lack (the issuer rotated). A failed read keeps the keys of the last good one.
  int64_t jwks_refresh_seconds = 3600;
  int64_t jwks_retry_seconds = 60;
  UrlFetcher fetch;                    // needed only for jwks_url
  std::function<int64_t()> clock;      // Unix seconds; unset means the system clock
};

class TokenAuthenticator final : public Authenticator {
 public:
  // Reads every external JWKS now, so that a wrong file or URL fails at startup (kBadRequest naming
  // it). `keys` and `directory` must outlive the authenticator.
  static Result<std::unique_ptr<TokenAuthenticator>> Create(KeyRing& keys, store::DirectoryStore& directory,
                                                            TokenVerification options);
  ~TokenAuthenticator() override;

  // Thread-safe. kUnavailable when the directory cannot be read.
  Result<Principal> Authenticate(std::string_view authorization_header) override;

 private:
  struct External;
  TokenAuthenticator(KeyRing& keys, store::DirectoryStore& directory, TokenVerification options);
  Result<Principal> Verify(std::string_view token, const KeySet& keys, const std::vector<std::string>& issuers,
                           int64_t now);
  Result<Principal> ToPrincipal(const Claims& claims);
  int64_t Now() const;

  KeyRing& keys_;
  store::DirectoryStore& directory_;
  const TokenVerification options_;
  const std::vector<std::string> own_issuers_;
  std::vector<std::unique_ptr<External>> external_;
};

}  // namespace aih::auth
