#include "cli/seed_directory.h"

#include "directory/identifiers.h"
#include "directory/user_list.h"
#include "store/page_sql.h"

namespace aih::cli {

Status EnsureTenant(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& display_name) {
  auto canonical = directory::CanonicalGuid(tenant_id, "--tenant");
  if (!canonical.ok()) return canonical.status();
  if (*canonical != tenant_id) return Status::BadRequest("--tenant must be written in lower case: " + *canonical);
  auto tenant = directory.GetTenant(tenant_id);
  if (tenant.ok()) return Status::Ok();
  if (tenant.status().code() != Code::kNotFound) return tenant.status();
  return directory.CreateTenant(store::Tenant{tenant_id, display_name});
}

Status EnsureSource(store::DirectoryStore& directory, const store::Source& source) {
  auto existing = directory.GetSource(source.tenant_id, source.app_class);
  if (!existing.ok()) {
    if (existing.status().code() != Code::kNotFound) return existing.status();
    return directory.CreateSource(source);
  }
  for (const std::string& writer : source.writers) {
    AIH_RETURN_IF_ERROR(directory.AddSourceWriter(source.tenant_id, source.app_class, writer));
  }
  return Status::Ok();
}

Status RegisterSeedUsers(store::DirectoryStore& directory, const std::string& tenant_id,
                         const std::vector<seed::SyntheticUser>& users) {
  constexpr size_t kChunk = 5000;  // bounds one transaction and the summary it returns
  for (size_t start = 0; start < users.size(); start += kChunk) {
    std::vector<store::UserImport> rows;
    for (size_t i = start; i < users.size() && i < start + kChunk; ++i) {
      store::UserImport row;
      row.id = users[i].id;
      row.user_principal_name = users[i].user_principal_name;
      row.display_name = users[i].display_name;
      row.service_plans = std::vector<std::string>{store::kCopilotServicePlanId};
      AIH_RETURN_IF_ERROR(directory::ValidateUserImport(&row, "seeded user " + users[i].user_principal_name));
      rows.push_back(std::move(row));
    }
    auto summary = directory.ImportUsers(tenant_id, rows);
    if (!summary.ok()) return summary.status();
  }
  return Status::Ok();
}

}  // namespace aih::cli
