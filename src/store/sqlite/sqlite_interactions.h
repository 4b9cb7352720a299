// SqliteInteractions: InteractionStore on the embedded SQLite database (see interaction_store.h).
#pragma once

#include "store/interaction_store.h"
#include "store/sqlite/database.h"
#include "store/sqlite/read_ahead.h"

namespace aih::store::sqlite {

class SqliteInteractions final : public InteractionStore {
 public:
  explicit SqliteInteractions(Database& db) : db_(db), read_ahead_(db) {}

  Status Write(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) override;
  Status Page(const PageQuery& query, const std::function<bool(const PageRow&)>& emit) override;
  Result<std::string> Get(const std::string& tenant_id, const std::string& user_id,
                          const std::string& id) override;
  Result<std::string> GetAppClass(const std::string& tenant_id, const std::string& user_id,
                                  const std::string& id) override;
  Result<int64_t> Count(const PageQuery& query) override;
  Result<SearchFacets> Facets(const PageQuery& query) override;
  using InteractionStore::Delete;
  Result<DeletionResult> Delete(const Deletion& deletion) override;

  // Pages that continue a cursor start reading their successor early (read_ahead.h).
  ReadAhead& read_ahead() { return read_ahead_; }

 private:
  // One column of one interaction (Get, GetAppClass).
  Result<std::string> GetColumn(const char* column, const std::string& tenant_id, const std::string& user_id,
                                const std::string& id);
  // Reads `page` from the database, calling `emit` for each row until it returns false.
  Status ReadPage(const PageSql& page, const std::function<bool(const PageRow&)>& emit);

  Database& db_;
  ReadAhead read_ahead_;
};

}  // namespace aih::store::sqlite
