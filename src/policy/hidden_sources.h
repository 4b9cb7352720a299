// Rule (sources whose export is off, section 2): a tenant's administrator turns a source's export off;
// its items are then neither exported (per user or tenant-wide) nor notified. They are still written
// and stored, and appear again the moment export is turned back on. Subscribing is not refused: a
// subscription simply hears nothing of those sources. Threading: as the directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::policy {

// The appClasses of the tenant's sources whose export is off now, sorted.
Result<std::vector<std::string>> HiddenSources(store::DirectoryStore& directory, const std::string& tenant_id);

// Whether an item of `app_class` is hidden by `hidden` (HiddenSources).
bool IsHidden(const std::vector<std::string>& hidden, std::string_view app_class);

}  // namespace aih::policy
