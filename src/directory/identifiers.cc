#include "directory/identifiers.h"

#include "base/utf8.h"
#include "directory/item_classes.h"

#include <array>
#include <cctype>

#include "directory/permissions.h"

namespace aih::directory {
namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool ValidDomain(std::string_view domain) {
  if (domain.empty()) return false;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    std::string_view label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

}  // namespace

bool IsGuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? t[i] != '-' : !IsHex(t[i])) return false;
  }
  return true;
}

Result<std::string> CanonicalGuid(std::string_view text, std::string_view what) {
  if (!IsGuid(text)) {
    return Status::BadRequest(std::string(what) + " '" + Printable(text) +
                              "' is not a GUID; write it as 8-4-4-4-12 hexadecimal digits, e.g. "
                              "3f30311c-6b1e-48a4-ab79-725b469da960");
  }
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status ValidateUserPrincipalName(std::string_view upn) {
  auto bad = [&](const std::string& why) {
    return Status::BadRequest("userPrincipalName '" + Printable(upn) + "' is not valid: " + why);
  };
  if (upn.empty()) return Status::BadRequest("userPrincipalName is required (e.g. avery.kim@contoso.example)");
  if (upn.size() > 113) return bad("it has more than 113 characters");
  size_t at = upn.find('@');
  if (at == std::string_view::npos || upn.find('@', at + 1) != std::string_view::npos) {
    return bad("it needs exactly one '@' between the name and the domain");
  }
  std::string_view local = upn.substr(0, at), domain = upn.substr(at + 1);
  if (local.empty() || local.size() > 64) return bad("the part before '@' needs 1 to 64 characters");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return bad("the part before '@' cannot start or end with '.' or contain '..'");
  }
  for (char c : local) {
    if (!IsAlnum(c) && std::string_view("'.-_!#^~+").find(c) == std::string_view::npos) {
      return bad("the part before '@' may contain only letters A-Z, digits and ' . - _ ! # ^ ~ +");
    }
  }
  if (!ValidDomain(domain)) return bad("the domain after '@' must be letters, digits and '-' in dot-separated labels");
  return Status::Ok();
}

Status ValidateAppClass(std::string_view app_class) {
  if (app_class.empty()) return Status::BadRequest("appClass is required (e.g. IPM.SkypeTeams.Message.Copilot.Teams)");
  if (app_class.size() > 256) return Status::BadRequest("appClass has more than 256 characters");
  for (char c : app_class) {
    if (!IsAlnum(c) && c != '.' && c != '-' && c != '_') {
      return Status::BadRequest("appClass '" + Printable(app_class) +
                                "' may contain only letters, digits, '.', '-' and '_'");
    }
  }
  return Status::Ok();
}

Status ValidateSourceKind(std::string_view app_class, store::SourceKind kind) {
  const std::optional<store::SourceKind> microsoft = KindOfItemClass(app_class);
  if (kind == store::SourceKind::kFirstParty && microsoft != store::SourceKind::kFirstParty) {
    return Status::BadRequest(
        "appClass '" + Printable(app_class) + "' cannot be first-party: " +
        (microsoft ? "Microsoft's item classes make it a connected or cloud AI app, which is third-party"
                   : "first-party Copilot experiences have appClasses IPM.SkypeTeams.Message.Copilot.<App> or "
                     "IPM.SkypeTeams.Message.TeamCopilot") +
        "; register it as third-party");
  }
  if (kind == store::SourceKind::kThirdParty && microsoft == store::SourceKind::kFirstParty) {
    return Status::BadRequest("appClass '" + Printable(app_class) + "' is one of Microsoft 365 Copilot's own "
                              "experiences: register it as first-party");
  }
  return Status::Ok();
}

Status ValidateAppRole(std::string_view role) {
  static const std::array<std::string_view, 2> kRoles = {kReadAll, kWriteAll};
  for (std::string_view r : kRoles) {
    if (role == r) return Status::Ok();
  }
  if (role == kReadUser) {
    return Status::BadRequest(std::string(kReadUser) + " is granted for particular users, not by tenant-wide "
                              "admin consent: grant it user by user with PUT /admin/tenants/{tenant}/users/{user}/"
                              "access/{clientId}, or `aihistory admin access grant --tenant T --client-id C --user U`");
  }
  return Status::BadRequest("'" + Printable(role) + "' is not an application role that admin consent grants; use " +
                            std::string(kReadAll) + " (export and subscriptions) or " + kWriteAll +
                            " (writers); " + kReadUser + " is granted per user instead");
}

Status ValidateDisplayName(std::string_view name, std::string_view what) {
  if (name.empty()) return Status::BadRequest(std::string(what) + " must not be empty");
  if (name.size() > 256) return Status::BadRequest(std::string(what) + " has more than 256 characters");
  if (!IsUtf8(name)) return Status::BadRequest(std::string(what) + " is not valid UTF-8");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return Status::BadRequest(std::string(what) + " must not contain control characters");
  }
  return Status::Ok();
}

}  // namespace aih::directory
