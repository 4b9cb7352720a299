// The fixture of every store test: a fresh, empty store of the engine the test is instantiated for
// (support/store_engines.h: SQLite always, PostgreSQL when AIH_TEST_POSTGRES_URL names a server),
// so one suite proves both engines.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"
#include "support/engine_query.h"
#include "support/store_engines.h"

namespace aih::testing {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { store_ = OpenFreshStore(GetParam(), &location_); ASSERT_NE(store_, nullptr); }
  void TearDown() override;  // closes the store, then removes its directory or schema
  store::Store& store() { return *store_; }
  std::unique_ptr<store::Store> store_;
  std::string location_;
};

// Gives `tenant` a tenant-wide subscription, so that its created and updated interactions are
// recorded in the change feed (change_feed.h: a tenant nobody subscribed to pays no change rows).
void Subscribe(store::Store& store, const std::string& tenant);

}  // namespace aih::testing
