#include "postgres_server.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <random>
#include <vector>

#include "store/postgres/connection.h"

namespace aih::testing {
namespace {

std::mutex mu;
std::vector<std::string> created;  // schemas not yet dropped

Status OnServer(const std::string& sql) {
  auto conn = store::postgres::Connection::Open(PostgresServerUrl());
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(sql);
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

std::string CreateThrowawaySchema() {
  std::random_device rd;
  std::string name = "aih_test_" + std::to_string(rd()) + std::to_string(rd());
  Status s = OnServer("CREATE SCHEMA " + name);
  if (!s.ok()) {
    ADD_FAILURE() << "cannot create a test schema on " << PostgresServerUrl() << ": " << s.message();
    return "";
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    created.push_back(name);
  }
  std::string url = PostgresServerUrl();
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + name;
}

void DropThrowawaySchemas() {
  std::vector<std::string> names;
  {
    std::lock_guard<std::mutex> lock(mu);
    names.swap(created);
  }
  for (const std::string& name : names) {
    Status s = OnServer("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    if (!s.ok()) ADD_FAILURE() << "cannot drop the test schema " << name << ": " << s.message();
  }
}

}  // namespace aih::testing
