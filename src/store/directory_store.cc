#include "store/directory_store.h"

#include <openssl/rand.h>

#include <cstdio>

namespace aih::store {

const char* ToString(AccountType type) { return type == AccountType::kPersonal ? "personal" : "work"; }

std::optional<AccountType> ParseAccountType(std::string_view text) {
  if (text == "work") return AccountType::kWork;
  if (text == "personal") return AccountType::kPersonal;
  return std::nullopt;
}

const char* ToString(SourceKind kind) { return kind == SourceKind::kFirstParty ? "first-party" : "third-party"; }

std::optional<SourceKind> ParseSourceKind(std::string_view text) {
  if (text == "first-party") return SourceKind::kFirstParty;
  if (text == "third-party") return SourceKind::kThirdParty;
  return std::nullopt;
}

namespace directory_rules {

// User principal names compare case-insensitively. Valid UPNs are ASCII (directory/identifiers.h),
// so folding ASCII is exact and gives the same key in every engine (SQLite's does the same).
std::string UpnKey(std::string_view upn) {
  std::string key(upn);
  for (char& ch : key) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return key;
}

// A random (version 4) GUID for a user imported without an object id.
Result<std::string> NewObjectId() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) return Status::Internal("the system random generator failed");
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return std::string(out);
}

Status TenantNotFound(const std::string& tenant_id) {
  return Status::NotFound("tenant '" + tenant_id +
                          "' is not registered; create it first (POST /admin/tenants, or `aihistory admin tenant create`)");
}

Status AppNotFound(const std::string& client_id) {
  return Status::NotFound("application '" + client_id +
                          "' is not registered; register it first (POST /admin/applications, or `aihistory admin app register`)");
}

Status SourceNotFound(const std::string& app_class) {
  return Status::NotFound("appClass '" + app_class + "' is not a registered source of this tenant");
}

Status UserNotFound() { return Status::NotFound("the user was not found in this tenant"); }

}  // namespace directory_rules

}  // namespace aih::store
