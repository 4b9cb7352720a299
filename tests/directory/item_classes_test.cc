// The Copilot item classes of Microsoft's eDiscovery guidance decide which kind of source an appClass
// may be registered as (directory/item_classes.h).
#include <gtest/gtest.h>

#include "directory/identifiers.h"
#include "directory/item_classes.h"

namespace aih::directory {
namespace {

using store::SourceKind;

TEST(ItemClassesTest, CopilotInEveryAppAndTeamCopilotAreFirstParty) {
  for (const char* app_class :
       {"IPM.SkypeTeams.Message.Copilot.Teams", "IPM.SkypeTeams.Message.Copilot.Forms",
        "IPM.SkypeTeams.Message.Copilot.OneNote", "IPM.SkypeTeams.Message.Copilot.Whiteboard",
        "IPM.SkypeTeams.Message.Copilot.M365App", "IPM.SkypeTeams.Message.Copilot.Planner",
        "IPM.SkypeTeams.Message.TeamCopilot", "IPM.SkypeTeams.Message.TeamCopilot.Meeting"}) {
    EXPECT_EQ(KindOfItemClass(app_class), SourceKind::kFirstParty) << app_class;
    EXPECT_TRUE(ValidateSourceKind(app_class, SourceKind::kFirstParty).ok()) << app_class;
    Status third = ValidateSourceKind(app_class, SourceKind::kThirdParty);
    EXPECT_EQ(third.code(), Code::kBadRequest) << app_class;
    EXPECT_NE(third.message().find("register it as first-party"), std::string::npos) << third.message();
  }
}

TEST(ItemClassesTest, ConnectedAndCloudAiAppsAreThirdParty) {
  for (const char* app_class :
       {"IPM.SkypeTeams.Message.ConnectedAIApp", "IPM.SkypeTeams.Message.ConnectedAIApp.ChatGPTEnterprise",
        "IPM.SkypeTeams.Message.CloudAIApp", "IPM.SkypeTeams.Message.CloudAIApp.Foundry"}) {
    EXPECT_EQ(KindOfItemClass(app_class), SourceKind::kThirdParty) << app_class;
    EXPECT_TRUE(ValidateSourceKind(app_class, SourceKind::kThirdParty).ok()) << app_class;
    Status first = ValidateSourceKind(app_class, SourceKind::kFirstParty);
    EXPECT_EQ(first.code(), Code::kBadRequest) << app_class;
    EXPECT_NE(first.message().find("connected or cloud AI app"), std::string::npos) << first.message();
  }
}

TEST(ItemClassesTest, OtherClassesAreNoneOfMicrosoftsAndOnlyThirdParty) {
  for (const char* app_class : {"Contoso.Bot", "IPM.SkypeTeams.Message.Copilot.", "IPM.SkypeTeams.Message.Copilot",
                                "IPM.SkypeTeams.Message.TeamCopilotX", "IPM.SkypeTeams.Message.CloudAIAppliance",
                                "ipm.skypeteams.message.copilot.word"}) {
    EXPECT_EQ(KindOfItemClass(app_class), std::nullopt) << app_class;
    EXPECT_FALSE(ValidateSourceKind(app_class, SourceKind::kFirstParty).ok()) << app_class;
    EXPECT_TRUE(ValidateSourceKind(app_class, SourceKind::kThirdParty).ok()) << app_class;
  }
}

}  // namespace
}  // namespace aih::directory
