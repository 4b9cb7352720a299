// Reading a list of users for bulk import, as CSV or JSON, into validated store::UserImport rows.
//
// CSV has a header row naming its columns, in any order (names case-insensitive):
//   id (or objectId)   optional object id GUID; absent: the user with this UPN, or a new id
//   userPrincipalName  required
//   displayName        optional (default: the UPN)
//   accountType        work | personal (default: work)
//   servicePlans       service plan GUIDs separated by ';' or spaces; present (even empty) replaces
//                      the user's licenses, absent leaves them as they are
// Fields may be quoted ("..." with "" for a quote). JSON is an array of objects with the same
// member names ("servicePlans" an array of strings), {"value":[...]}, or one object. A bad row fails
// the whole list with a message naming its line (CSV) or position (JSON): an import is all or nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::directory {

enum class UserListFormat { kCsv, kJson };

Result<std::vector<store::UserImport>> ReadUserList(std::string_view text, UserListFormat format);

// Writing a tenant's users in the same formats, so that what `aihistory admin users list` prints,
// ReadUserList reads back as the same users with the same licenses (ids included). CSV: the header
// id,userPrincipalName,displayName,accountType,servicePlans and one row per user, plans separated by
// ';', fields quoted when they need it. JSON: an array of objects, one per line.
std::string WriteUserList(const std::vector<store::DirectoryUser>& users, UserListFormat format);
// One user as the JSON object of a user list: {"id","userPrincipalName","displayName","accountType",
// "servicePlans"}, appended to `out` without the closing brace, so callers may add members.
void AppendUserMembers(std::string& out, const store::DirectoryUser& user);

// Validates and canonicalises one user (GUIDs lower-cased, plans deduplicated); `where` names it.
Status ValidateUserImport(store::UserImport* user, const std::string& where);

}  // namespace aih::directory
