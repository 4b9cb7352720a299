// The fixture of every store test: a fresh, empty store of the engine the test is instantiated for
// (support/store_engines.h: SQLite always, PostgreSQL when AIH_TEST_POSTGRES_URL names a server),
// so one suite proves both engines.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/sql/database.h"
#include "store/store.h"
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

// Runs one statement on an engine's own connection (a plan asked for with EXPLAIN, a raw read),
// through the engine's sql::Session: OnConnection of its session.h, which the caller includes.
template <class Connection>
Status QueryOn(Connection& c, const std::string& sql, const store::sql::Args& args,
               const store::sql::RowFn& row = nullptr) {
  return OnConnection(c, [&](store::sql::Session& s) { return s.Query(sql, args, row); });
}
// The first column of the last row of `sql` (a SELECT count(*) ...), as QueryOn runs it.
template <class Connection>
Result<int64_t> CountOn(Connection& c, const std::string& sql) {
  int64_t n = 0;
  AIH_RETURN_IF_ERROR(QueryOn(c, sql, {}, [&](const store::sql::Row& r) { n = r.Int(0); }));
  return n;
}

}  // namespace aih::testing
