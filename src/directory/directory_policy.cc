#include "directory/directory_policy.h"

#include <algorithm>
#include <unordered_map>

#include "directory/identifiers.h"
#include "store/page_sql.h"

namespace aih::directory {
namespace {

// Graph's own words for a user it cannot find; the same for a user of another tenant, so that a
// caller cannot tell the two apart.
Status UserNotFound(std::string_view user_ref) {
  return Status::NotFound("Resource '" + Printable(user_ref) +
                          "' does not exist or one of its queried reference-property objects are not present.");
}

// The failure of a directory lookup: a missing user stays indistinguishable, anything else (the
// database is unavailable, ...) passes through unchanged.
Status LookupFailure(const Status& status, std::string_view user_ref) {
  return status.code() == Code::kNotFound ? UserNotFound(user_ref) : status;
}

}  // namespace

Status DirectoryPolicy::RequireConsentedRole(const auth::Principal& caller, const char* role, const char* action) {
  if (caller.kind != auth::Principal::Kind::kApplication) {
    return Status::Forbidden(std::string(action) + " needs an application permission: request a token with the "
                             "client-credentials flow for an application granted " + role +
                             "; delegated (signed-in user) tokens cannot " + action);
  }
  if (!caller.HasRole(role)) {
    return Status::Forbidden("the token of application " + Printable(caller.app_id) + " does not carry the role " +
                             role + ", which is needed to " + action + "; an administrator grants it by admin consent "
                             "in the tenant, then the application requests a new token");
  }
  auto roles = directory_.ConsentedRoles(caller.tenant_id, caller.app_id);
  if (!roles.ok()) return roles.status();
  if (std::find(roles->begin(), roles->end(), role) != roles->end()) return Status::Ok();
  // Only on refusal: tell an unknown tenant apart from a revoked consent, so the message says what to do.
  auto tenant = directory_.GetTenant(caller.tenant_id);
  if (!tenant.ok() && tenant.status().code() == Code::kNotFound) {
    return Status::Forbidden("tenant " + Printable(caller.tenant_id) + " of the token is not registered in this "
                             "aihistory directory; an administrator creates it and grants consent first");
  }
  if (!tenant.ok()) return tenant.status();
  return Status::Forbidden("admin consent for " + std::string(role) + " is not granted to application " +
                           Printable(caller.app_id) + " in this tenant (it was revoked, or never granted); "
                           "tokens issued before a revocation stop working at once. An administrator grants it again");
}

Status DirectoryPolicy::ExplainUserGrant(const auth::Principal& caller, std::string_view user_ref, Status refusal) {
  if (caller.kind != auth::Principal::Kind::kApplication || refusal.code() != Code::kForbidden) return refusal;
  auto user = directory_.FindUser(caller.tenant_id, user_ref);
  if (!user.ok()) return user.status().code() == Code::kNotFound ? refusal : user.status();
  auto granted = directory_.HasUserAccess(caller.tenant_id, caller.app_id, user->id);
  if (!granted.ok()) return granted.status();
  if (!*granted) return refusal;
  return Status::Forbidden(refusal.message() + ". Application " + Printable(caller.app_id) + " is granted " +
                           auth::kReadUser + " for user " + user->id + ", which allows change-notification "
                           "subscriptions to that user's interactions (POST /subscriptions), not export");
}

Result<ExportScope> DirectoryPolicy::AuthorizeUserExport(const auth::Principal& caller, std::string_view user_ref) {
  Status allowed = RequireConsentedRole(caller, auth::kReadAll, "export");
  if (!allowed.ok()) return ExplainUserGrant(caller, user_ref, allowed);
  return UserExportScope(caller.tenant_id, user_ref);
}

Result<ExportScope> DirectoryPolicy::UserExportScope(const std::string& tenant_id, std::string_view user_ref) {
  auto user = directory_.FindUser(tenant_id, user_ref);
  if (!user.ok()) return LookupFailure(user.status(), user_ref);
  if (user->account_type == store::AccountType::kPersonal) {
    return Status::Forbidden("user " + user->id + " is a personal Microsoft account: personal accounts are outside "
                             "the interaction history service and are never exported");
  }
  const auto& plans = user->service_plans;
  if (std::find(plans.begin(), plans.end(), store::kCopilotServicePlanId) == plans.end()) {
    return Status::Forbidden("user " + user->id + " does not hold the Microsoft 365 Copilot license (service plan " +
                             store::kCopilotServicePlanId + "), so their interactions cannot be exported; "
                             "an administrator assigns the license to make them exportable");
  }
  auto hidden = directory_.HiddenAppClasses(tenant_id);
  if (!hidden.ok()) return hidden.status();
  ExportScope scope;
  scope.user_id = user->id;
  scope.hidden_app_classes = std::move(*hidden);
  return scope;
}

Result<ExportScope> DirectoryPolicy::AuthorizeTenantExport(const auth::Principal& caller) {
  AIH_RETURN_IF_ERROR(RequireConsentedRole(caller, auth::kReadAll, "export"));
  return TenantExportScope(caller.tenant_id);
}

Result<ExportScope> DirectoryPolicy::TenantExportScope(const std::string& tenant_id) {
  auto hidden = directory_.HiddenAppClasses(tenant_id);
  if (!hidden.ok()) return hidden.status();
  ExportScope scope;
  scope.hidden_app_classes = std::move(*hidden);
  // Personal accounts never have stored items (refused at write), so the license join is the only
  // filter the tenant-wide page needs.
  scope.licensed_users_only = true;
  return scope;
}

Status DirectoryPolicy::AuthorizeWriter(const auth::Principal& caller) {
  return RequireConsentedRole(caller, auth::kWriteAll, "write interactions");
}

struct DirectoryPolicy::Lookups {
  store::DirectoryStore& directory;
  bool memoize = false;
  std::unordered_map<std::string, Result<store::Source>> sources = {};     // by appClass
  std::unordered_map<std::string, Result<store::DirectoryUser>> users = {};  // by the reference given

  Result<store::Source> Source(const std::string& tenant_id, const std::string& app_class) {
    if (!memoize) return directory.GetSource(tenant_id, app_class);
    auto it = sources.find(app_class);
    if (it == sources.end()) it = sources.emplace(app_class, directory.GetSource(tenant_id, app_class)).first;
    return it->second;
  }
  Result<store::DirectoryUser> User(const std::string& tenant_id, const std::string& user_ref) {
    if (!memoize) return directory.FindUser(tenant_id, user_ref);
    auto it = users.find(user_ref);
    if (it == users.end()) it = users.emplace(user_ref, directory.FindUser(tenant_id, user_ref)).first;
    return it->second;
  }
};

Result<std::string> DirectoryPolicy::AuthorizeItem(const auth::Principal& caller, const model::WriteItem& item) {
  Lookups direct{directory_};
  return CheckItem(caller.tenant_id, item, &caller.app_id, direct);
}

std::vector<Result<std::string>> DirectoryPolicy::AuthorizeItems(const auth::Principal& caller,
                                                                 const std::vector<const model::WriteItem*>& items) {
  // One batch, one moment: a source or user changed by an administrator during the batch is seen as
  // it was when the batch first looked it up, as if the whole batch had been checked at once.
  Lookups memo{directory_, /*memoize=*/true};
  std::vector<Result<std::string>> out;
  out.reserve(items.size());
  for (const model::WriteItem* item : items) out.push_back(CheckItem(caller.tenant_id, *item, &caller.app_id, memo));
  return out;
}

Result<std::string> DirectoryPolicy::CheckItem(const std::string& tenant_id, const model::WriteItem& item) {
  Lookups direct{directory_};
  return CheckItem(tenant_id, item, nullptr, direct);
}

Result<std::string> DirectoryPolicy::CheckItem(const std::string& tenant_id, const model::WriteItem& item,
                                               const std::string* writer, Lookups& lookups) {
  const std::string& app_class = item.interaction.app_class;
  auto source = lookups.Source(tenant_id, app_class);
  if (!source.ok()) {
    if (source.status().code() != Code::kNotFound) return source.status();
    return Status::BadRequest(
        "appClass '" + Printable(app_class) + "' is not a registered source of this tenant, and interactions of "
        "experiences that are not registered are not stored; an administrator registers it with POST "
        "/admin/tenants/" + Printable(tenant_id) + "/sources {\"appClass\":\"" + Printable(app_class) +
        "\",\"kind\":\"third-party\",\"writers\":[\"<clientId>\"]} or `aihistory admin source register --tenant " +
        Printable(tenant_id) + " --app-class " + Printable(app_class) + " --kind third-party --writer <clientId>`");
  }
  if (writer) {
    const auto& writers = source->writers;
    if (std::find(writers.begin(), writers.end(), *writer) == writers.end()) {
      return Status::Forbidden("application " + Printable(*writer) + " is not a registered writer of appClass '" +
                               Printable(app_class) + "' in this tenant: an application writes only the appClasses of "
                               "the sources registered to it; an administrator adds it as a writer of the source");
    }
  }
  return CheckOwner(tenant_id, item, lookups);
}

Result<std::string> DirectoryPolicy::CheckOwner(const std::string& tenant_id, const model::WriteItem& item,
                                                Lookups& lookups) {
  if (item.user_id.empty()) {
    return Status::BadRequest("the item does not name its owner: add \"@aihistory.userId\" (object id or user principal name)");
  }
  auto user = lookups.User(tenant_id, item.user_id);
  if (!user.ok()) return LookupFailure(user.status(), item.user_id);
  if (user->account_type == store::AccountType::kPersonal) {
    return Status::BadRequest("user " + user->id + " is a personal Microsoft account: interactions of personal "
                              "accounts are outside the interaction history service and are not stored");
  }
  const auto& from = item.interaction.from;
  if (from && from->user && from->user->user_identity_type == "personalMicrosoftAccountUser") {
    return Status::BadRequest("from.user.userIdentityType is personalMicrosoftAccountUser: interactions of personal "
                              "Microsoft accounts are outside the interaction history service and are not stored");
  }
  return user->id;
}

}  // namespace aih::directory
