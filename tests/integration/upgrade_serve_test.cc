// Upgrading over a store of the previous release (item 7 of issue 18, end to end): a new binary
// started on it migrates it before it listens, and reports ready at the latest schema; a backup taken
// of the old store is migrated when restored. The data side of each migration is in
// tests/store/upgrade_test.cc.
#include <sys/wait.h>

#include <filesystem>

#include "integration_fixture.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"

namespace aih::testing {
namespace {

constexpr int kPreviousRelease = 5;  // the SQLite schema of the release before per-user grants

class UpgradeServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("aih-upgrade");
    std::filesystem::create_directories(dir_ + "/old");
    auto conn = store::sqlite::Connection::Open(dir_ + "/old/aihistory.db", /*read_only=*/false);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    ASSERT_TRUE(store::sqlite::MigrateTo(**conn, kPreviousRelease).ok());
    ASSERT_LT(kPreviousRelease, store::sqlite::LatestSchemaVersion());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  static std::string ReadyVersion(int port) {
    HttpClient client(port);
    auto r = client.Send("GET", "/health/ready");
    EXPECT_EQ(r.status, 200) << r.body;
    return JsonValue(r.body, "schemaVersion");
  }
  std::string dir_;
};

TEST_F(UpgradeServeTest, ANewServerMigratesThePreviousReleasesStoreAndIsReady) {
  // Backed up while still at the old schema (the backup of an old release's store).
  std::string output;
  ASSERT_EQ(RunAihistory({"backup", "--store", dir_ + "/old", "--out", dir_ + "/old.backup"}, &output), 0) << output;
  EXPECT_NE(output.find("schema version " + std::to_string(kPreviousRelease)), std::string::npos) << output;

  auto server = ServerProcess::Start(dir_ + "/old");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(ReadyVersion(server->port()), std::to_string(store::sqlite::LatestSchemaVersion()));
  const int status = server->Terminate();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  ASSERT_EQ(RunAihistory({"restore", "--from", dir_ + "/old.backup", "--store", dir_ + "/restored"}, &output), 0)
      << output;
  EXPECT_NE(output.find("schema version now " + std::to_string(store::sqlite::LatestSchemaVersion())),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace aih::testing
