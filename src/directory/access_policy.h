// AccessPolicy: the directory's decisions on who may export or write what (section 2).
//
// Export: the caller needs the application permission AiEnterpriseInteraction.Read.All, still
// granted by the tenant's admin consent (delegated tokens, and Read.User grants, never export); a user of another tenant is indistinguishable from one that
// does not exist (404); an unlicensed user is 403. The answer says which items stay hidden
// (sources whose export the tenant turned off). Write: the caller needs the writer permission and may
// write only appClasses of sources registered to it, for users of its tenant with work accounts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "base/status.h"
#include "model/interaction_reader.h"

namespace aih::directory {

// What an authorised export may read.
struct ExportScope {
  std::string user_id;                          // resolved object id; empty for tenant-wide
  std::vector<std::string> hidden_app_classes;  // sources whose export is off
  bool licensed_users_only = false;             // tenant-wide: skip unlicensed users
};

class AccessPolicy {
 public:
  virtual ~AccessPolicy() = default;

  // `user_ref` is an object id or a user principal name, as given in the path.
  virtual Result<ExportScope> AuthorizeUserExport(const auth::Principal& caller, std::string_view user_ref) = 0;
  virtual Result<ExportScope> AuthorizeTenantExport(const auth::Principal& caller) = 0;

  // May `caller` write at all (kForbidden otherwise)?
  virtual Status AuthorizeWriter(const auth::Principal& caller) = 0;
  // May `caller` write this item? Returns the owner's resolved object id, or why the item is refused.
  virtual Result<std::string> AuthorizeItem(const auth::Principal& caller, const model::WriteItem& item) = 0;
  // AuthorizeItem for each item of one write batch, in order. A batch names a few sources and owners
  // many times over: an implementation should look each up once per batch (on PostgreSQL a lookup is
  // a round trip). The default simply asks AuthorizeItem for each.
  virtual std::vector<Result<std::string>> AuthorizeItems(const auth::Principal& caller,
                                                          const std::vector<const model::WriteItem*>& items) {
    std::vector<Result<std::string>> out;
    out.reserve(items.size());
    for (const model::WriteItem* item : items) out.push_back(AuthorizeItem(caller, *item));
    return out;
  }
  // The checks of AuthorizeItem that do not depend on who writes (registered appClass, owner a work
  // account of the tenant, no personal sender), for trusted local writers such as `aihistory import`.
  virtual Result<std::string> CheckItem(const std::string& tenant_id, const model::WriteItem& item) = 0;
};

}  // namespace aih::directory
