// The PostgreSQL server the tests run against (AIH_TEST_POSTGRES_URL, normally the throwaway cluster
// of scripts/postgres-test-cluster.sh), and throwaway schemas on it: a schema per test isolates the
// tests as well as a database would, at a fraction of CREATE DATABASE's cost (~1 s with fsync on).
#pragma once

#include <string>

namespace aih::testing {

// AIH_TEST_POSTGRES_URL, or "" when the PostgreSQL tests are not configured.
std::string PostgresServerUrl();

// Creates an empty schema with a random name on the test server and returns a URL whose sessions
// use it (search_path). It is dropped by DropThrowawaySchemas() (after each StoreTest, and at exit).
std::string CreateThrowawaySchema();
void DropThrowawaySchemas();

}  // namespace aih::testing
