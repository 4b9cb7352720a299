#include "policy/directory_policy.h"

#include <algorithm>
#include <unordered_map>

#include "base/utf8.h"
#include "policy/consent.h"
#include "policy/copilot_license.h"
#include "policy/hidden_sources.h"
#include "policy/personal_accounts.h"
#include "policy/user_access.h"
#include "policy/users.h"

namespace aih::policy {

Result<ExportScope> DirectoryPolicy::AuthorizeUserExport(const auth::Principal& caller, std::string_view user_ref) {
  Status allowed = RequireConsentedRole(directory_, caller, auth::kReadAll, "export");
  if (!allowed.ok()) return ExplainUserGrant(directory_, caller, user_ref, allowed);
  return UserExportScope(caller.tenant_id, user_ref);
}

Result<ExportScope> DirectoryPolicy::UserExportScope(const std::string& tenant_id, std::string_view user_ref) {
  auto user = FindUser(directory_, tenant_id, user_ref);
  if (!user.ok()) return user.status();
  AIH_RETURN_IF_ERROR(RequireWorkAccount(*user, Operation::kExport));
  AIH_RETURN_IF_ERROR(RequireCopilotLicense(*user, Operation::kExport));
  auto hidden = HiddenSources(directory_, tenant_id);
  if (!hidden.ok()) return hidden.status();
  ExportScope scope;
  scope.user_id = user->id;
  scope.hidden_app_classes = std::move(*hidden);
  return scope;
}

Result<ExportScope> DirectoryPolicy::AuthorizeTenantExport(const auth::Principal& caller) {
  AIH_RETURN_IF_ERROR(RequireConsentedRole(directory_, caller, auth::kReadAll, "export"));
  return TenantExportScope(caller.tenant_id);
}

Result<ExportScope> DirectoryPolicy::TenantExportScope(const std::string& tenant_id) {
  auto hidden = HiddenSources(directory_, tenant_id);
  if (!hidden.ok()) return hidden.status();
  ExportScope scope;
  scope.hidden_app_classes = std::move(*hidden);
  // Personal accounts never have stored items (refused at write), so the license is the only user
  // constraint the tenant-wide page needs.
  scope.required_service_plan = RequiredServicePlan();
  return scope;
}

Status DirectoryPolicy::AuthorizeWriter(const auth::Principal& caller) {
  return RequireConsentedRole(directory_, caller, auth::kWriteAll, "write interactions");
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
    if (!memoize) return FindUser(directory, tenant_id, user_ref);
    auto it = users.find(user_ref);
    if (it == users.end()) it = users.emplace(user_ref, FindUser(directory, tenant_id, user_ref)).first;
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
  if (!user.ok()) return user.status();
  AIH_RETURN_IF_ERROR(RequireWorkAccount(*user, Operation::kWrite));
  AIH_RETURN_IF_ERROR(RequireWorkSender(item));
  return user->id;
}

}  // namespace aih::policy
