// The integrity check that every open of a SQLite store runs is bounded by its budget however large
// the file (store_check.h). quick_check walks every b-tree of the file inside one step of SQLite's
// virtual machine, so a bound that is only consulted between steps let an 8,000,000-interaction
// store (47 GB) spend a quarter of an hour in the "5 s" check at every start. Measured in pages read
// rather than time: a budget already spent reads a small part of a file of thousands of pages, an
// unbounded check reads all of it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "store/sqlite/connection.h"
#include "store/sqlite/store_check.h"

namespace aih::testing {
namespace {

// Pages the connection has read from the file (its page cache's misses) since it opened.
int64_t PagesRead(store::sqlite::Connection& conn) {
  int current = 0, highest = 0;
  sqlite3_db_status(conn.handle(), SQLITE_DBSTATUS_CACHE_MISS, &current, &highest, /*reset=*/0);
  return current;
}

TEST(SqliteCheckBudget, ASpentBudgetStopsTheWalkOfTheFileInsideIt) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("aih-check-budget-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "check.db").string();
  {
    // 64 MB in 16,000 pages: a table of blobs, one index.
    auto conn = store::sqlite::Connection::Open(path, /*read_only=*/false);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB); CREATE INDEX t_v ON t (substr(v, 1, 16));"
                              " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16000)"
                              " INSERT INTO t (v) SELECT randomblob(3900) FROM n;")
                    .ok());
  }

  auto unbounded_conn = store::sqlite::Connection::Open(path, /*read_only=*/true);
  ASSERT_TRUE(unbounded_conn.ok());
  auto unbounded = store::sqlite::CheckIntegrity(**unbounded_conn, /*full=*/false);
  ASSERT_TRUE(unbounded.ok()) << unbounded.status().message();
  EXPECT_TRUE(unbounded->complete);
  EXPECT_TRUE(unbounded->problems.empty());
  const int64_t all_pages = PagesRead(**unbounded_conn);
  EXPECT_GT(all_pages, 15000);

  auto bounded_conn = store::sqlite::Connection::Open(path, /*read_only=*/true);
  ASSERT_TRUE(bounded_conn.ok());
  auto bounded = store::sqlite::CheckIntegrity(**bounded_conn, /*full=*/false, std::chrono::milliseconds(0));
  ASSERT_TRUE(bounded.ok()) << bounded.status().message();
  EXPECT_FALSE(bounded->complete);
  EXPECT_TRUE(bounded->problems.empty());
  EXPECT_LT(PagesRead(**bounded_conn), all_pages / 4) << "the check went on past its budget";

  // The connection serves its next statement: no interrupt outlives the check.
  auto count = (*bounded_conn)->Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok());
  Status step;
  ASSERT_TRUE(count->Step(&step)) << step.message();
  EXPECT_EQ(count->Int(0), 16000);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace aih::testing
