#include "store/directory_store.h"

#include "base/guid.h"

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
Result<std::string> NewObjectId() { return NewGuid(); }

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
