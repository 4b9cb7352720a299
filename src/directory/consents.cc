#include "directory/consents.h"

#include "directory/identifiers.h"
#include "directory/tenants.h"

namespace aih::directory {

Result<std::vector<std::string>> GrantConsent(store::DirectoryStore& directory, const std::string& tenant_id,
                                              const std::string& client_id, const std::vector<std::string>& roles) {
  for (const auto& role : roles) AIH_RETURN_IF_ERROR(ValidateAppRole(role));
  AIH_RETURN_IF_ERROR(directory.GrantConsent(tenant_id, client_id, roles));
  return directory.ConsentedRoles(tenant_id, client_id);
}

Status RevokeConsent(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& client_id,
                     const std::vector<std::string>& roles) {
  for (const auto& role : roles) AIH_RETURN_IF_ERROR(ValidateAppRole(role));
  if (roles.empty()) return directory.RevokeConsent(tenant_id, client_id, "");
  for (const auto& role : roles) AIH_RETURN_IF_ERROR(directory.RevokeConsent(tenant_id, client_id, role));
  return Status::Ok();
}

Result<std::vector<store::Consent>> ListConsents(store::DirectoryStore& directory, const std::string& tenant_id) {
  AIH_RETURN_IF_ERROR(RequireTenant(directory, tenant_id));
  return directory.ListConsents(tenant_id);
}

}  // namespace aih::directory
