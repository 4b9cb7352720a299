#include "odata/cursor.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <chrono>
#include <stdexcept>
#include <utility>

#include "base/base64.h"

namespace aih::odata {
namespace {

// The sealed token, before base64url:
//   version            1 byte (kVersion)
//   expiry             8 bytes, big-endian unix seconds
//   ticks              8 bytes, big-endian two's complement
//   binding hash      16 bytes, SHA-256 of the length-prefixed tenant, scope and fingerprint, truncated
//   id                 LEB128 length + bytes
//   user id            LEB128 length + bytes
//   count              8 bytes, big-endian; only in a token that carries one (CursorPosition::count)
//   MAC               32 bytes, HMAC-SHA256 under the server secret of everything before it
constexpr uint8_t kVersion = 1;
constexpr size_t kBindingHashSize = 16;
constexpr size_t kMacSize = 32;
constexpr size_t kFixedSize = 1 + 8 + 8 + kBindingHashSize;
constexpr size_t kMinSealedSize = kFixedSize + 1 + 1 + kMacSize;
// Ids are short; a token far longer than any we mint is refused before any work is done on it.
constexpr size_t kMaxTokenChars = 4096;

// One message for every failure: which check failed is none of the client's business (it would help
// someone forging tokens), and the remedy is the same.
constexpr const char* kRefused = "$skiptoken is invalid or has expired; restart from the first page";


void PutUint64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xFF));
}

uint64_t GetUint64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

void PutString(std::string* out, std::string_view s) {
  uint64_t n = s.size();
  do {
    const uint8_t low = n & 0x7F;
    n >>= 7;
    out->push_back(static_cast<char>(n ? (low | 0x80) : low));
  } while (n);
  out->append(s);
}

// Reads a LEB128-length-prefixed string from the front of *in; false if it does not fit.
bool GetString(std::string_view* in, std::string* s) {
  uint64_t n = 0;
  for (int shift = 0;; shift += 7) {
    if (in->empty() || shift > 28) return false;
    const uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    n |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (n > in->size()) return false;
  s->assign(in->substr(0, n));
  in->remove_prefix(n);
  return true;
}

std::string BindingHash(const CursorBinding& binding) {
  std::string input = "aihistory cursor binding v1";
  for (const std::string* part : {&binding.tenant_id, &binding.scope, &binding.fingerprint}) {
    PutUint64(&input, part->size());  // length-prefixed: ("ab","c") and ("a","bc") differ
    input += *part;
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), kBindingHashSize);
}

std::string Mac(const std::string& secret, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

int64_t UnixSecondsNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CursorSigner::CursorSigner(std::string secret, int64_t lifetime_seconds)
    : secret_(std::move(secret)), lifetime_seconds_(lifetime_seconds) {
  // A short key would make every export cursor forgeable; refuse to start rather than run weak.
  if (secret_.size() < 32) throw std::invalid_argument("the cursor secret must be at least 32 bytes");
}

std::string CursorSigner::Seal(const CursorPosition& position, const CursorBinding& binding) const {
  std::string sealed;
  sealed.push_back(static_cast<char>(kVersion));
  PutUint64(&sealed, static_cast<uint64_t>(UnixSecondsNow() + lifetime_seconds_));
  PutUint64(&sealed, static_cast<uint64_t>(position.ticks));
  sealed += BindingHash(binding);
  PutString(&sealed, position.id);
  PutString(&sealed, position.user_id);
  if (position.count) PutUint64(&sealed, static_cast<uint64_t>(*position.count));
  sealed += Mac(secret_, sealed);
  return Base64UrlEncode(sealed);
}

Result<CursorPosition> CursorSigner::Open(std::string_view token, const CursorBinding& binding) const {
  const Status refused = Status::BadRequest(kRefused);
  if (token.size() > kMaxTokenChars) return refused;
  // Strict (base/base64.h): a byte string has one text, so altering a token's last character cannot
  // go unnoticed.
  auto decoded = Base64UrlDecode(token);
  if (!decoded.ok() || decoded->size() < kMinSealedSize) return refused;
  const std::string& sealed = *decoded;
  // The MAC first: nothing of the payload is interpreted before it is known to be ours.
  const std::string_view payload = std::string_view(sealed).substr(0, sealed.size() - kMacSize);
  const std::string_view mac = std::string_view(sealed).substr(payload.size());
  if (!ConstantTimeEqual(mac, Mac(secret_, payload))) return refused;

  if (static_cast<uint8_t>(payload[0]) != kVersion) return refused;
  const auto expiry = static_cast<int64_t>(GetUint64(payload.substr(1)));
  CursorPosition position;
  position.ticks = static_cast<int64_t>(GetUint64(payload.substr(9)));
  const std::string_view binding_hash = payload.substr(17, kBindingHashSize);
  std::string_view rest = payload.substr(kFixedSize);
  if (!GetString(&rest, &position.id) || !GetString(&rest, &position.user_id)) return refused;
  if (rest.size() == 8) {
    position.count = static_cast<int64_t>(GetUint64(rest));
  } else if (!rest.empty()) {
    return refused;
  }
  if (!ConstantTimeEqual(binding_hash, BindingHash(binding))) return refused;
  if (UnixSecondsNow() >= expiry) return refused;
  return position;
}

}  // namespace aih::odata
