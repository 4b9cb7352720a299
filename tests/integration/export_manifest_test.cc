// The HTTP equivalent of `aihistory export --manifest` (POST /admin/tenants/{t}/log/exports,
// docs/integrity.md): a client saves the export, its signed manifest and the proofs the server
// answered, and `aihistory verify --manifest` checks them offline with the verifier key alone; a byte
// changed in the export is caught. Bad input is a 4xx naming the problem. On each engine.
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "integration_fixture.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

class ExportManifestTest : public ServerTest {
 protected:
  HttpResult Admin(const std::string& method, const std::string& target, const std::string& body = "") {
    return client_->Send(method, target, {{"X-Aihistory-Admin-Key", demo_.admin_key}, {"Content-Type", "application/json"}},
                         body);
  }
  std::string Exports() { return "/admin/tenants/" + demo_.tenant_id + "/log/exports"; }
  // Member `name` of the JSON object `json` (a string), or "<missing>".
  static std::string Member(const std::string& json, const char* name) {
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(json).at_key(name).get_string().get(value) != simdjson::SUCCESS) return "<missing>";
    return std::string(value);
  }
  void Save(const std::string& name, const std::string& text) {
    std::ofstream(data_dir_ + "/" + name, std::ios::binary) << text;
  }
};

TEST_P(ExportManifestTest, AnExportAnsweredOverHttpVerifiesOfflineWithAihistoryVerify) {
  ASSERT_EQ(Write("[" + Item("manifest-1") + "," + Item("manifest-2", "2026-02-02T10:00:00Z") + "]").status, 200);
  // A new version of one of them: the export holds the newest, and its proof is of that version's leaf.
  ASSERT_EQ(Write("[" + Item("manifest-1").replace(Item("manifest-1").find("prompt"), 6, "edited") + "]").status, 200);

  auto answer = Admin("POST", Exports(), "{\"userId\":\"" + demo_.licensed_user + "\",\"fileName\":\"mine.ndjson\"}");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(Member(answer.body, "fileName"), "mine.ndjson");
  const std::string exported = Member(answer.body, "export");
  EXPECT_NE(exported.find("manifest-2"), std::string::npos);
  EXPECT_NE(exported.find("edited manifest-1"), std::string::npos);
  // The verifier key (the export made it, signing its checkpoint): all a verifier needs.
  auto keys = Admin("GET", "/admin/log/keys");
  ASSERT_EQ(keys.status, 200) << keys.body;
  simdjson::dom::parser parser;
  std::string_view key;
  ASSERT_EQ(parser.parse(keys.body)["value"].at(0)["verifierKey"].get_string().get(key), simdjson::SUCCESS) << keys.body;
  const std::string verifier_key(key);
  Save("mine.ndjson", exported);
  Save("mine.manifest", Member(answer.body, "manifest"));
  Save(Member(answer.body, "proofsFileName"), Member(answer.body, "proofs"));

  std::string output;
  EXPECT_EQ(RunAihistory({"verify", "--key", verifier_key, "--manifest", data_dir_ + "/mine.manifest", "--export",
                          data_dir_ + "/mine.ndjson"},
                         &output),
            0)
      << output;

  // One byte of the export changed: the offline check fails, naming the file.
  std::string forged = exported;
  forged.replace(forged.find("manifest-2"), 10, "manifest-3");
  Save("mine.ndjson", forged);
  EXPECT_EQ(RunAihistory({"verify", "--key", verifier_key, "--manifest", data_dir_ + "/mine.manifest", "--export",
                          data_dir_ + "/mine.ndjson"},
                         &output),
            1)
      << output;
  EXPECT_NE(output.find("SHA-256 differs"), std::string::npos) << output;

  // The whole tenant, by default: the same checks pass.
  auto tenant = Admin("POST", Exports());
  ASSERT_EQ(tenant.status, 200) << tenant.body;
  EXPECT_EQ(Member(tenant.body, "fileName"), "export.ndjson");
  Save("export.ndjson", Member(tenant.body, "export"));
  Save("export.manifest", Member(tenant.body, "manifest"));
  Save(Member(tenant.body, "proofsFileName"), Member(tenant.body, "proofs"));
  EXPECT_EQ(RunAihistory({"verify", "--key", verifier_key, "--manifest", data_dir_ + "/export.manifest", "--export",
                          data_dir_ + "/export.ndjson"},
                         &output),
            0)
      << output;
}

TEST_P(ExportManifestTest, BadInputIsRefusedNamingTheProblem) {
  auto refused = [&](const std::string& target, const std::string& body, int status, const std::string& says) {
    auto r = Admin("POST", target, body);
    EXPECT_EQ(r.status, status) << body << ": " << r.body;
    EXPECT_NE(r.body.find(says), std::string::npos) << body << ": " << r.body;
  };
  refused(Exports(), "{\"userid\":\"x\"}", 400, "userid");
  refused(Exports(), "{\"all\":\"yes\"}", 400, "all");
  refused(Exports(), "{\"fileName\":\"../escape.ndjson\"}", 400, "fileName");
  refused(Exports(), "[1]", 400, "");
  refused(Exports(), "{\"userId\":\"nobody@nowhere.example\"}", 404, "nobody@nowhere.example");
  refused("/admin/tenants/00000000-0000-4000-8000-00000000dead/log/exports", "", 404, "");
  auto no_key = client_->Send("POST", Exports(), {{"Content-Type", "application/json"}}, "");
  EXPECT_EQ(no_key.status, 401) << no_key.body;
}

INSTANTIATE_TEST_SUITE_P(Engines, ExportManifestTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
