// The SQL written once (src/store/sql) names its parameters $1, $2, ...; each engine's dialect
// spells them its own way, and nothing else in the text changes.
#include <gtest/gtest.h>

#include "store/sql/dialect.h"

namespace aih::testing {
namespace {

using store::sql::PostgresDialect;
using store::sql::SqliteDialect;

TEST(SqlDialectTest, SqliteSpellsEachParameterWithAQuestionMarkKeepingItsNumber) {
  EXPECT_EQ(SqliteDialect().Spell("UPDATE t SET a = $3 WHERE k = $1 AND v = $12 OR w = $1"),
            "UPDATE t SET a = ?3 WHERE k = ?1 AND v = ?12 OR w = ?1");
}

TEST(SqlDialectTest, PostgresKeepsTheTextAsItIs) {
  const std::string sql = "SELECT 1 FROM t WHERE k = $1 AND n = '$2'";
  EXPECT_EQ(PostgresDialect().Spell(sql), sql);
}

TEST(SqlDialectTest, ADollarInsideALiteralOrAQuotedNameIsNotAParameter) {
  EXPECT_EQ(SqliteDialect().Spell("SELECT '$1', \"$2\", 'it''s $3' FROM t WHERE k = $4"),
            "SELECT '$1', \"$2\", 'it''s $3' FROM t WHERE k = ?4");
}

TEST(SqlDialectTest, ADollarNotFollowedByADigitIsLeftAlone) {
  EXPECT_EQ(SqliteDialect().Spell("SELECT $a, $ FROM t WHERE k = $1"), "SELECT $a, $ FROM t WHERE k = ?1");
}

}  // namespace
}  // namespace aih::testing
