// Item classes: which kind of source an appClass is, by the Copilot item classes Microsoft's
// eDiscovery guidance lists (Microsoft Purview, "Copilot and AI app interactions", 2026).
//
//   IPM.SkypeTeams.Message.Copilot.<App>   Microsoft 365 Copilot in an app: Teams, Word, Excel,
//                                          PowerPoint, Outlook, Loop, BizChat, WebChat, Forms, OneNote,
//                                          Whiteboard, Planner, Stream, SharePoint, M365App, ...  first-party
//   IPM.SkypeTeams.Message.TeamCopilot*    Copilot as a member of a team, chat or meeting        first-party
//   IPM.SkypeTeams.Message.ConnectedAIApp* AI apps connected to the tenant (e.g. through Entra)  third-party
//   IPM.SkypeTeams.Message.CloudAIApp*     AI apps built on Microsoft's cloud (e.g. Foundry)     third-party
//
// Any other appClass is an operator's own (a line-of-business or third-party AI experience): it is
// registered as third-party. Pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "store/directory_store.h"

namespace aih::directory {

// The kind Microsoft's item classes give `app_class`, or nullopt when it is none of them.
std::optional<store::SourceKind> KindOfItemClass(std::string_view app_class);

}  // namespace aih::directory
