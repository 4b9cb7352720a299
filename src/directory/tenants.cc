#include "directory/tenants.h"

#include "base/guid.h"
#include "directory/identifiers.h"

namespace aih::directory {

Result<store::Tenant> CreateTenant(store::DirectoryStore& directory, const std::string& id,
                                   const std::string& display_name, std::string_view name_label) {
  store::Tenant tenant;
  if (id.empty()) {
    auto fresh = NewGuid();
    if (!fresh.ok()) return fresh.status();
    tenant.id = *fresh;
  } else {
    tenant.id = id;
  }
  AIH_RETURN_IF_ERROR(ValidateDisplayName(display_name, name_label));
  tenant.display_name = display_name;
  AIH_RETURN_IF_ERROR(directory.CreateTenant(tenant));
  return tenant;
}

Status RequireTenant(store::DirectoryStore& directory, const std::string& tenant_id) {
  return directory.GetTenant(tenant_id).status();
}

}  // namespace aih::directory
