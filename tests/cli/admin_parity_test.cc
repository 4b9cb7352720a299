// The admin CLI and the admin HTTP API run the same directory operations (directory/tenants.h,
// users.h, consents.h, sources.h): given the same input, both refuse it with the same message (the
// API with a 4xx, the CLI with exit code 1) and write the same thing. Both run against one demo store.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_runner.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace aih::testing {
namespace {

constexpr const char* kCopilotPlan = "3f30311c-6b1e-48a4-ab79-725b469da960";
constexpr const char* kUnknownClient = "dddddddd-0000-4000-8000-00000000000d";

class AdminParityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("aih-admin-parity");
    store_ = dir_ + "/store";
    demo_ = DemoTenant::Create(store_);
    ASSERT_NE(demo_.tenant_id, "<missing>");
    server_ = ServerProcess::Start(store_);
    ASSERT_TRUE(server_);
    client_ = std::make_unique<HttpClient>(server_->port());
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResult Http(const std::string& method, const std::string& target, const std::string& body = "") {
    return client_->Send(method, target, {{"X-Aihistory-Admin-Key", demo_.admin_key}, {"Content-Type", "application/json"}},
                         body);
  }
  CliResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), "admin");
    args.insert(args.end(), {"--store", store_});
    return RunCli(args);
  }
  std::string T() const { return "/admin/tenants/" + demo_.tenant_id; }

  std::string dir_, store_;
  DemoTenant demo_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(AdminParityTest, BothRefuseTheSameInputWithTheSameMessage) {
  const std::string& t = demo_.tenant_id;
  struct Case {
    const char* what;
    std::vector<std::string> cli;
    std::string method, target, body;
    int status;
  } cases[] = {
      {"a license for an unknown user",
       {"license", "assign", "--tenant", t, "--user", "nobody@contoso.example", "--plan", kCopilotPlan},
       "PUT", T() + "/users/nobody@contoso.example/licenses/" + kCopilotPlan, "", 404},
      {"a per-user grant for an unknown user",
       {"access", "grant", "--tenant", t, "--user", "nobody@contoso.example", "--client-id", demo_.exporter_id},
       "PUT", T() + "/users/nobody@contoso.example/access/" + demo_.exporter_id, "", 404},
      {"a role that is not one of the family",
       {"consent", "grant", "--tenant", t, "--client-id", demo_.exporter_id, "--role", "Mail.Read"},
       "POST", T() + "/consents", "{\"clientId\":\"" + demo_.exporter_id + "\",\"roles\":[\"Mail.Read\"]}", 400},
      {"Read.User granted tenant-wide",
       {"consent", "grant", "--tenant", t, "--client-id", demo_.exporter_id, "--role", "AiEnterpriseInteraction.Read.User"},
       "POST", T() + "/consents",
       "{\"clientId\":\"" + demo_.exporter_id + "\",\"roles\":[\"AiEnterpriseInteraction.Read.User\"]}", 400},
      {"a malformed appClass",
       {"source", "register", "--tenant", t, "--app-class", "has spaces", "--kind", "third-party"},
       "POST", T() + "/sources", "{\"appClass\":\"has spaces\",\"kind\":\"third-party\"}", 400},
      {"a Copilot appClass registered as third-party",
       {"source", "register", "--tenant", t, "--app-class", "IPM.SkypeTeams.Message.Copilot.Loop", "--kind", "third-party"},
       "POST", T() + "/sources", "{\"appClass\":\"IPM.SkypeTeams.Message.Copilot.Loop\",\"kind\":\"third-party\"}", 400},
      {"a source registered twice",
       {"source", "register", "--tenant", t, "--app-class", demo_.third_party_app_class, "--kind", "third-party"},
       "POST", T() + "/sources", "{\"appClass\":\"" + demo_.third_party_app_class + "\",\"kind\":\"third-party\"}", 409},
      {"a writer that is no application",
       {"source", "writer", "add", "--tenant", t, "--app-class", demo_.third_party_app_class, "--client-id", kUnknownClient},
       "PUT", T() + "/sources/" + demo_.third_party_app_class + "/writers/" + kUnknownClient, "", 0},
      {"an erasure for a user the directory never knew, named by name",
       {"interactions", "delete", "--tenant", t, "--user", "nobody@contoso.example", "--yes"},
       "DELETE", T() + "/users/nobody@contoso.example/interactions", "", 404},
      {"an erasure of an interaction that does not exist",
       {"interactions", "delete", "--tenant", t, "--user", demo_.licensed_user, "--id", "no-such-id", "--yes"},
       "DELETE", T() + "/users/" + demo_.licensed_user + "/interactions/no-such-id", "", 404},
  };
  for (const Case& c : cases) {
    HttpResult http = Http(c.method, c.target, c.body);
    CliResult cli = Cli(c.cli);
    if (c.status) {
      EXPECT_EQ(http.status, c.status) << c.what << ": " << http.body;
    }
    EXPECT_GE(http.status, 400) << c.what << ": " << http.body;
    EXPECT_LT(http.status, 500) << c.what << ": " << http.body;
    EXPECT_EQ(cli.exit_code, 1) << c.what << ": " << cli.err;
    const std::string message = JsonValue(http.body, "error.message");
    ASSERT_FALSE(message.empty()) << c.what << ": " << http.body;
    EXPECT_NE(cli.err.find(message), std::string::npos) << c.what << "\nHTTP: " << message << "\nCLI:  " << cli.err;
  }
}

TEST_F(AdminParityTest, BothWriteTheSameSourceWithTheSameDefaults) {
  CliResult cli = Cli({"source", "register", "--tenant", demo_.tenant_id, "--app-class", "Contoso.Agents.ByCli",
                       "--kind", "third-party", "--writer", demo_.writer_id});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  HttpResult http = Http("POST", T() + "/sources",
                         "{\"appClass\":\"Contoso.Agents.ByHttp\",\"kind\":\"third-party\",\"writers\":[\"" +
                             demo_.writer_id + "\"]}");
  ASSERT_EQ(http.status, 201) << http.body;
  HttpResult by_cli = Http("GET", T() + "/sources/Contoso.Agents.ByCli");
  ASSERT_EQ(by_cli.status, 200) << by_cli.body;
  for (const char* member : {"kind", "exportEnabled", "writers"}) {
    EXPECT_EQ(JsonValue(by_cli.body, member), JsonValue(http.body, member)) << member;
  }
  EXPECT_EQ(JsonValue(by_cli.body, "displayName"), "Contoso.Agents.ByCli") << "the appClass by default";
  EXPECT_EQ(JsonValue(http.body, "displayName"), "Contoso.Agents.ByHttp");
  EXPECT_EQ(JsonValue(http.body, "exportEnabled"), "false") << "a third-party source starts hidden";
}

}  // namespace
}  // namespace aih::testing
