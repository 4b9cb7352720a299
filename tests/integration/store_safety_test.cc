// The embedded store as an operator meets it: odd paths, damaged or foreign files, a full disk.
// Each test runs the real `aihistory` binary on a SQLite data directory of its own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "store/sqlite/connection.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs SQL on the SQLite file directly (as an operator's tool would) and returns one integer.
int64_t SqliteInt(const std::string& db, const std::string& sql) {
  auto conn = store::sqlite::Connection::Open(db, /*read_only=*/false);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return -1;
  auto stmt = (*conn)->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  Status st;
  return stmt.ok() && stmt->Step(&st) ? stmt->Int(0) : -1;
}

class StoreSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = MakeTempDir("aih-safety"); }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string root_;
};

// The self-signed certificate's directory is made with the filesystem library: a quote or a space
// in the store's path is only a name (it used to be handed to a shell inside single quotes).
TEST_F(StoreSafetyTest, HttpsSelfSignedCertificateInAStorePathWithAQuoteAndSpaces) {
  const std::string store = root_ + "/it's my store";
  auto server = ServerProcess::Start(store, {"--https-port", "0"});
  ASSERT_NE(server, nullptr);
  EXPECT_GT(server->https_port(), 0);
  EXPECT_TRUE(fs::is_regular_file(store + "/tls/cert.pem"));
  EXPECT_TRUE(fs::is_regular_file(store + "/tls/key.pem"));
  EXPECT_EQ(fs::status(store + "/tls/key.pem").permissions() & fs::perms::others_read, fs::perms::none);
  HttpClient client(server->port());
  EXPECT_EQ(client.Send("GET", "/health").status, 200);
}

// ----- a store that is not what it should be is refused -----

// `serve` on it does not start (ServerProcess::Start gives up once the process exits), and a command
// that opens the store says why; the file is left exactly as it was.
void ExpectRefused(const std::string& dir, const std::string& why) {
  const std::string db = dir + "/aihistory.db";
  const std::string before = ReadAll(db);
  EXPECT_EQ(ServerProcess::Start(dir), nullptr) << "serve started on a store that " << why;
  std::string output;
  EXPECT_EQ(RunAihistory({"export", "--store", dir, "--tenant", "00000000-0000-4000-8000-000000000001"}, &output), 2);
  EXPECT_THAT(output, HasSubstr(why));
  EXPECT_EQ(ReadAll(db), before) << "the refused file was changed";
}

TEST_F(StoreSafetyTest, AZeroLengthStoreFileIsRefusedNotReplaced) {
  WriteFile(root_ + "/aihistory.db", "");
  ExpectRefused(root_, "is empty (0 bytes)");
  std::string output;
  EXPECT_EQ(RunAihistory({"check", "--store", root_}, &output), 1);
  EXPECT_THAT(output, HasSubstr("is empty (0 bytes)"));
}

TEST_F(StoreSafetyTest, AFileThatIsNotSqliteIsRefused) {
  WriteFile(root_ + "/aihistory.db", "name,email\nada,ada@example.com\n");
  ExpectRefused(root_, "is not a SQLite database");
}

TEST_F(StoreSafetyTest, ASqliteDatabaseOfSomethingElseIsRefused) {
  {
    // Another program's database, in SQLite's default rollback-journal mode: opening it must not
    // even switch it to WAL.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((root_ + "/aihistory.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread')", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  ExpectRefused(root_, "is a SQLite database of something else");
  std::string output;
  EXPECT_EQ(RunAihistory({"check", "--store", root_}, &output), 1);
  EXPECT_THAT(output, HasSubstr("of something else"));
}

TEST_F(StoreSafetyTest, AMissingOrEmptyDirectoryStillGetsANewStore) {
  auto fresh = ServerProcess::Start(root_ + "/new/data");
  ASSERT_NE(fresh, nullptr);
  HttpClient client(fresh->port());
  EXPECT_EQ(client.Send("GET", "/health").status, 200);
  fresh.reset();
  std::string output;
  EXPECT_EQ(RunAihistory({"check", "--store", root_ + "/new/data"}, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("is sound"));
}

// Random bytes over one page in the middle of a store: start refuses it, `aihistory check` names it.
TEST_F(StoreSafetyTest, ADamagedPageIsRefusedAtStartAndNamedByCheck) {
  const std::string dir = root_ + "/data";
  std::string output;
  ASSERT_EQ(RunAihistory({"seed", "--store", dir, "--users", "20", "--interactions", "40"}, &output), 0) << output;
  ASSERT_EQ(RunAihistory({"check", "--store", dir}, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("is sound"));

  const std::string db = dir + "/aihistory.db";
  // Every page in use (no free page whose damage would mean nothing), and none left in a WAL.
  {
    auto conn = store::sqlite::Connection::Open(db, false);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec("VACUUM; PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  const int64_t page_size = SqliteInt(db, "PRAGMA page_size");
  const int64_t pages = SqliteInt(db, "PRAGMA page_count");
  ASSERT_GT(pages, 20) << "the store is too small to have a middle";
  ASSERT_EQ(SqliteInt(db, "PRAGMA freelist_count"), 0);
  ASSERT_FALSE(fs::exists(db + "-wal") && fs::file_size(db + "-wal") > 0);
  {
    std::mt19937 random(13);
    std::string junk(static_cast<size_t>(page_size), '\0');
    for (char& c : junk) c = static_cast<char>(random());
    std::fstream file(db, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp((pages / 2) * page_size);
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  ExpectRefused(dir, "is damaged");
  EXPECT_EQ(RunAihistory({"check", "--store", dir}, &output), 1);
  EXPECT_THAT(output, HasSubstr("FAILED the check"));
  EXPECT_THAT(output, ::testing::ContainsRegex("[Pp]age [0-9]+"));  // SQLite's own finding names the page
}

// On PostgreSQL `aihistory check` checks the schema version (and the indexes, with amcheck).
TEST(PostgresCheckTest, CheckNamesASchemaThatIsNotOursAndPassesAGoodStore) {
  if (!std::getenv("AIH_TEST_POSTGRES_URL")) GTEST_SKIP() << "AIH_TEST_POSTGRES_URL is not set";
  const std::string url = NewStoreLocation("postgresql");
  ASSERT_FALSE(url.empty());
  std::string output;
  EXPECT_EQ(RunAihistory({"check", "--store", url}, &output), 1) << output;
  EXPECT_THAT(output, HasSubstr("no aihistory schema"));
  ASSERT_TRUE(store::OpenStore(url).ok());  // migrates it
  EXPECT_EQ(RunAihistory({"check", "--store", url}, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("is sound"));
  RemoveStoreLocation(url);
}

// ----- a full disk is named -----

// A small tmpfs of its own (mounting needs root): a real file system that really fills up.
class DiskFullTest : public StoreSafetyTest {
 protected:
  void SetUp() override {
    StoreSafetyTest::SetUp();
    mount_ = root_ + "/small-disk";
    fs::create_directories(mount_);
    if (::mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=16m") != 0) {
      mount_.clear();
      GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
    }
  }
  void TearDown() override {
    server_.reset();
    if (!mount_.empty()) ::umount2(mount_.c_str(), MNT_DETACH);
    StoreSafetyTest::TearDown();
  }
  // Takes every free byte of the file system.
  void Fill() {
    std::ofstream filler(mount_ + "/filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  std::string mount_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(DiskFullTest, WritesAtDiskFullAre507WithAGrowingRetryAfterAndHealthSaysSo) {
  const std::string dir = mount_ + "/data";
  DemoTenant demo = DemoTenant::Create(dir, root_);
  ASSERT_NE(demo.tenant_id, "<missing>");
  server_ = ServerProcess::Start(dir);
  ASSERT_NE(server_, nullptr);
  HttpClient client(server_->port());
  const std::string token = FetchToken(client, demo.tenant_id, demo.writer_id, demo.writer_secret);
  ASSERT_FALSE(token.empty());
  int next_id = 0;
  auto write = [&] {  // a batch of fresh items: it always needs new pages
    std::string body = "[";
    for (int i = 0; i < 20; ++i) {
      body += std::string(i ? "," : "") + "{\"@aihistory.userId\":\"" + demo.licensed_user + "\",\"id\":\"full-" +
              std::to_string(next_id++) + "\",\"appClass\":\"" + demo.first_party_app_class +
              "\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"2026-02-01T10:00:00Z\","
              "\"body\":{\"contentType\":\"text\",\"content\":\"" + std::string(2000, 'p') + "\"}}";
    }
    return client.Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                       {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, body + "]");
  };
  ASSERT_EQ(write().status, 200);
  EXPECT_EQ(client.Send("GET", "/health").status, 200);

  Fill();
  HttpResult refused;
  for (int attempt = 0; attempt < 200 && refused.status != 507; ++attempt) {
    refused = write();
    ASSERT_TRUE(refused.status == 200 || refused.status == 507) << refused.status << " " << refused.body;
  }
  ASSERT_EQ(refused.status, 507) << "the writes never filled the disk";
  EXPECT_EQ(JsonValue(refused.body, "error.code"), "InsufficientStorage");
  EXPECT_THAT(JsonValue(refused.body, "error.message"), HasSubstr("storage is full"));
  const int first = std::stoi(refused.headers["retry-after"]);
  const HttpResult second = write();
  const HttpResult third = write();
  ASSERT_EQ(second.status, 507);
  ASSERT_EQ(third.status, 507);
  EXPECT_EQ(std::stoi(second.headers.at("retry-after")), 2 * first);
  EXPECT_EQ(std::stoi(third.headers.at("retry-after")), 4 * first);
  HttpResult health = client.Send("GET", "/health");
  EXPECT_EQ(health.status, 503) << health.body;
  EXPECT_EQ(JsonValue(health.body, "storage"), "full");
  // Reads go on.
  EXPECT_EQ(client.Send("GET", "/v1.0/copilot/users/" + demo.licensed_user +
                                   "/interactionHistory/getAllEnterpriseInteractions?$top=1",
                        {{"Authorization", "Bearer " + FetchToken(client, demo.tenant_id, demo.exporter_id,
                                                                 demo.exporter_secret)}})
                .status,
            200);
  EXPECT_THAT(server_->LogOnceItHolds("STORAGE FULL"), HasSubstr("STORAGE FULL"));

  // Space again: the next write succeeds and health is ready again.
  fs::remove(mount_ + "/filler");
  EXPECT_EQ(write().status, 200);
  health = client.Send("GET", "/health");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(JsonValue(health.body, "storage"), "ok");
  EXPECT_THAT(server_->LogOnceItHolds("storage has room again"), HasSubstr("storage has room again"));
}

}  // namespace
}  // namespace aih::testing
