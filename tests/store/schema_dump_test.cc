// A fresh store of each engine gets exactly the schema it always got: the tables, columns (types,
// nullability, defaults, collations), keys, indexes, triggers and functions that its migrations made
// before their DDL was written once for both engines (src/store/sql/migrations.h). The expected
// dumps are tests/store/schema/<engine>.txt, made by the migrations as each engine wrote them in
// full; a change to the schema is a new migration, which changes these files on purpose
// (AIH_UPDATE_SCHEMA_DUMPS=1 rewrites them). The PostgreSQL half skips without AIH_TEST_POSTGRES_URL.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "support/postgres_server.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

// SQLite keeps each object's DDL as written: its comments and layout are not schema, so they go.
std::string NormalisedDdl(std::string_view sql) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      space = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      space = true;
      continue;
    }
    const char c = sql[i];
    if (space && !out.empty() && out.back() != '(' && c != ')' && c != ',') out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string SqliteDump(const std::string& directory) {
  std::ostringstream out;
  auto conn = store::sqlite::Connection::Open(directory + "/aihistory.db", /*read_only=*/true);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return "";
  for (const char* query : {"SELECT 'user_version', user_version, '' FROM pragma_user_version",
                            "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"}) {
    auto stmt = (*conn)->Prepare(query);
    EXPECT_TRUE(stmt.ok()) << stmt.status().message();
    if (!stmt.ok()) return "";
    Status status;
    while (stmt->Step(&status)) {
      out << stmt->Text(0) << " " << stmt->Text(1) << " " << NormalisedDdl(stmt->Text(2)) << "\n";
    }
    EXPECT_TRUE(status.ok()) << status.message();
  }
  return out.str();
}

std::string PostgresDump(const std::string& url) {
  auto conn = store::postgres::Connection::Open(url);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return "";
  auto schema = (*conn)->Query("SELECT current_schema()::text");
  EXPECT_TRUE(schema.ok());
  if (!schema.ok()) return "";
  const std::string name(schema->Text(0, 0));
  std::ostringstream out;
  const char* kQueries[] = {
      "SELECT 'version ' || max(version)::text FROM schema_migrations",
      // Columns in their physical order (a dropped column leaves its number behind).
      "SELECT 'column ' || c.relname || ' ' || a.attnum || ' ' || a.attname || ' ' ||"
      " format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||"
      " coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') ||"
      " CASE WHEN a.attcollation <> 0 THEN ' collate ' || (SELECT collname FROM pg_collation WHERE oid = a.attcollation) ELSE '' END ||"
      " CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END"
      " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
      " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
      " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0"
      " AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
      "SELECT 'relation ' || relkind::text || ' ' || relname FROM pg_class"
      " WHERE relnamespace = current_schema()::regnamespace ORDER BY relname",
      "SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()"
      " ORDER BY indexname",
      "SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
      " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY conname",
      "SELECT 'trigger ' || tgname || ' ' || pg_get_triggerdef(oid) FROM pg_trigger"
      " WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class"
      " WHERE relnamespace = current_schema()::regnamespace) ORDER BY tgname",
      "SELECT 'function ' || proname || ' ' || prosrc FROM pg_proc"
      " WHERE pronamespace = current_schema()::regnamespace ORDER BY proname",
  };
  for (const char* query : kQueries) {
    auto rows = (*conn)->Query(query);
    EXPECT_TRUE(rows.ok()) << rows.status().message() << "\n" << query;
    if (!rows.ok()) return "";
    for (int r = 0; r < rows->size(); ++r) out << NormalisedDdl(rows->Text(r, 0)) << "\n";
  }
  // The throwaway schema's name is the test's, not the store's.
  std::string text = out.str();
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
    text.replace(at, name.size(), "<schema>");
  }
  return text;
}

void ExpectDump(const std::string& engine, const std::string& dump) {
  const std::string path = std::string(AIH_SOURCE_DIR) + "/tests/store/schema/" + engine + ".txt";
  if (std::getenv("AIH_UPDATE_SCHEMA_DUMPS") != nullptr) {
    std::ofstream(path) << dump;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "no " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(dump, expected.str()) << engine << "'s fresh schema differs from " << path;
}

TEST(SchemaDumpTest, AFreshSqliteStoreHasTheSchemaItAlwaysHad) {
  std::string directory;
  auto store = OpenFreshStore("sqlite", &directory);
  ASSERT_NE(store, nullptr);
  const std::string dump = SqliteDump(directory);
  ASSERT_FALSE(dump.empty());
  ExpectDump("sqlite", dump);
  store.reset();
  RemoveStoreLocation(directory);
}

TEST(SchemaDumpTest, AFreshPostgresStoreHasTheSchemaItAlwaysHad) {
  if (PostgresServerUrl().empty()) GTEST_SKIP() << "AIH_TEST_POSTGRES_URL is not set";
  std::string url;
  auto store = OpenFreshStore("postgresql", &url);
  ASSERT_NE(store, nullptr);
  const std::string dump = PostgresDump(url);
  ASSERT_FALSE(dump.empty());
  ExpectDump("postgresql", dump);
  store.reset();
  RemoveStoreLocation(url);
}

}  // namespace
}  // namespace aih::testing
