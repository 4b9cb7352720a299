#include "odata/filter_sql.h"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

namespace aih::odata {
namespace {

Filter MustParse(std::string_view text) {
  Result<Filter> f = Filter::Parse(text);
  if (!f.ok()) {
    ADD_FAILURE() << text << " -> " << f.status().message();
    std::abort();
  }
  return *f;
}

std::string Question(int) { return "?"; }
std::string Dollar(int n) { return "$" + std::to_string(n); }

SqlFragment Sql(std::string_view filter, std::string (*placeholder)(int) = Question) {
  return ToSql(MustParse(filter), SqlColumns{}, placeholder);
}

// ----- the SQL text and its parameters -----

TEST(FilterSql, ComparisonsBindTheirValues) {
  SqlFragment f = Sql("appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'");
  EXPECT_EQ(f.sql, "app_class = ?");
  ASSERT_EQ(f.params.size(), 1u);
  EXPECT_EQ(std::get<std::string>(f.params[0]), "IPM.SkypeTeams.Message.Copilot.Word");

  f = Sql("createdDateTime ge 2026-01-15T10:30:00Z");
  EXPECT_EQ(f.sql, "created_ticks >= ?");
  EXPECT_EQ(std::get<int64_t>(f.params[0]), 17684730000000000);

  EXPECT_EQ(Sql("createdDateTime gt 2026-01-15T10:30:00Z").sql, "created_ticks > ?");
  EXPECT_EQ(Sql("createdDateTime lt 2026-01-15T10:30:00Z").sql, "created_ticks < ?");
  EXPECT_EQ(Sql("createdDateTime le 2026-01-15T10:30:00Z").sql, "created_ticks <= ?");
  EXPECT_EQ(Sql("interactionType eq 'aiResponse'").sql, "interaction_type = ?");
  EXPECT_EQ(Sql("sessionId eq 's'").sql, "session_id = ?");
  EXPECT_EQ(Sql("requestId eq 'r'").sql, "request_id = ?");
  EXPECT_EQ(Sql("id eq 'i'").sql, "id = ?");
  EXPECT_EQ(Sql("conversationType eq 'c'").sql, "conversation_type = ?");
}

TEST(FilterSql, NeOnANullableColumnAlsoMatchesNull) {
  EXPECT_EQ(Sql("locale ne 'en-us'").sql, "(locale IS NULL OR locale <> ?)");
  EXPECT_EQ(Sql("conversationType ne 'appchat'").sql, "(conversation_type IS NULL OR conversation_type <> ?)");
  // appClass and interactionType are never null.
  EXPECT_EQ(Sql("appClass ne 'x'").sql, "app_class <> ?");
  EXPECT_EQ(Sql("interactionType ne 'userPrompt'").sql, "interaction_type <> ?");
}

TEST(FilterSql, StructureAndNumberedPlaceholders) {
  SqlFragment f = Sql("appClass eq 'a' and (locale ne 'b' or createdDateTime lt 2026-01-15T10:30:00Z) or id eq 'c'",
                      Dollar);
  EXPECT_EQ(f.sql, "((app_class = $1 AND ((locale IS NULL OR locale <> $2) OR created_ticks < $3)) OR id = $4)");
  ASSERT_EQ(f.params.size(), 4u);
  EXPECT_EQ(std::get<std::string>(f.params[0]), "a");
  EXPECT_EQ(std::get<std::string>(f.params[1]), "b");
  EXPECT_TRUE(std::holds_alternative<int64_t>(f.params[2]));
  EXPECT_EQ(std::get<std::string>(f.params[3]), "c");
}

TEST(FilterSql, LiteralsNeverReachTheText) {
  SqlFragment f = Sql("locale eq 'x'' OR 1=1 --' or sessionId eq 'é; DROP TABLE interactions'");
  EXPECT_EQ(f.sql, "(locale = ? OR session_id = ?)");
  EXPECT_EQ(std::get<std::string>(f.params[0]), "x' OR 1=1 --");
}

TEST(FilterSql, ColumnsCanBeRenamed) {
  SqlColumns columns;
  columns.app_class = "i.app_class";
  columns.created_ticks = "i.created";
  SqlFragment f = ToSql(MustParse("appClass eq 'a' and createdDateTime gt 2026-01-15T10:30:00Z"), columns, Question);
  EXPECT_EQ(f.sql, "(i.app_class = ? AND i.created > ?)");
  for (Property p : {Property::kAppClass, Property::kConversationType, Property::kInteractionType, Property::kLocale,
                     Property::kSessionId, Property::kRequestId, Property::kId, Property::kCreatedDateTime}) {
    EXPECT_FALSE(SqlColumns{}.For(p).empty());
  }
  EXPECT_EQ(SqlColumns{}.For(Property::kCreatedDateTime), "created_ticks");
}

// ----- the SQL means what Matches means: checked by running it on SQLite -----
//
// odata_tests links only aih_odata (SQLite belongs to the store), so the library is loaded at run time.

class Sqlite {
 public:
  Sqlite() {
    lib_ = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
    if (lib_ == nullptr) return;
    ok_ = Load(open_, "sqlite3_open") && Load(close_, "sqlite3_close") && Load(exec_, "sqlite3_exec") &&
          Load(prepare_, "sqlite3_prepare_v2") && Load(bind_text_, "sqlite3_bind_text") &&
          Load(bind_int64_, "sqlite3_bind_int64") && Load(step_, "sqlite3_step") &&
          Load(column_text_, "sqlite3_column_text") && Load(finalize_, "sqlite3_finalize") &&
          Load(errmsg_, "sqlite3_errmsg");
    ok_ = ok_ && open_(":memory:", &db_) == SQLITE_OK;
  }
  ~Sqlite() {
    if (db_ != nullptr) close_(db_);
    if (lib_ != nullptr) dlclose(lib_);
  }
  bool ok() const { return ok_; }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(exec_(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << sql << ": " << (error ? error : "");
  }

  // The first column of every row of `sql` run with `params`.
  std::set<std::string> Column(const std::string& sql, const std::vector<SqlParam>& params) {
    std::set<std::string> out;
    sqlite3_stmt* stmt = nullptr;
    if (prepare_(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << errmsg_(db_);
      return out;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (const auto* text = std::get_if<std::string>(&params[i])) {
        bind_text_(stmt, index, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
      } else {
        bind_int64_(stmt, index, std::get<int64_t>(params[i]));
      }
    }
    while (step_(stmt) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(column_text_(stmt, 0)));
    finalize_(stmt);
    return out;
  }

 private:
  template <typename F>
  bool Load(F& f, const char* name) {
    f = reinterpret_cast<F>(dlsym(lib_, name));
    return f != nullptr;
  }

  void* lib_ = nullptr;
  sqlite3* db_ = nullptr;
  bool ok_ = false;
  decltype(&sqlite3_open) open_ = nullptr;
  decltype(&sqlite3_close) close_ = nullptr;
  decltype(&sqlite3_exec) exec_ = nullptr;
  decltype(&sqlite3_prepare_v2) prepare_ = nullptr;
  decltype(&sqlite3_bind_text) bind_text_ = nullptr;
  decltype(&sqlite3_bind_int64) bind_int64_ = nullptr;
  decltype(&sqlite3_step) step_ = nullptr;
  decltype(&sqlite3_column_text) column_text_ = nullptr;
  decltype(&sqlite3_finalize) finalize_ = nullptr;
  decltype(&sqlite3_errmsg) errmsg_ = nullptr;
};

std::string Quote(const model::OptString& s) {
  if (!s) return "NULL";
  std::string out = "'";
  for (char c : *s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

TEST(FilterSqlOnSqlite, SelectsExactlyWhatMatchesAccepts) {
  Sqlite db;
  if (!db.ok()) GTEST_SKIP() << "libsqlite3.so.0 could not be loaded";
  db.Exec(
      "CREATE TABLE interactions (id TEXT NOT NULL, session_id TEXT, request_id TEXT, app_class TEXT NOT NULL, "
      "interaction_type TEXT NOT NULL, conversation_type TEXT, locale TEXT, created_ticks INTEGER NOT NULL)");

  const char* kTypes[] = {"userPrompt", "aiResponse", "unknownFutureValue"};
  const model::OptString kLocales[] = {std::nullopt, "en-us", "EN-US", "", "it's"};
  const model::OptString kConversations[] = {std::nullopt, "appchat", "bizchat"};
  std::vector<model::Interaction> items;
  for (int n = 0; n < 90; ++n) {
    model::Interaction i;
    i.id = std::to_string(1768473000000 + n);
    i.session_id = n % 4 == 0 ? model::OptString() : model::OptString("s" + std::to_string(n % 3));
    i.request_id = n % 5 == 0 ? model::OptString() : model::OptString("r" + std::to_string(n / 2));
    i.app_class = n % 2 ? "IPM.SkypeTeams.Message.Copilot.Teams" : "IPM.SkypeTeams.Message.Copilot.Word";
    i.interaction_type = static_cast<model::InteractionType>(n % 3);
    i.conversation_type = kConversations[n % 3 == 1 ? (n / 3) % 3 : n % 3];
    i.locale = kLocales[n % 5];
    i.created.ticks = model::Timestamp::Parse("2026-01-15T10:30:00Z")->ticks + (n - 45) * 5'000'000LL;
    items.push_back(i);
    db.Exec("INSERT INTO interactions VALUES (" + Quote(i.id) + ", " + Quote(i.session_id) + ", " +
            Quote(i.request_id) + ", " + Quote(i.app_class) + ", '" + kTypes[n % 3] + "', " +
            Quote(i.conversation_type) + ", " + Quote(i.locale) + ", " + std::to_string(i.created.ticks) + ")");
  }

  const char* kFilters[] = {
      "locale eq 'en-us'",
      "locale ne 'en-us'",
      "locale ne ''",
      "locale eq 'it''s'",
      "conversationType ne 'appchat'",
      "conversationType eq 'bizchat' or locale ne 'EN-US'",
      "appClass ne 'IPM.SkypeTeams.Message.Copilot.Word' and interactionType ne 'aiResponse'",
      "interactionType eq 'unknownFutureValue'",
      "sessionId eq 's0' and requestId eq 'r10'",
      "id eq '1768473000044' or id eq '1768473000045'",
      "createdDateTime ge 2026-01-15T10:30:00Z",
      "createdDateTime gt 2026-01-15T10:30:00Z and createdDateTime le 2026-01-15T10:30:10+00:00",
      "createdDateTime lt 2026-01-15T12:29:50+02:00 or locale eq 'en-us' and conversationType ne 'bizchat'",
      "(locale ne 'en-us' or sessionId eq 's2') and (conversationType ne 'appchat' or appClass eq "
      "'IPM.SkypeTeams.Message.Copilot.Teams')",
  };
  for (const char* text : kFilters) {
    const Filter filter = MustParse(text);
    std::set<std::string> expected;
    for (const auto& i : items) {
      if (filter.Matches(i)) expected.insert(i.id);
    }
    SqlFragment f = ToSql(filter, SqlColumns{}, Question);
    // Joined with AND to a condition of the caller's, as the stores do: the fragment must hold together.
    EXPECT_EQ(db.Column("SELECT id FROM interactions WHERE id <> 'none' AND " + f.sql, f.params), expected)
        << text << "\n" << f.sql;
    EXPECT_FALSE(expected.empty()) << "a filter that selects nothing proves little: " << text;
    EXPECT_LT(expected.size(), items.size()) << "a filter that selects everything proves little: " << text;
  }
}

}  // namespace
}  // namespace aih::odata
