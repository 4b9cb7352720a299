// What the directory accepts as ids, user principal names, appClasses, roles and names.
#include "base/utf8.h"
#include "directory/identifiers.h"

#include <gtest/gtest.h>

namespace aih::directory {
namespace {

TEST(IdentifiersTest, GuidsAreCanonicallyLowerCase) {
  auto id = CanonicalGuid("3F30311C-6B1E-48A4-AB79-725B469DA960", "id");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "3f30311c-6b1e-48a4-ab79-725b469da960");
  for (const char* bad : {"", "3f30311c6b1e48a4ab79725b469da960", "{3f30311c-6b1e-48a4-ab79-725b469da960}",
                          "3f30311c-6b1e-48a4-ab79-725b469da96g", "3f30311c-6b1e-48a4-ab79-725b469da9600", "' OR 1=1 --"}) {
    auto r = CanonicalGuid(bad, "tenant id");
    EXPECT_EQ(r.status().code(), Code::kBadRequest) << bad;
    EXPECT_NE(r.status().message().find("tenant id"), std::string::npos);
  }
}

TEST(IdentifiersTest, UserPrincipalNamesFollowEntraRules) {
  for (const char* good : {"avery.kim@contoso.example", "o'neil@x", "a_b-c!d#e^f~g+h@sub.contoso-2.example",
                           "ALLCAPS@CONTOSO.EXAMPLE"}) {
    EXPECT_TRUE(ValidateUserPrincipalName(good).ok()) << good;
  }
  for (const char* bad : {"", "no-at-sign", "two@@x", "a@b@c", "@contoso.example", "avery@", ".avery@x", "avery.@x",
                          "a..b@x", "ü@x", "a b@x", "a@-x.example", "a@x..example", "a@x_y.example", "' OR 1=1 --"}) {
    EXPECT_EQ(ValidateUserPrincipalName(bad).code(), Code::kBadRequest) << bad;
  }
  EXPECT_FALSE(ValidateUserPrincipalName(std::string(65, 'a') + "@x").ok());
  EXPECT_FALSE(ValidateUserPrincipalName("a@" + std::string(112, 'b')).ok());
}

TEST(IdentifiersTest, AppClassesRolesAndKinds) {
  EXPECT_TRUE(ValidateAppClass("IPM.SkypeTeams.Message.Copilot.Teams").ok());
  EXPECT_TRUE(ValidateAppClass("Contoso.Agents.HR_Assistant-2").ok());
  for (const char* bad : {"", "has space", "semi;colon", "quote'", "slash/"}) {
    EXPECT_FALSE(ValidateAppClass(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateAppClass(std::string(257, 'a')).ok());

  EXPECT_TRUE(ValidateAppRole("AiEnterpriseInteraction.Read.All").ok());
  EXPECT_TRUE(ValidateAppRole("AiEnterpriseInteraction.Write.All").ok());
  auto per_user = ValidateAppRole("AiEnterpriseInteraction.Read.User");  // granted per user, not by consent
  EXPECT_EQ(per_user.code(), Code::kBadRequest);
  EXPECT_NE(per_user.message().find("/access/"), std::string::npos) << per_user.message();
  EXPECT_FALSE(ValidateAppRole("AiEnterpriseInteraction.Read").ok()) << "a delegated scope, not an app role";
  EXPECT_FALSE(ValidateAppRole("aienterpriseinteraction.read.all").ok());

  EXPECT_TRUE(ValidateSourceKind("IPM.SkypeTeams.Message.Copilot.Word", store::SourceKind::kFirstParty).ok());
  EXPECT_FALSE(ValidateSourceKind("Contoso.Bot", store::SourceKind::kFirstParty).ok());
  EXPECT_TRUE(ValidateSourceKind("Contoso.Bot", store::SourceKind::kThirdParty).ok());
}

TEST(IdentifiersTest, NamesAndWhatMessagesEcho) {
  EXPECT_TRUE(ValidateDisplayName("Tomás Müller", "displayName").ok());
  EXPECT_FALSE(ValidateDisplayName("", "displayName").ok());
  EXPECT_FALSE(ValidateDisplayName("tab\there", "displayName").ok());
  EXPECT_FALSE(ValidateDisplayName("\xff\xfe", "displayName").ok());
  EXPECT_FALSE(ValidateDisplayName(std::string(257, 'a'), "displayName").ok());

  EXPECT_TRUE(IsUtf8("ü€😀"));
  EXPECT_FALSE(IsUtf8("\xc3"));          // truncated
  EXPECT_FALSE(IsUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsUtf8("\xed\xa0\x80"));  // a surrogate
  EXPECT_EQ(Printable("ü@x"), "ü@x");
  EXPECT_EQ(Printable(std::string("a\0b", 3)), "(unprintable)");
  EXPECT_EQ(Printable("\xff"), "(unprintable)");
  EXPECT_EQ(Printable(std::string(300, 'a')), "(unprintable)");
}

}  // namespace
}  // namespace aih::directory
