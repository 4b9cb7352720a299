#include "api/admin_key.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "base/hex.h"

namespace aih::api {
namespace {

// Constant time whatever the lengths: both sides are hashed first, so only equal-length digests meet.
bool SameKey(std::string_view given, std::string_view key) {
  unsigned char a[SHA256_DIGEST_LENGTH], b[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(given.data()), given.size(), a);
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0;
}

}  // namespace

Result<std::string> LoadAdminKey(store::Store& store, const std::string& key_file) {
  if (!key_file.empty()) {
    std::ifstream in(key_file, std::ios::binary);
    if (!in) return Status::BadRequest("cannot read the admin key file " + key_file);
    std::stringstream text;
    text << in.rdbuf();
    std::string key = text.str();
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
    size_t start = 0;
    while (start < key.size() && std::isspace(static_cast<unsigned char>(key[start]))) ++start;
    key.erase(0, start);
    if (key.size() < 32) {
      return Status::BadRequest("the admin key in " + key_file + " is shorter than 32 characters; use a long random "
                                "key, e.g. `openssl rand -hex 32`");
    }
    return key;
  }
  auto secret = store.Secret("admin-key", 32);
  if (!secret.ok()) return secret.status();
  return Hex(*secret);
}

Status CheckAdminKey(const http::Request& request, const Result<std::string>& key) {
  if (!key.ok()) return key.status();
  std::string_view given = request.Header("x-aihistory-admin-key");
  if (given.empty()) {
    std::string_view authorization = request.Header("authorization");
    if (authorization.size() > 7) {
      std::string scheme(authorization.substr(0, 7));
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (scheme == "bearer ") given = authorization.substr(7);
    }
  }
  if (given.empty()) {
    return Status::Unauthenticated(
        "the admin API needs the admin key: send it as 'Authorization: Bearer <key>' or 'X-Aihistory-Admin-Key: <key>' "
        "(`aihistory admin key` prints it)");
  }
  if (!SameKey(given, *key)) {
    return Status::Unauthenticated(
        "the admin key is wrong; the admin API accepts only the admin key (`aihistory admin key` prints it), "
        "never an access token");
  }
  return Status::Ok();
}

}  // namespace aih::api
