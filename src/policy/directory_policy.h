// DirectoryPolicy: the AccessPolicy that decides from the directory as it is at request time.
//
// Every decision reads the store afresh (no cache), so revoking a consent, removing a license or
// turning a source's export off takes effect on the very next request, on every server that shares
// the database, even for tokens issued before. The choices where the contract is silent:
//  - a token of a tenant this directory does not know: 403 (the token is genuine; nothing is granted);
//  - export of a personal account: 403 naming the reason (same tenant, so nothing leaks);
//  - an item owned by, or sent by, a personal account: refused with 400 (the data, not the caller, is
//    outside the service), like an unregistered appClass; a foreign appClass is 403;
//  - AiEnterpriseInteraction.Read.User granted for a user (store/directory_store.h) opens per-user
//    subscriptions (subscription_policy.h) and never export, which is Read.All's alone; the
//    refusal says so to an application holding such a grant.
// Each rule is stated once, in its own file of policy/ (consent.h, copilot_license.h, ...); this class
// only applies them in the order of an export or a write.
#pragma once

#include "policy/access_policy.h"
#include "store/directory_store.h"

namespace aih::policy {

class DirectoryPolicy final : public AccessPolicy {
 public:
  explicit DirectoryPolicy(store::DirectoryStore& directory) : directory_(directory) {}

  Result<ExportScope> AuthorizeUserExport(const auth::Principal& caller, std::string_view user_ref) override;
  Result<ExportScope> AuthorizeTenantExport(const auth::Principal& caller) override;
  Status AuthorizeWriter(const auth::Principal& caller) override;
  Result<std::string> AuthorizeItem(const auth::Principal& caller, const model::WriteItem& item) override;
  std::vector<Result<std::string>> AuthorizeItems(const auth::Principal& caller,
                                                  const std::vector<const model::WriteItem*>& items) override;
  Result<std::string> CheckItem(const std::string& tenant_id, const model::WriteItem& item) override;

  // What an export of one user, or of the whole tenant, may read by the directory alone, whoever
  // asks: the Authorize*Export above once the caller may export, and `aihistory export` (which holds
  // the database itself) directly, so both follow the same rules (cli/export.cc). kNotFound: no such
  // user (Graph's message); kForbidden: a personal account or an unlicensed user.
  Result<ExportScope> UserExportScope(const std::string& tenant_id, std::string_view user_ref);
  Result<ExportScope> TenantExportScope(const std::string& tenant_id);

 private:
  // How the checks of an item look up its source and owner: straight from the directory, or through
  // the memo of one batch.
  struct Lookups;
  // CheckItem, and with `writer` also that this application is a registered writer of the source.
  Result<std::string> CheckItem(const std::string& tenant_id, const model::WriteItem& item, const std::string* writer,
                                Lookups& lookups);
  // The owner of an item: a work account of the tenant; returns its object id.
  Result<std::string> CheckOwner(const std::string& tenant_id, const model::WriteItem& item, Lookups& lookups);

  store::DirectoryStore& directory_;
};

}  // namespace aih::policy
