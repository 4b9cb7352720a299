// SqliteInteractions: InteractionStore on the embedded SQLite database (see interaction_store.h):
// its own writes (one writer, item by item, FTS5 entries written with the row) and pages (read
// ahead); the rest is SqlInteractions'.
#pragma once

#include "store/sql/sql_interactions.h"
#include "store/sqlite/database.h"
#include "store/sqlite/session.h"
#include "store/sqlite/read_ahead.h"

namespace aih::store::sqlite {

class SqliteInteractions final : public sql::SqlInteractions {
 public:
  SqliteInteractions(Database& db, SqliteSql& sql) : SqlInteractions(sql), db_(db), read_ahead_(db) {}

  Status Page(const PageQuery& query, const std::function<bool(const PageRow&)>& emit) override;

  // Pages that continue a cursor start reading their successor early (read_ahead.h).
  ReadAhead& read_ahead() { return read_ahead_; }

 private:
  Status WriteBatch(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) override;
  // Whether a search is rare, and so read from its matches (search_rarity.h).
  Result<bool> ReadsFromMatches(sql::Session& c, const PageQuery& query) override;
  // Reads `page` from the database, calling `emit` for each row until it returns false.
  Status ReadPage(const PageSql& page, const std::function<bool(const PageRow&)>& emit);

  Database& db_;
  ReadAhead read_ahead_;
};

}  // namespace aih::store::sqlite
