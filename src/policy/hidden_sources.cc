#include "policy/hidden_sources.h"

#include <algorithm>

namespace aih::policy {

Result<std::vector<std::string>> HiddenSources(store::DirectoryStore& directory, const std::string& tenant_id) {
  return directory.HiddenAppClasses(tenant_id);
}

bool IsHidden(const std::vector<std::string>& hidden, std::string_view app_class) {
  return std::find(hidden.begin(), hidden.end(), app_class) != hidden.end();
}

}  // namespace aih::policy
