#include "support/postgres_server.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <vector>

#include "store/postgres/connection.h"

namespace aih::testing {
namespace {

struct Schema {
  std::string server, name;
};

std::mutex mu;
std::vector<Schema> created;  // schemas not yet dropped

Status OnServer(const std::string& server, const std::string& sql) {
  auto conn = store::postgres::Connection::Open(server);
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(sql);
}

void Drop(const std::vector<Schema>& schemas) {
  for (const Schema& schema : schemas) {
    Status s = OnServer(schema.server, "DROP SCHEMA IF EXISTS " + schema.name + " CASCADE");
    if (!s.ok()) ADD_FAILURE() << "cannot drop the test schema " << schema.name << ": " << s.message();
  }
}

// Drops whatever the tests left behind when the test binary ends normally.
struct DropAtExit : ::testing::Environment {
  void TearDown() override { DropThrowawaySchemas(); }
};
[[maybe_unused]] auto* const drop_at_exit = ::testing::AddGlobalTestEnvironment(new DropAtExit);

}  // namespace

std::string PostgresServerUrl() {
  const char* url = std::getenv("AIH_TEST_POSTGRES_URL");
  return url ? url : "";
}

std::string CreateThrowawaySchema(const std::string& server) {
  std::random_device rd;
  std::string name = "aih_test_" + std::to_string(rd()) + std::to_string(rd());
  Status s = OnServer(server, "CREATE SCHEMA " + name);
  if (!s.ok()) {
    ADD_FAILURE() << "cannot create a test schema on " << server << ": " << s.message();
    return "";
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    created.push_back({server, name});
  }
  return server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + name;
}

void DropThrowawaySchema(const std::string& url) {
  std::vector<Schema> mine;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (auto it = created.begin(); it != created.end();) {
      const std::string suffix = "search_path%3D" + it->name;
      if (url.size() >= suffix.size() && url.compare(url.size() - suffix.size(), suffix.size(), suffix) == 0) {
        mine.push_back(*it);
        it = created.erase(it);
      } else {
        ++it;
      }
    }
  }
  Drop(mine);
}

void DropThrowawaySchemas() {
  std::vector<Schema> all;
  {
    std::lock_guard<std::mutex> lock(mu);
    all.swap(created);
  }
  Drop(all);
}

PrivateCluster::PrivateCluster() {
  std::random_device rd;
  dir_ = (std::filesystem::temp_directory_path() / ("aih-pg-private-" + std::to_string(rd()))).string();
  url_ = Run("start");
}

PrivateCluster::~PrivateCluster() {
  {
    // Its schemas go with it.
    std::lock_guard<std::mutex> lock(mu);
    std::erase_if(created, [&](const Schema& s) { return s.server == url_; });
  }
  Run("stop");
}

void PrivateCluster::Crash() { Run("crash"); }

void PrivateCluster::Start() { Run("start"); }

std::string PrivateCluster::Run(const std::string& command) {
  std::string line = "AIH_PG_DIR='" + dir_ + "' '" AIH_SOURCE_DIR "/scripts/postgres-test-cluster.sh' " + command;
  FILE* out = popen(line.c_str(), "r");
  std::string text;
  char buf[512];
  while (out && fgets(buf, sizeof buf, out)) text += buf;
  int rc = out ? pclose(out) : -1;
  EXPECT_EQ(rc, 0) << line << ": " << text;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return rc == 0 ? text : "";
}

}  // namespace aih::testing
