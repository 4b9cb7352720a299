// Legal holds and erasure from the command line (cli/admin_holds.h), and an erased item coming back
// through `aihistory import` (cli/import.cc): on the demo tenant (SQLite).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli_runner.h"
#include "support/demo_tenant.h"
#include "support/server_process.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

namespace fs = std::filesystem;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

class GovernanceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("aih-gov-cli");
    store_ = dir_ + "/store";
    demo_ = DemoTenant::Create(store_);
    ASSERT_NE(demo_.tenant_id, "<missing>");
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), "admin");
    args.insert(args.end(), {"--store", store_, "--tenant", demo_.tenant_id});
    return RunCli(args);
  }
  // One stored interaction of the licensed user, as an exported NDJSON line.
  std::string OneExportedLine() {
    CliResult all = RunCli({"export", "--store", store_, "--tenant", demo_.tenant_id, "--user", demo_.licensed_user, "--all"});
    EXPECT_EQ(all.exit_code, 0) << all.err;
    return FirstLine(all.out);
  }
  static std::string IdOf(const std::string& line) {
    const size_t at = line.find("\"id\":\"");
    return line.substr(at + 6, line.find('"', at + 6) - at - 6);
  }

  std::string dir_, store_;
  DemoTenant demo_;
};

TEST_F(GovernanceCliTest, AHoldBlocksErasureUntilReleased) {
  CliResult opened = Admin({"case", "create", "--name", "Contoso v. Fabrikam"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  const std::string case_id = opened.out.substr(std::string("opened case ").size(), 36);
  CliResult held = Admin({"hold", "create", "--case", case_id, "--name", "Everything of Megan", "--user", demo_.licensed_upn});
  ASSERT_EQ(held.exit_code, 0) << held.err;
  const std::string hold_id = held.out.substr(0, 36);

  const std::string line = OneExportedLine();
  const std::string id = IdOf(line);
  CliResult holds = Admin({"interactions", "holds", "--user", demo_.licensed_user, "--id", id});
  ASSERT_EQ(holds.exit_code, 0) << holds.err;
  EXPECT_TRUE(Contains(holds.out, hold_id)) << holds.out;

  CliResult refused = Admin({"interactions", "erase", "--user", demo_.licensed_user, "--yes"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Contains(refused.err, "legal hold " + hold_id)) << refused.err;

  ASSERT_EQ(Admin({"hold", "release", "--hold", hold_id}).exit_code, 0);
  CliResult erased = Admin({"interactions", "erase", "--user", demo_.licensed_user, "--id", id, "--yes"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_TRUE(Contains(erased.out, "erased 1 interactions")) << erased.out;
  CliResult record = Admin({"erasures", "list", "--user", demo_.licensed_user});
  ASSERT_EQ(record.exit_code, 0) << record.err;
  EXPECT_TRUE(Contains(record.out, id)) << record.out;

  // The erased item comes back through an import of the old export: the operator is told.
  const std::string file = dir_ + "/old-export.ndjson";
  std::ofstream(file, std::ios::binary) << line << "\n";
  CliResult imported = RunCli({"import", file, "--tenant", demo_.tenant_id, "--store", store_});
  EXPECT_EQ(imported.exit_code, 1) << imported.err;
  EXPECT_TRUE(Contains(imported.err, "interaction '" + id + "' of user " + demo_.licensed_user + " was erased"))
      << imported.err;
}

// A backup made before an erasure holds the erased item: restoring it is refused, naming the item,
// unless the operator says --allow-erased; the erasure stays on record in the restored store.
TEST_F(GovernanceCliTest, ARestoreThatWouldBringBackAnErasedItemIsRefusedUnlessAllowed) {
  const std::string backup = dir_ + "/before-erasure.db";
  ASSERT_EQ(RunCli({"backup", "--store", store_, "--out", backup}).exit_code, 0);
  const std::string id = IdOf(OneExportedLine());
  CliResult erased = Admin({"interactions", "erase", "--user", demo_.licensed_user, "--id", id, "--yes"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;

  CliResult refused = RunCli({"restore", "--from", backup, "--store", store_, "--force"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "interaction '" + id + "' of user " + demo_.licensed_user)) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "nothing was restored")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--allow-erased")) << refused.err;
  CliResult still = RunCli({"export", "--store", store_, "--tenant", demo_.tenant_id, "--user", demo_.licensed_user, "--all"});
  EXPECT_FALSE(Contains(still.out, "\"id\":\"" + id + "\"")) << "the store is unchanged";

  CliResult allowed = RunCli({"restore", "--from", backup, "--store", store_, "--force", "--allow-erased"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_TRUE(Contains(allowed.err, "warning: interaction '" + id + "'")) << allowed.err;
  CliResult back = RunCli({"export", "--store", store_, "--tenant", demo_.tenant_id, "--user", demo_.licensed_user, "--all"});
  EXPECT_TRUE(Contains(back.out, "\"id\":\"" + id + "\"")) << "restored as the operator asked";
  // The backup predates the erasure, yet the record of it survives the restore.
  CliResult record = Admin({"erasures", "list", "--user", demo_.licensed_user});
  ASSERT_EQ(record.exit_code, 0) << record.err;
  EXPECT_TRUE(Contains(record.out, id)) << record.out;
  // And so a second restore of the same backup is refused again.
  EXPECT_EQ(RunCli({"restore", "--from", backup, "--store", store_, "--force"}).exit_code, 1);
}

TEST_F(GovernanceCliTest, AHoldMayNarrowItselfByAContentSearch) {
  CliResult opened = Admin({"case", "create", "--name", "c"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  const std::string case_id = opened.out.substr(std::string("opened case ").size(), 36);
  CliResult held = Admin({"hold", "create", "--case", case_id, "--name", "x", "--user", demo_.licensed_upn,
                          "--search", "\"no such phrase anywhere\""});
  ASSERT_EQ(held.exit_code, 0) << held.err;
  EXPECT_TRUE(Contains(held.out, "search: \"no such phrase anywhere\"")) << held.out;
  // It matches nothing of the user, so nothing is held.
  CliResult erased = Admin({"interactions", "erase", "--user", demo_.licensed_user, "--yes"});
  EXPECT_EQ(erased.exit_code, 0) << erased.err;
  CliResult bad = Admin({"hold", "create", "--case", case_id, "--name", "x", "--user", demo_.licensed_upn,
                         "--search", "budget NEAR forecast"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Contains(bad.err, "contentSearch")) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "NEAR")) << bad.err;
}

TEST_F(GovernanceCliTest, BadHoldsAndErasuresAreRefused) {
  CliResult opened = Admin({"case", "create", "--name", "c"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  const std::string case_id = opened.out.substr(std::string("opened case ").size(), 36);
  CliResult stranger = Admin({"hold", "create", "--case", case_id, "--name", "x", "--user", "nobody@fabrikam.example"});
  EXPECT_EQ(stranger.exit_code, 1);
  EXPECT_TRUE(Contains(stranger.err, "has no user")) << stranger.err;
  CliResult query = Admin({"hold", "create", "--case", case_id, "--name", "x", "--user", demo_.licensed_upn,
                           "--query", "appClass eq"});
  EXPECT_EQ(query.exit_code, 1);
  EXPECT_TRUE(Contains(query.err, "contentQuery")) << query.err;
  CliResult nobody = Admin({"interactions", "erase", "--user", "cccccccc-0000-4000-8000-000000000000", "--yes"});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_TRUE(Contains(nobody.err, "nothing to erase")) << nobody.err;
}

}  // namespace
}  // namespace aih::testing
