// Reading user lists for bulk import: CSV and JSON, validated row by row, all or nothing.
#include "directory/user_list.h"

#include <gtest/gtest.h>

#include "directory/json_fields.h"
#include "store/page_sql.h"

namespace aih::directory {
namespace {

constexpr const char* kCopilot = "3f30311c-6b1e-48a4-ab79-725b469da960";

TEST(UserListTest, CsvWithHeaderQuotesAndPlans) {
  auto users = ReadUserList(
      "\xEF\xBB\xBFuserPrincipalName,DisplayName,accountType,servicePlans\r\n"
      "avery@contoso.example,\"Kim, Avery \"\"AK\"\"\",work,3F30311C-6B1E-48A4-AB79-725B469DA960;dddddddd-0000-4000-8000-000000000004\r\n"
      "\r\n"
      "pat@outlook.example,,personal,\n",
      UserListFormat::kCsv);
  ASSERT_TRUE(users.ok()) << users.status().message();
  ASSERT_EQ(users->size(), 2u);
  const store::UserImport& avery = (*users)[0];
  EXPECT_EQ(avery.display_name, "Kim, Avery \"AK\"");
  ASSERT_TRUE(avery.service_plans.has_value());
  EXPECT_EQ(*avery.service_plans, (std::vector<std::string>{kCopilot, "dddddddd-0000-4000-8000-000000000004"}));
  const store::UserImport& pat = (*users)[1];
  EXPECT_EQ(pat.account_type, store::AccountType::kPersonal);
  EXPECT_EQ(pat.display_name, "pat@outlook.example") << "a missing display name defaults to the UPN";
  ASSERT_TRUE(pat.service_plans.has_value()) << "an empty servicePlans cell removes every license";
  EXPECT_TRUE(pat.service_plans->empty());
}

TEST(UserListTest, CsvWithoutPlansColumnLeavesLicensesAlone) {
  auto users = ReadUserList("id,userPrincipalName\nAAAAAAAA-0000-4000-8000-000000000001,a@x.example\n", UserListFormat::kCsv);
  ASSERT_TRUE(users.ok()) << users.status().message();
  EXPECT_EQ((*users)[0].id, "aaaaaaaa-0000-4000-8000-000000000001");
  EXPECT_FALSE((*users)[0].service_plans.has_value());
  EXPECT_EQ((*users)[0].account_type, store::AccountType::kWork);
}

TEST(UserListTest, CsvErrorsNameTheLine) {
  struct Case {
    const char* csv;
    const char* expected;
  } cases[] = {
      {"", "empty"},
      {"displayName\nx\n", "userPrincipalName column"},
      {"userPrincipalName,color\na@x,red\n", "unknown column 'color'"},
      {"userPrincipalName,userPrincipalName\na@x,b@x\n", "appears twice"},
      {"userPrincipalName,displayName\na@x\n", "line 2: expected 2 fields"},
      {"userPrincipalName\na@x\nbad upn\n", "line 3: userPrincipalName 'bad upn'"},
      {"userPrincipalName,accountType\na@x,guest\n", "line 2: accountType 'guest'"},
      {"userPrincipalName,servicePlans\na@x,copilot\n", "line 2: service plan 'copilot' is not a GUID"},
      {"userPrincipalName,id\na@x,' OR 1=1 --\n", "line 2: id"},
      {"userPrincipalName,displayName\na@x,\"open\n", "not closed"},
      {"userPrincipalName\n\xff@x\n", "not valid UTF-8"},
  };
  for (const Case& c : cases) {
    auto users = ReadUserList(c.csv, UserListFormat::kCsv);
    ASSERT_FALSE(users.ok()) << c.csv;
    EXPECT_EQ(users.status().code(), Code::kBadRequest);
    EXPECT_NE(users.status().message().find(c.expected), std::string::npos) << users.status().message();
  }
}

TEST(UserListTest, JsonArrayValueWrapperOrOneObject) {
  const char* forms[] = {
      R"([{"userPrincipalName":"a@x.example","servicePlans":["3f30311c-6b1e-48a4-ab79-725b469da960"]},{"userPrincipalName":"b@x.example","accountType":"personal"}])",
      R"({"value":[{"userPrincipalName":"a@x.example","servicePlans":["3f30311c-6b1e-48a4-ab79-725b469da960"]},{"userPrincipalName":"b@x.example","accountType":"personal"}]})",
  };
  for (const char* json : forms) {
    auto users = ReadUserList(json, UserListFormat::kJson);
    ASSERT_TRUE(users.ok()) << users.status().message();
    ASSERT_EQ(users->size(), 2u);
    EXPECT_EQ(*(*users)[0].service_plans, std::vector<std::string>{kCopilot});
    EXPECT_FALSE((*users)[1].service_plans.has_value());
    EXPECT_EQ((*users)[1].account_type, store::AccountType::kPersonal);
  }
  auto one = ReadUserList(R"({"userPrincipalName":"a@x.example","displayName":"A","id":null})", UserListFormat::kJson);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->size(), 1u);
}

TEST(UserListTest, JsonErrorsNameTheUser) {
  struct Case {
    const char* json;
    const char* expected;
  } cases[] = {
      {"[", "not valid JSON"},
      {"42", "JSON array"},
      {R"([{"userPrincipalName":"a@x"},{"userPrincipalName":"a@x","color":"red"}])", "user #2: unknown member \"color\""},
      {R"([{"userPrincipalName":7}])", "user #1: \"userPrincipalName\" must be a string"},
      {R"([{"userPrincipalName":"a@x","servicePlans":"3f30311c-6b1e-48a4-ab79-725b469da960"}])", "must be an array of strings"},
      {R"([{"userPrincipalName":"a@x","servicePlans":[1]}])", "must be an array of strings"},
      {R"([{"userPrincipalName":"a@x","userPrincipalName":"b@x"}])", "appears twice"},
      {R"([{"userPrincipalName":"a@x","accountType":"Work"}])", "must be work or personal"},
      {R"([{"displayName":"No UPN"}])", "userPrincipalName is required"},
      {R"([{"userPrincipalName":"a@x","extra":{"nested":true}}])", "must not be an object"},
      {R"({"value":{"userPrincipalName":"a@x"}})", "\"value\" must be an array"},
  };
  for (const Case& c : cases) {
    auto users = ReadUserList(c.json, UserListFormat::kJson);
    ASSERT_FALSE(users.ok()) << c.json;
    EXPECT_EQ(users.status().code(), Code::kBadRequest);
    EXPECT_NE(users.status().message().find(c.expected), std::string::npos) << users.status().message();
  }
}

TEST(JsonFieldsTest, TypedMembersAndNullAsAbsent) {
  auto f = JsonFields::Parse(R"({"s":"text","b":true,"n":42,"a":["x","y"],"z":null})");
  ASSERT_TRUE(f.ok()) << f.status().message();
  std::optional<std::string> s, z;
  std::optional<bool> b;
  std::optional<int64_t> n;
  std::optional<std::vector<std::string>> a;
  ASSERT_TRUE(f->Get("s", &s).ok());
  ASSERT_TRUE(f->Get("b", &b).ok());
  ASSERT_TRUE(f->Get("n", &n).ok());
  ASSERT_TRUE(f->Get("a", &a).ok());
  ASSERT_TRUE(f->Get("z", &z).ok());
  EXPECT_EQ(*s, "text");
  EXPECT_TRUE(*b);
  EXPECT_EQ(*n, 42);
  EXPECT_EQ(a->size(), 2u);
  EXPECT_FALSE(z.has_value());
  EXPECT_FALSE(f->Get("s", &b).ok()) << "a string is not a boolean";
  EXPECT_FALSE(f->Get("n", &s).ok());
  EXPECT_TRUE(f->OnlyMembers({"s", "b", "n", "a", "z"}).ok());
  EXPECT_FALSE(f->OnlyMembers({"s"}).ok());
  EXPECT_FALSE(JsonFields::Parse(R"({"n":1.5})").ok());
  EXPECT_FALSE(JsonFields::Parse(R"([{"a":1}])").ok());
  EXPECT_FALSE(JsonFields::Parse(R"({"a":[[[[[[[[["deep"]]]]]]]]]})").ok());
}

}  // namespace
}  // namespace aih::directory
