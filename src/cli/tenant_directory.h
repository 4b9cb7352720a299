// TenantDirectory: one tenant's directory as NDJSON records, so that `aihistory export
// --with-directory` carries a tenant to another store and `aihistory import` restores it there.
//
// Each record is one line, a flat JSON object whose first member "@aihistory.directory" names its kind:
//   {"@aihistory.directory":"tenant","id":"…","displayName":"…"}
//   {"@aihistory.directory":"application","clientId":"…","displayName":"…","homeTenantId":"…"}
//   {"@aihistory.directory":"user","id":"…","userPrincipalName":"…","displayName":"…","accountType":"work","servicePlans":[…]}
//   {"@aihistory.directory":"source","appClass":"…","kind":"first-party","displayName":"…","exportEnabled":true,"writers":[…]}
//   {"@aihistory.directory":"consent","clientId":"…","roles":[…]}
//   {"@aihistory.directory":"userAccess","userId":"…","clientId":"…"}
// in this order, each kind sorted by its key, so one directory always gives the same bytes. A user
// record has the members of a user list (directory/user_list.h). Applications carry no credentials
// (no secret, no certificate): after a move an administrator gives them new ones (`aihistory admin app
// add-secret`). The applications listed are those the tenant refers to: its own, those it consents
// to, those writing its sources, those granted per-user access.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::cli {

struct TenantDirectory {
  store::Tenant tenant;
  std::vector<store::Application> applications;
  std::vector<store::DirectoryUser> users;
  std::vector<store::Source> sources;
  std::vector<store::Consent> consents;
  std::vector<std::pair<std::string, std::string>> user_access;  // (user id, client id)
};

// The tenant's directory as stored; kNotFound naming the tenant when it does not exist.
Result<TenantDirectory> ReadTenantDirectory(store::DirectoryStore& directory, const std::string& tenant_id);

// The records above, each ending with a line break.
std::string WriteTenantDirectory(const TenantDirectory& directory);

// Whether an NDJSON line is a directory record (rather than an interaction).
bool IsDirectoryRecord(std::string_view line);

// Adds the record on `line` to *directory, validated as the admin commands validate; `where` ("line
// 3") prefixes any message.
Status ReadDirectoryRecord(std::string_view line, const std::string& where, TenantDirectory* directory);

// Makes the store's directory hold `directory`: creates the tenant if it does not exist, creates the
// applications it lacks, creates or updates the users (with their licenses), creates the sources it
// lacks and sets the others' export and writers, and grants the consents and per-user access. Running
// it twice changes nothing more. What would refuse (an application whose home tenant is neither this
// tenant nor in the store) is checked before anything is written. Returns a one-line summary.
Result<std::string> RestoreTenantDirectory(store::DirectoryStore& store, const TenantDirectory& directory);

}  // namespace aih::cli
