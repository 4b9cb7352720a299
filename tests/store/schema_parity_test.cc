// Both engines' schemas expose the same tables and columns (but for the few that belong to an
// engine's own part, listed below with why), so the SQL written once (src/store/sql) reads and
// writes the same shape on either. Skipped without AIH_TEST_POSTGRES_URL.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "store/postgres/connection.h"
#include "store/postgres/schema.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/store.h"
#include "support/postgres_server.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

using Columns = std::set<std::pair<std::string, std::string>>;  // (table, column)

// Tables and columns only one engine has. SQLite: the interactions' rowid, given a name (the
// physical row; PostgreSQL has no rowid), and its schema version lives in PRAGMA user_version.
// PostgreSQL: the table of applied migrations. The search index is each engine's own: SQLite's is an
// FTS5 virtual table (interaction_search and the tables FTS5 keeps it in), PostgreSQL's a GIN index
// on interactions.search_terms, a column both engines have.
const Columns kOnlySqlite = {{"interactions", "seq"}};
const Columns kOnlyPostgres = {{"schema_migrations", "version"}, {"schema_migrations", "applied_at"}};

Columns SqliteColumns(const std::string& directory) {
  Columns out;
  auto conn = store::sqlite::Connection::Open(directory + "/aihistory.db", /*read_only=*/true);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return out;
  auto stmt = (*conn)->Prepare(
      "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p"
      " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'interaction_search%'");
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  if (!stmt.ok()) return out;
  Status status;
  while (stmt->Step(&status)) out.emplace(std::string(stmt->Text(0)), std::string(stmt->Text(1)));
  EXPECT_TRUE(status.ok()) << status.message();
  return out;
}

Columns PostgresColumns(const std::string& url) {
  Columns out;
  auto conn = store::postgres::Connection::Open(url);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return out;
  auto rows = (*conn)->Query(
      "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()");
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  if (!rows.ok()) return out;
  for (int r = 0; r < rows->size(); ++r) out.emplace(std::string(rows->Text(r, 0)), std::string(rows->Text(r, 1)));
  return out;
}

Columns Minus(const Columns& a, const Columns& b) {
  Columns out;
  for (const auto& c : a) {
    if (!b.count(c)) out.insert(c);
  }
  return out;
}

std::string Describe(const Columns& columns) {
  std::string out;
  for (const auto& [table, column] : columns) out += " " + table + "." + column;
  return out.empty() ? " (none)" : out;
}

// A release reports one schema version on either engine (/health, `aihistory check`): a migration
// that one engine does not need is a no-op there (sql/migrations.h).
TEST(SchemaParityTest, BothEnginesCountTheSameSchemaVersions) {
  EXPECT_EQ(store::sqlite::LatestSchemaVersion(), store::postgres::LatestSchemaVersion());
}

TEST(SchemaParityTest, BothEnginesExposeTheSameTablesAndColumns) {
  if (PostgresServerUrl().empty()) GTEST_SKIP() << "AIH_TEST_POSTGRES_URL is not set";
  std::string directory, url;
  auto sqlite = OpenFreshStore("sqlite", &directory);
  auto postgres = OpenFreshStore("postgresql", &url);
  ASSERT_NE(sqlite, nullptr);
  ASSERT_NE(postgres, nullptr);
  const Columns on_sqlite = SqliteColumns(directory);
  const Columns on_postgres = PostgresColumns(url);
  ASSERT_FALSE(on_sqlite.empty());
  ASSERT_FALSE(on_postgres.empty());

  EXPECT_EQ(Minus(Minus(on_sqlite, on_postgres), kOnlySqlite), Columns{})
      << "only in the SQLite schema:" << Describe(Minus(Minus(on_sqlite, on_postgres), kOnlySqlite));
  EXPECT_EQ(Minus(Minus(on_postgres, on_sqlite), kOnlyPostgres), Columns{})
      << "only in the PostgreSQL schema:" << Describe(Minus(Minus(on_postgres, on_sqlite), kOnlyPostgres));
  // The listed exceptions are real: one that both engines have now, or neither, must leave the list.
  EXPECT_EQ(Minus(kOnlySqlite, Minus(on_sqlite, on_postgres)), Columns{})
      << "not only in the SQLite schema:" << Describe(Minus(kOnlySqlite, Minus(on_sqlite, on_postgres)));
  EXPECT_EQ(Minus(kOnlyPostgres, Minus(on_postgres, on_sqlite)), Columns{})
      << "not only in the PostgreSQL schema:" << Describe(Minus(kOnlyPostgres, Minus(on_postgres, on_sqlite)));

  sqlite.reset();
  postgres.reset();
  RemoveStoreLocation(directory);
  RemoveStoreLocation(url);
}

}  // namespace
}  // namespace aih::testing
