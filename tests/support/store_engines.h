// The store engines a suite runs on, and a fresh store of one for each test. SQLite always;
// PostgreSQL too when AIH_TEST_POSTGRES_URL names a server (scripts/test.sh starts a throwaway one),
// so one suite proves both engines. Without it the PostgreSQL instances are simply not listed (and
// the PostgreSQL-only tests skip themselves): the suite still runs, on SQLite.
//
// A suite is a fixture parameterized by the engine's name, instantiated once per engine:
//   class ExportApiTest : public ::testing::TestWithParam<std::string> { ... };
//   INSTANTIATE_TEST_SUITE_P(Engines, ExportApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);
// which names its tests Engines/ExportApiTest.Case/sqlite and .../postgresql.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace aih::testing {

// "sqlite" and, when configured, "postgresql".
std::vector<std::string> StoreEngines();
// The test name suffix of an engine: its name.
std::string EngineName(const ::testing::TestParamInfo<std::string>& info);

// Where a fresh, empty store of `engine` lives: a new temporary directory named `prefix`-XXXXXX, or
// the URL of a new throwaway schema on the test server (postgres_server.h). "" (and a failed test)
// when none can be made. `aihistory --store` takes either.
std::string NewStoreLocation(const std::string& engine, const std::string& prefix = "aih-store");
// Removes what NewStoreLocation made: the directory and everything in it, or the schema.
void RemoveStoreLocation(const std::string& location);
bool IsPostgresLocation(const std::string& location);

// Opens a fresh store of `engine` at a NewStoreLocation (returned in *location when asked); null
// (and a failed test) on error.
std::unique_ptr<store::Store> OpenFreshStore(const std::string& engine, std::string* location = nullptr,
                                             const std::string& prefix = "aih-store");

}  // namespace aih::testing
