// The command line as a user meets it (issue 19): commands that read never create a store, one way to
// name the store, export follows the export API's rules unless asked for a full backup, a tenant
// moves with its directory, deletions ask first, progress bars end their line, a bare `aihistory` is a
// usage error. Each test runs the real binary on the demo tenant (SQLite).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/cli_runner.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// The "id" of each NDJSON interaction line, sorted.
std::vector<std::string> InteractionIds(const std::string& ndjson) {
  std::vector<std::string> ids;
  for (const std::string& line : Lines(ndjson)) {
    if (Contains(line, "\"@aihistory.directory\"")) continue;
    ids.push_back(JsonValue(line, "id"));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("aih-cli");
    store_ = dir_ + "/store";
    demo_ = DemoTenant::Create(store_);
    ASSERT_NE(demo_.tenant_id, "<missing>");
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliResult Export(std::vector<std::string> extra, const std::string& store = "") {
    std::vector<std::string> args = {"export", "--store", store.empty() ? store_ : store, "--tenant", demo_.tenant_id};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args);
  }

  int64_t StoredCount(const std::string& user) {
    // Everything stored for the user, whatever the export rules.
    CliResult r = Export({"--user", user, "--all"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return static_cast<int64_t>(Lines(r.out).size());
  }

  // Imports a changed copy of one exported interaction twice, so that it is at version 3; returns its id.
  std::string EditOneInteractionTwice() {
    CliResult all = Export({"--all"});
    EXPECT_EQ(all.exit_code, 0) << all.err;
    const std::string line = Lines(all.out).at(0);
    const size_t content = line.find("\"content\":\"");
    EXPECT_NE(content, std::string::npos) << line;
    for (const char* edit : {"first edit ", "second edit "}) {
      std::string changed = line;
      changed.insert(content + 11, edit);
      const std::string file = dir_ + "/edit.ndjson";
      std::ofstream(file, std::ios::binary) << changed << "\n";
      CliResult r = RunCli({"import", file, "--tenant", demo_.tenant_id, "--store", store_});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_TRUE(Contains(r.err + r.out, "updated 1,")) << r.err << r.out;
    }
    const size_t id = line.find("\"id\":\"");
    return line.substr(id + 6, line.find('"', id + 6) - id - 6);
  }

  std::string dir_, store_;
  DemoTenant demo_;
};

TEST_F(CliTest, CommandsThatReadNeverCreateAStore) {
  const std::string missing = dir_ + "/typo";
  const std::string t = demo_.tenant_id;
  const std::vector<std::vector<std::string>> commands = {
      {"admin", "tenant", "list"},
      {"admin", "users", "list", "--tenant", t},
      {"admin", "app", "list"},
      {"admin", "consent", "list", "--tenant", t},
      {"admin", "source", "list", "--tenant", t},
      {"admin", "access", "list", "--tenant", t, "--user", demo_.licensed_user},
      {"admin", "key"},
      {"admin", "signing-keys", "list"},
      {"admin", "users", "delete", "--tenant", t, "--user", demo_.licensed_user, "--yes"},
      {"admin", "interactions", "delete", "--tenant", t, "--user", demo_.licensed_user, "--yes"},
      {"admin", "license", "assign", "--tenant", t, "--user", demo_.licensed_user},
      {"export", "--tenant", t},
  };
  for (std::vector<std::string> args : commands) {
    args.insert(args.end(), {"--store", missing});
    CliResult r = RunCli(args);
    std::string what;
    for (const auto& a : args) what += a + " ";
    EXPECT_NE(r.exit_code, 0) << what << r.out << r.err;
    EXPECT_TRUE(Contains(r.err, missing)) << what << r.err;
    EXPECT_FALSE(fs::exists(missing)) << what << "created " << missing;
  }
  // An import without a directory has nowhere to go either.
  const std::string file = dir_ + "/one.ndjson";
  std::ofstream(file) << "";
  CliResult r = RunCli({"import", file, "--tenant", t, "--store", missing});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.err, missing)) << r.err;
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(CliTest, TheEnvironmentNamesTheStoreWhenNoFlagDoes) {
  CliResult r = RunCli({"admin", "tenant", "list"}, "", {"AIH_STORE=" + store_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, demo_.tenant_id)) << r.out;
  r = RunCli({"export", "--tenant", demo_.tenant_id}, "", {"AIH_STORE=" + store_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.out.empty());
  // --store wins over the environment.
  r = RunCli({"admin", "tenant", "list", "--store", dir_ + "/elsewhere"}, "", {"AIH_STORE=" + store_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.err, dir_ + "/elsewhere")) << r.err;
}

// One name means one store to every command (store/store_location.h): only a postgresql:// or
// postgres:// URL is PostgreSQL; a data directory whose name merely starts with "postgres" is a
// directory, where demo-setup once refused to write its credentials ("the store is not a directory").
TEST_F(CliTest, ADirectoryNamedLikePostgresIsADirectoryToEveryCommand) {
  // Named relative to the working directory, as an operator types it: `--store postgres-data`.
  const fs::path before = fs::current_path();
  fs::current_path(dir_);
  CliResult r = RunCli({"demo-setup", "--store", "postgres-data"});
  fs::current_path(before);
  const std::string dir = dir_ + "/postgres-data";
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/aihistory.db"));
  EXPECT_TRUE(fs::exists(dir + "/demo-credentials.json")) << r.out << r.err;
  r = RunCli({"check", "--store", "sqlite:" + dir});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunCli({"backup", "--store", dir, "--out", dir_ + "/p.backup"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ + "/p.backup"));
}

TEST_F(CliTest, ExportOfAnUnknownUserOrTenantIsAnErrorNamingIt) {
  CliResult r = Export({"--user", "nobody@contoso.example"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "nobody@contoso.example")) << r.err;
  EXPECT_EQ(r.out, "");
  const std::string other = "11111111-2222-4333-8444-555555555555";
  r = RunCli({"export", "--store", store_, "--tenant", other});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, other)) << r.err;
  EXPECT_FALSE(Contains(r.err, "exported 0"));
}

TEST_F(CliTest, ExportFollowsTheExportApiUnlessAskedForAFullBackup) {
  // What the API gives the demo exporter, tenant-wide.
  auto server = ServerProcess::Start(store_);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  const std::string token = FetchToken(client, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret);
  ASSERT_FALSE(token.empty());
  auto page = client.Send("GET", "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions?$top=1000",
                          {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(JsonValue(page.body, "@odata.nextLink"), "<missing>");
  std::vector<std::string> api_ids;
  for (size_t i = 0; i < JsonLength(page.body, "value"); ++i) {
    api_ids.push_back(JsonValue(page.body, "value." + std::to_string(i) + ".id"));
  }
  std::sort(api_ids.begin(), api_ids.end());
  server.reset();

  CliResult ruled = Export({});
  ASSERT_EQ(ruled.exit_code, 0) << ruled.err;
  EXPECT_EQ(InteractionIds(ruled.out), api_ids);
  EXPECT_FALSE(Contains(ruled.out, "Contoso.Agents.HRAssistant"));  // the source whose export is off
  EXPECT_FALSE(Contains(ruled.out, demo_.unlicensed_user));

  CliResult full = Export({"--all"});
  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_GT(Lines(full.out).size(), Lines(ruled.out).size());
  EXPECT_TRUE(Contains(full.out, "Contoso.Agents.HRAssistant"));
  EXPECT_TRUE(Contains(full.out, demo_.unlicensed_user));

  // One user: refused as the API refuses, unless --all.
  CliResult unlicensed = Export({"--user", demo_.unlicensed_user});
  EXPECT_EQ(unlicensed.exit_code, 1);
  EXPECT_TRUE(Contains(unlicensed.err, "license")) << unlicensed.err;
  EXPECT_TRUE(Contains(unlicensed.err, "--all")) << unlicensed.err;
  EXPECT_EQ(unlicensed.out, "");
  CliResult forced = Export({"--user", demo_.unlicensed_user, "--all"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_FALSE(forced.out.empty());
  CliResult licensed = Export({"--user", demo_.licensed_upn});
  EXPECT_EQ(licensed.exit_code, 0) << licensed.err;
  EXPECT_FALSE(Contains(licensed.out, "Contoso.Agents.HRAssistant"));
  EXPECT_LT(Lines(licensed.out).size(), Lines(Export({"--user", demo_.licensed_upn, "--all"}).out).size());
}

TEST_F(CliTest, AnExportWithASearchHoldsExactlyWhatTheSearchFinds) {
  auto server = ServerProcess::Start(store_);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  const std::string token = FetchToken(client, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret);
  ASSERT_FALSE(token.empty());
  auto page = client.Send("GET",
                          "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions?$top=1000&$search=forecast%20OR%20risks",
                          {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(JsonValue(page.body, "@odata.nextLink"), "<missing>");
  std::vector<std::string> api_ids;
  for (size_t i = 0; i < JsonLength(page.body, "value"); ++i) {
    api_ids.push_back(JsonValue(page.body, "value." + std::to_string(i) + ".id"));
  }
  std::sort(api_ids.begin(), api_ids.end());
  server.reset();
  ASSERT_FALSE(api_ids.empty());

  CliResult found = Export({"--search", "forecast OR risks"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(InteractionIds(found.out), api_ids);
  EXPECT_LT(Lines(found.out).size(), Lines(Export({}).out).size());
  CliResult all = Export({"--search", "forecast OR risks", "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_GE(Lines(all.out).size(), Lines(found.out).size());

  CliResult bad = Export({"--search", "forecast AND"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Contains(bad.err, "--search")) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "'AND' needs a term after it")) << bad.err;
  EXPECT_EQ(bad.out, "");
  CliResult signed_search = Export({"--search", "forecast", "--out", dir_ + "/x.ndjson", "--manifest", dir_ + "/m.json"});
  EXPECT_EQ(signed_search.exit_code, 1);
  EXPECT_TRUE(Contains(signed_search.err, "--manifest")) << signed_search.err;
}

TEST_F(CliTest, AnExportWithItsDirectoryMovesATenantToANewStore) {
  const std::string edited = EditOneInteractionTwice();  // its etag is "<id>.3": the move keeps it
  CliResult first = Export({"--with-directory", "--all"});
  EXPECT_TRUE(Contains(first.out, "\"etag\":\"" + edited + ".3\"")) << edited;
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(first.out.rfind("{\"@aihistory.directory\":\"tenant\"", 0) == 0) << first.out.substr(0, 200);
  EXPECT_FALSE(Contains(first.out, "clientSecret"));
  EXPECT_FALSE(Contains(first.out, "secret"));
  const std::string file = dir_ + "/tenant.ndjson";
  std::ofstream(file, std::ios::binary) << first.out;

  const std::string moved = dir_ + "/moved";
  CliResult imported = RunCli({"import", file, "--tenant", demo_.tenant_id, "--store", moved});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_TRUE(Contains(imported.err, "created tenant " + demo_.tenant_id)) << imported.err;

  // The same export, byte for byte, with or without the rules.
  CliResult again = Export({"--with-directory", "--all"}, moved);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, first.out);
  EXPECT_EQ(Export({}, moved).out, Export({}).out);
  for (std::vector<std::string> list : std::vector<std::vector<std::string>>{
           {"admin", "users", "list", "--tenant", demo_.tenant_id},
           {"admin", "source", "list", "--tenant", demo_.tenant_id},
           {"admin", "consent", "list", "--tenant", demo_.tenant_id}}) {
    CliResult a = RunCli([&] { auto x = list; x.insert(x.end(), {"--store", store_}); return x; }());
    CliResult b = RunCli([&] { auto x = list; x.insert(x.end(), {"--store", moved}); return x; }());
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out, b.out) << list[1];
  }
  // Importing it once more changes nothing.
  imported = RunCli({"import", file, "--tenant", demo_.tenant_id, "--store", moved});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Export({"--with-directory", "--all"}, moved).out, first.out);
}

// The same move into PostgreSQL (when the suite has a test server): the engines agree byte for byte,
// and a database without the aihistory schema is no store for commands that read.
TEST_F(CliTest, ATenantMovesIntoPostgresql) {
  const auto engines = StoreEngines();
  if (std::find(engines.begin(), engines.end(), "postgresql") == engines.end()) {
    GTEST_SKIP() << "no PostgreSQL test server (AIH_TEST_POSTGRES_URL)";
  }
  const std::string url = NewStoreLocation("postgresql", "aih-cli-move");
  ASSERT_FALSE(url.empty());
  struct Cleanup {
    const std::string& url;
    ~Cleanup() { RemoveStoreLocation(url); }
  } cleanup{url};
  CliResult empty = RunCli({"admin", "tenant", "list", "--store", url});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_TRUE(Contains(empty.err, "no aihistory store")) << empty.err;
  EXPECT_NE(RunCli({"export", "--tenant", demo_.tenant_id, "--store", url}).exit_code, 0);

  const std::string edited = EditOneInteractionTwice();
  CliResult first = Export({"--with-directory", "--all"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(Contains(first.out, "\"etag\":\"" + edited + ".3\"")) << edited;
  const std::string file = dir_ + "/tenant.ndjson";
  std::ofstream(file, std::ios::binary) << first.out;
  CliResult imported = RunCli({"import", file, "--tenant", demo_.tenant_id, "--store", url});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Export({"--with-directory", "--all"}, url).out, first.out);
  EXPECT_EQ(Export({}, url).out, Export({}).out);
}

TEST_F(CliTest, AnExportWithItsDirectoryRefusesAnotherTenant) {
  CliResult first = Export({"--with-directory"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string file = dir_ + "/tenant.ndjson";
  std::ofstream(file, std::ios::binary) << first.out;
  const std::string moved = dir_ + "/moved";
  CliResult r = RunCli({"import", file, "--tenant", "11111111-2222-4333-8444-555555555555", "--store", moved});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.err, demo_.tenant_id)) << r.err;
  EXPECT_FALSE(fs::exists(moved));
}

TEST_F(CliTest, UsersListWritesWhatUsersImportReads) {
  for (const char* format : {"csv", "json"}) {
    CliResult listed = RunCli({"admin", "users", "list", "--tenant", demo_.tenant_id, "--store", store_, "--format", format});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    const std::string file = dir_ + "/users." + format;
    std::ofstream(file, std::ios::binary) << listed.out;
    const std::string other = dir_ + "/other-" + format;
    ASSERT_EQ(RunCli({"admin", "tenant", "create", "--id", demo_.tenant_id, "--name", "Copy", "--store", other}).exit_code, 0);
    CliResult imported = RunCli({"admin", "users", "import", file, "--tenant", demo_.tenant_id, "--store", other});
    ASSERT_EQ(imported.exit_code, 0) << format << ": " << imported.err << imported.out;
    CliResult relisted = RunCli({"admin", "users", "list", "--tenant", demo_.tenant_id, "--store", other, "--format", format});
    EXPECT_EQ(relisted.out, listed.out) << format;
  }
  // The default is CSV, with the licenses.
  CliResult csv = RunCli({"admin", "users", "list", "--tenant", demo_.tenant_id, "--store", store_});
  EXPECT_TRUE(csv.out.rfind("id,userPrincipalName,displayName,accountType,servicePlans\n", 0) == 0) << csv.out;
  EXPECT_TRUE(Contains(csv.out, "3f30311c-6b1e-48a4-ab79-725b469da960")) << csv.out;
}

TEST_F(CliTest, DeletingWithoutATerminalNeedsYes) {
  const int64_t before = StoredCount(demo_.licensed_user);
  ASSERT_GT(before, 0);
  CliResult r = RunCli({"admin", "interactions", "delete", "--tenant", demo_.tenant_id, "--user", demo_.licensed_user,
                        "--store", store_},
                       "y\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.err, "--yes")) << r.err;
  EXPECT_TRUE(Contains(r.err, std::to_string(before) + " interactions")) << r.err;
  EXPECT_EQ(StoredCount(demo_.licensed_user), before);
  r = RunCli({"admin", "users", "delete", "--tenant", demo_.tenant_id, "--user", demo_.licensed_user, "--store", store_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.err, "--yes")) << r.err;
  EXPECT_EQ(RunCli({"admin", "access", "list", "--tenant", demo_.tenant_id, "--user", demo_.licensed_user,
                    "--store", store_}).exit_code, 0);  // still there

  r = RunCli({"admin", "interactions", "delete", "--tenant", demo_.tenant_id, "--user", demo_.licensed_user,
              "--store", store_, "--yes"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, std::to_string(before) + " interactions")) << r.err;
  EXPECT_EQ(StoredCount(demo_.licensed_user), 0);
  r = RunCli({"admin", "users", "delete", "--tenant", demo_.tenant_id, "--user", demo_.licensed_user, "--store", store_, "--yes"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(RunCli({"admin", "access", "list", "--tenant", demo_.tenant_id, "--user", demo_.licensed_user,
                    "--store", store_}).exit_code, 1);
}

TEST_F(CliTest, DeletingOnATerminalAsksFirst) {
  const int64_t before = StoredCount(demo_.licensed_user);
  ASSERT_GT(before, 0);
  const std::vector<std::string> del = {"admin", "interactions", "delete", "--tenant", demo_.tenant_id,
                                        "--user", demo_.licensed_user, "--store", store_};
  CliResult no = RunCliOnTerminal(del, "n\n");
  EXPECT_EQ(no.exit_code, 1) << no.out;
  EXPECT_TRUE(Contains(no.out, std::to_string(before) + " interactions")) << no.out;
  EXPECT_TRUE(Contains(no.out, "[y/N]")) << no.out;
  EXPECT_EQ(StoredCount(demo_.licensed_user), before);
  CliResult yes = RunCliOnTerminal(del, "y\n");
  EXPECT_EQ(yes.exit_code, 0) << yes.out;
  EXPECT_EQ(StoredCount(demo_.licensed_user), 0);
}

TEST_F(CliTest, ProgressBarsEndTheirLine) {
  CliResult exported = Export({"--all"});
  const std::string file = dir_ + "/all.ndjson";
  std::ofstream(file, std::ios::binary) << exported.out;
  CliResult imported = RunCliOnTerminal({"import", file, "--tenant", demo_.tenant_id, "--store", store_});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  const size_t summary = imported.out.find("stored ");
  ASSERT_NE(summary, std::string::npos) << imported.out;
  EXPECT_TRUE(Contains(imported.out, "importing")) << imported.out;
  ASSERT_GT(summary, 0u);
  EXPECT_EQ(imported.out[summary - 1], '\n') << imported.out;

  // export draws one too on a terminal, when the interactions go to a file.
  const std::string out = dir_ + "/again.ndjson";
  CliResult shown = RunCliOnTerminal({"export", "--tenant", demo_.tenant_id, "--store", store_, "--out", out});
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_TRUE(Contains(shown.out, "exporting")) << shown.out;
  const size_t done = shown.out.find("exported ");
  ASSERT_NE(done, std::string::npos) << shown.out;
  EXPECT_EQ(shown.out[done - 1], '\n') << shown.out;
  EXPECT_EQ(ReadAll(out), Export({}).out);
}

TEST(CliUsageTest, ABareAihistoryPrintsUsageToStandardErrorAndExits2) {
  CliResult r = RunCli({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "serve")) << r.err;
  EXPECT_TRUE(Contains(r.err, "export")) << r.err;
  CliResult help = RunCli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(Contains(help.out, "serve"));
  EXPECT_EQ(RunCli({"export", "--no-such-option"}).exit_code, 2);
}

TEST(ServiceDocumentTest, TheRootAndEachVersionSayWhatTheServiceIs) {
  const std::string dir = MakeTempDir("aih-cli-root");
  auto server = ServerProcess::Start(dir);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  auto root = client.Send("GET", "/");
  EXPECT_EQ(root.status, 200) << root.body;
  EXPECT_EQ(JsonValue(root.body, "service"), "aihistory");
  EXPECT_TRUE(Contains(JsonValue(root.body, "endpoints.tenantExport"),
                       "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions"))
      << root.body;
  for (const char* version : {"/v1.0", "/beta", "/V1.0/"}) {
    auto doc = client.Send("GET", version);
    EXPECT_EQ(doc.status, 200) << version << doc.body;
    EXPECT_EQ(JsonValue(doc.body, "value.0.name"), "copilot") << doc.body;
    EXPECT_TRUE(Contains(doc.body, "getAllEnterpriseInteractions")) << doc.body;
  }
  // Not a 404 about a segment named after the method.
  auto post = client.Send("POST", "/", {{"Content-Type", "application/json"}}, "{}");
  EXPECT_EQ(post.status, 405) << post.body;
  auto prefix = client.Send("GET", "/v1.0/copilot");
  EXPECT_EQ(prefix.status, 404);
  EXPECT_TRUE(Contains(prefix.body, "'copilot'")) << prefix.body;
  EXPECT_FALSE(Contains(prefix.body, "'GET'")) << prefix.body;
  server.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace aih::testing
