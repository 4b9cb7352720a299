// Identifiers of the directory: what a valid object id, user principal name, appClass, app role and
// display name look like, and their canonical forms.
//
// Every value an administrator or a writer sends passes through here before it reaches the store,
// so the admin HTTP API, the admin CLI and the access policy refuse the same inputs with the same
// messages. GUIDs are canonically lower-case; user principal names follow Microsoft Entra's rules
// (ASCII only), which is what makes their case-insensitive comparison exact.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "store/directory_store.h"

namespace aih::directory {

// `text` as a lower-case 8-4-4-4-12 GUID, or kBadRequest saying `what` must be one.
Result<std::string> CanonicalGuid(std::string_view text, std::string_view what);
bool IsGuid(std::string_view text);

// local@domain with Entra's characters (letters, digits, ' . - _ ! # ^ ~ and +), at most 113 characters.
Status ValidateUserPrincipalName(std::string_view upn);

// Letters, digits, '.', '-' and '_', 1 to 256 characters (e.g. IPM.SkypeTeams.Message.Copilot.Teams).
Status ValidateAppClass(std::string_view app_class);

// A first-party source is one of Microsoft 365 Copilot's own experiences (item_classes.h:
// IPM.SkypeTeams.Message.Copilot.<App>, ...TeamCopilot*), and those may not be third-party; anything
// else (connected and cloud AI apps, an operator's own classes) is registered as third-party.
Status ValidateSourceKind(std::string_view app_class, store::SourceKind kind);

// One of the application roles of the AiEnterpriseInteraction family (permissions.h) that admin
// consent grants tenant-wide: Read.All, Write.All. Read.User is refused with a message pointing to its
// per-user grant (DirectoryStore::GrantUserAccess).
Status ValidateAppRole(std::string_view role);

// 1 to 256 characters of UTF-8 text without control characters; `what` names it in the message.
Status ValidateDisplayName(std::string_view name, std::string_view what);

}  // namespace aih::directory
