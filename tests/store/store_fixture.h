// The engines every store test runs on. SQLite always; PostgreSQL when AIH_TEST_POSTGRES_URL names
// a server (the test command starts a throwaway one), so one suite proves both engines.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace aih::testing {

// "sqlite" and, when configured, "postgresql".
std::vector<std::string> StoreEngines();

// A fresh, empty store of `engine` (a new temp directory, or a new PostgreSQL schema that
// DropThrowawaySchemas() drops: postgres_server.h).
std::unique_ptr<store::Store> OpenFreshStore(const std::string& engine);

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { store_ = OpenFreshStore(GetParam()); ASSERT_NE(store_, nullptr); }
  void TearDown() override;  // closes the store, then drops its schema
  store::Store& store() { return *store_; }
  std::unique_ptr<store::Store> store_;
};

}  // namespace aih::testing
