// The PostgreSQL server the tests run against (AIH_TEST_POSTGRES_URL, normally the throwaway cluster
// of scripts/postgres-test-cluster.sh), and throwaway schemas on it: a schema per test isolates the
// tests as well as a database would, at a fraction of CREATE DATABASE's cost (~1 s with fsync on).
// Tests that stop and start PostgreSQL must not do it to that shared server (other test processes
// use it at the same time): they run a PrivateCluster of their own.
#pragma once

#include <string>

namespace aih::testing {

// AIH_TEST_POSTGRES_URL, or "" when the PostgreSQL tests are not configured.
std::string PostgresServerUrl();

// Creates an empty schema with a random name on `server` (the test server by default) and returns a
// URL whose sessions use it (search_path). It is dropped by DropThrowawaySchema(url), by
// DropThrowawaySchemas() (every one this process made, e.g. after each StoreTest), and at exit.
std::string CreateThrowawaySchema(const std::string& server = PostgresServerUrl());
void DropThrowawaySchema(const std::string& url);
void DropThrowawaySchemas();

// A second PostgreSQL cluster, private to one test process (scripts/postgres-test-cluster.sh with
// its own AIH_PG_DIR), that the test may crash and restart. Starting one costs an initdb (seconds):
// share it across the tests of a suite. Removed by the destructor.
class PrivateCluster {
 public:
  PrivateCluster();
  ~PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  const std::string& url() const { return url_; }  // "" (and a failed test) when it did not start
  void Crash();  // an immediate stop, as a crash or a power cut: committed data is kept
  void Start();  // again, on the same port

 private:
  std::string Run(const std::string& command);
  std::string dir_, url_;
};

}  // namespace aih::testing
