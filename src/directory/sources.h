// Source operations of the directory: the appClasses a tenant accepts, whether each may be exported,
// and which applications may write it, for the admin HTTP API and the admin CLI alike (validated
// and written here, once; see directory/tenants.h).
// Threading: stateless functions over the DirectoryStore; as safe as it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::directory {

struct SourceRegistration {
  std::string tenant_id;                    // a canonical GUID
  std::string app_class;
  std::optional<store::SourceKind> kind;    // none: missing, or not a kind the caller could read
  std::optional<std::string> display_name;  // none: the appClass
  std::optional<bool> export_enabled;       // none: on for a first-party source, off for a third-party one
  std::vector<std::string> writers;         // client ids as given
};

// How the caller names the inputs in a refusal.
struct SourceLabels {
  std::string no_kind;       // the whole message when `kind` is none
  std::string display_name;  // "displayName", "--name"
  std::string writer;        // "writer client id", "--writer"
};

// Registers the source (kConflict if it is registered; its writers must be registered applications);
// returns it as stored.
Result<store::Source> RegisterSource(store::DirectoryStore& directory, const SourceRegistration& source,
                                     const SourceLabels& labels);

// Changes the source's display name or export setting; returns it as updated.
Result<store::Source> UpdateSource(store::DirectoryStore& directory, const std::string& tenant_id,
                                   const std::string& app_class, const store::SourcePatch& patch,
                                   std::string_view name_label);

// Makes the application `client_id` (a canonical GUID) a writer of the source, or no longer one.
Status SetSourceWriter(store::DirectoryStore& directory, const std::string& tenant_id, const std::string& app_class,
                       const std::string& client_id, bool writer);

// The tenant's sources; kNotFound for an unknown tenant.
Result<std::vector<store::Source>> ListSources(store::DirectoryStore& directory, const std::string& tenant_id);

}  // namespace aih::directory
