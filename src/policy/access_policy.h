// AccessPolicy: the decisions on who may export or write what (section 2), the seam the API asks
// (policy/directory_policy.h decides from the directory; API tests substitute an open policy).
//
// Export: the caller needs the application permission AiEnterpriseInteraction.Read.All, still
// granted by the tenant's admin consent (consent.h; delegated tokens, and Read.User grants, never
// export: user_access.h); a user of another tenant is indistinguishable from one that does not exist
// (404, users.h); a personal account or an unlicensed user is 403 (personal_accounts.h,
// copilot_license.h). The answer names the constraints of what may be read (hidden_sources.h, and
// tenant-wide the license). Write: the caller needs the writer permission and may write only appClasses
// of sources registered to it, for users of its tenant with work accounts.
// Subscriptions and notifications: subscription_policy.h, notification_scope.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "base/status.h"
#include "model/interaction_reader.h"
#include "store/interaction_store.h"

namespace aih::policy {

// What an authorised export may read: the decision, as constraints the store's page query expresses in
// its WHERE clause (store/page_sql.cc translates them and decides nothing).
struct ExportScope {
  std::string user_id;                          // resolved object id; empty for tenant-wide
  std::vector<std::string> hidden_app_classes;  // sources whose export is off
  std::string required_service_plan;            // not empty: only users holding it (tenant-wide)

  // Sets the query's user and constraints to this scope's.
  void ApplyTo(store::PageQuery& query) const;
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

}  // namespace aih::policy
