#include "directory/sources.h"

#include "directory/identifiers.h"
#include "directory/tenants.h"

namespace aih::directory {

Result<store::Source> RegisterSource(store::DirectoryStore& directory, const SourceRegistration& registration,
                                     const SourceLabels& labels) {
  store::Source source;
  source.tenant_id = registration.tenant_id;
  source.app_class = registration.app_class;
  AIH_RETURN_IF_ERROR(ValidateAppClass(source.app_class));
  if (!registration.kind) return Status::BadRequest(labels.no_kind);
  source.kind = *registration.kind;
  AIH_RETURN_IF_ERROR(ValidateSourceKind(source.app_class, source.kind));
  source.display_name = registration.display_name.value_or(source.app_class);
  AIH_RETURN_IF_ERROR(ValidateDisplayName(source.display_name, labels.display_name));
  source.export_enabled = registration.export_enabled.value_or(source.kind == store::SourceKind::kFirstParty);
  for (const auto& w : registration.writers) {
    auto id = CanonicalGuid(w, labels.writer);
    if (!id.ok()) return id.status();
    source.writers.push_back(*id);
  }
  AIH_RETURN_IF_ERROR(directory.CreateSource(source));
  return directory.GetSource(source.tenant_id, source.app_class);
}

Result<store::Source> UpdateSource(store::DirectoryStore& directory, const std::string& tenant_id,
                                   const std::string& app_class, const store::SourcePatch& patch,
                                   std::string_view name_label) {
  if (patch.display_name) AIH_RETURN_IF_ERROR(ValidateDisplayName(*patch.display_name, name_label));
  return directory.UpdateSource(tenant_id, app_class, patch);
}

Status SetSourceWriter(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& app_class,
                       const std::string& client_id, bool writer) {
  return writer ? directory.AddSourceWriter(tenant_id, app_class, client_id)
                : directory.RemoveSourceWriter(tenant_id, app_class, client_id);
}

Result<std::vector<store::Source>> ListSources(store::DirectoryStore& directory, const std::string& tenant_id) {
  AIH_RETURN_IF_ERROR(RequireTenant(directory, tenant_id));
  return directory.ListSources(tenant_id);
}

}  // namespace aih::directory
