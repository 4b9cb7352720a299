#include "directory/item_classes.h"

namespace aih::directory {
namespace {

struct ItemClassFamily {
  std::string_view prefix;
  bool needs_suffix;  // Copilot.<App> names an app; the others may stand alone
  store::SourceKind kind;
};

constexpr ItemClassFamily kFamilies[] = {
    {"IPM.SkypeTeams.Message.Copilot.", true, store::SourceKind::kFirstParty},
    {"IPM.SkypeTeams.Message.TeamCopilot", false, store::SourceKind::kFirstParty},
    {"IPM.SkypeTeams.Message.ConnectedAIApp", false, store::SourceKind::kThirdParty},
    {"IPM.SkypeTeams.Message.CloudAIApp", false, store::SourceKind::kThirdParty},
};

}  // namespace

std::optional<store::SourceKind> KindOfItemClass(std::string_view app_class) {
  for (const ItemClassFamily& family : kFamilies) {
    if (!app_class.starts_with(family.prefix)) continue;
    const std::string_view rest = app_class.substr(family.prefix.size());
    // TeamCopilotX is not TeamCopilot: what follows the family's name starts a new segment.
    if (family.needs_suffix ? rest.empty() : !(rest.empty() || rest.front() == '.')) continue;
    return family.kind;
  }
  return std::nullopt;
}

}  // namespace aih::directory
