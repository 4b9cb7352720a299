#include "auth/secret_hash.h"

#include <charconv>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/base64.h"
#include "auth/openssl_handles.h"

namespace aih::auth {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;  // SHA-256's output: longer PBKDF2 output only costs the defender
constexpr size_t kSecretBytes = 32;

std::string RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    internal::CryptoFailure("reading random bytes");  // never hand out a predictable secret
  }
  return bytes;
}

std::string Pbkdf2(std::string_view secret, std::string_view salt, int iterations) {
  std::string hash(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), static_cast<int>(hash.size()),
                        reinterpret_cast<unsigned char*>(hash.data())) != 1) {
    internal::CryptoFailure("PBKDF2-HMAC-SHA256");
  }
  return hash;
}

Status Damaged(const std::string& what) {
  return Status::Internal("the stored client secret hash is damaged (" + what +
                          "); set a new client secret for this app");
}

}  // namespace

std::string GenerateClientSecret() { return Base64UrlEncode(RandomBytes(kSecretBytes)); }

Result<std::string> HashClientSecret(std::string_view secret, int iterations) {
  if (iterations < kMinSecretHashIterations || iterations > kMaxSecretHashIterations) {
    return Status::BadRequest("a client secret hash needs " + std::to_string(kMinSecretHashIterations) +
                              " to " + std::to_string(kMaxSecretHashIterations) + " iterations, not " +
                              std::to_string(iterations));
  }
  const std::string salt = RandomBytes(kSaltBytes);
  return std::string(kScheme) + '$' + std::to_string(iterations) + '$' + Base64UrlEncode(salt) + '$' +
         Base64UrlEncode(Pbkdf2(secret, salt, iterations));
}

Result<bool> VerifyClientSecret(std::string_view secret, std::string_view stored_hash) {
  std::string_view fields[4];
  std::string_view rest = stored_hash;
  for (int i = 0; i < 4; ++i) {
    const size_t dollar = rest.find('$');
    if ((dollar == std::string_view::npos) != (i == 3)) return Damaged("expected 4 fields separated by '$'");
    fields[i] = rest.substr(0, dollar);
    if (dollar != std::string_view::npos) rest.remove_prefix(dollar + 1);
  }
  if (fields[0] != kScheme) return Damaged("unknown scheme, expected " + std::string(kScheme));
  int iterations = 0;
  const auto [end, error] = std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), iterations);
  if (error != std::errc() || end != fields[1].data() + fields[1].size() || fields[1].empty() ||
      iterations < kMinSecretHashIterations || iterations > kMaxSecretHashIterations) {
    return Damaged("the iteration count is not a number from " + std::to_string(kMinSecretHashIterations) +
                   " to " + std::to_string(kMaxSecretHashIterations));
  }
  Result<std::string> salt = Base64UrlDecode(fields[2]);
  if (!salt.ok() || salt->size() < kSaltBytes) return Damaged("the salt is not 16 or more base64url bytes");
  Result<std::string> expected = Base64UrlDecode(fields[3]);
  if (!expected.ok() || expected->size() != kHashBytes) return Damaged("the hash is not 32 base64url bytes");
  const std::string actual = Pbkdf2(secret, *salt, iterations);
  return CRYPTO_memcmp(actual.data(), expected->data(), kHashBytes) == 0;
}

}  // namespace aih::auth
