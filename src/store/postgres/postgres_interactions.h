// PostgresInteractions: InteractionStore on PostgreSQL (see interaction_store.h).
//
// A batch is written with a handful of set-based statements whatever its size (each column sent as
// one binary array and unnested by the server), inside the group-commit transaction of the
// WriteQueue, together with its change rows. Pages are one index-ordered SELECT (page_sql.cc).
#pragma once

#include "store/interaction_store.h"
#include "store/postgres/database.h"

namespace aih::store::postgres {

class PostgresInteractions final : public InteractionStore {
 public:
  explicit PostgresInteractions(Database& db) : db_(db) {}

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

 private:
  // One column of one interaction (Get, GetAppClass).
  Result<std::string> GetColumn(const char* column, const std::string& tenant_id, const std::string& user_id,
                                const std::string& id);
  Database& db_;
};

}  // namespace aih::store::postgres
