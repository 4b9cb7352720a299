// SqlInteractions: what both engines' InteractionStore share, written once over the SQL seam: the
// reads of one item, counts, the search facets and deletions (the one deletion path,
// sql_deletion.h), and the combining of concurrent small writes (write_combiner.h). The engine writes
// batches and reads pages: what each does its own way (SQLite:
// one writer, FTS5 and its read-ahead; PostgreSQL: set-based writes that lock what they update, and
// pages handed on once their connection is back in the pool).
// A key the engine cannot hold (PostgreSQL text: a NUL character or invalid UTF-8) names nothing
// stored: Get finds nothing and Delete deletes nothing, as on SQLite, rather than failing.
// Thread-safe: it holds the Database and the combiner, which is.
#pragma once

#include <string>

#include "store/interaction_store.h"
#include "store/sql/database.h"
#include "store/write_combiner.h"

namespace aih::store::sql {

class SqlInteractions : public InteractionStore {
 public:
  // The engine's WriteBatch, combined with the small writes made at the same time.
  Status Write(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) final {
    return combiner_.Write(items, outcomes);
  }
  Result<std::string> Get(const std::string& tenant_id, const std::string& user_id,
                          const std::string& id) override;
  Result<std::string> GetAppClass(const std::string& tenant_id, const std::string& user_id,
                                  const std::string& id) override;
  Result<int64_t> Count(const PageQuery& query) override;
  Result<SearchFacets> Facets(const PageQuery& query) override;
  using InteractionStore::Delete;
  Result<DeletionResult> Delete(const Deletion& deletion) override;

 protected:
  explicit SqlInteractions(Database& sql) : sql_(sql) {}

  // Writes one batch atomically (InteractionStore::Write's contract), in the engine's own way.
  virtual Status WriteBatch(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) = 0;
  // Whether the page of `query` is best read from its search's matches (page_sql.h from_matches).
  virtual Result<bool> ReadsFromMatches(Session& c, const PageQuery& query) { return false; }

  Database& sql_;

 private:
  // One column of one interaction (Get, GetAppClass).
  Result<std::string> GetColumn(const char* column, const std::string& tenant_id, const std::string& user_id,
                                const std::string& id);

  WriteCombiner combiner_{[this](const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) {
    return WriteBatch(items, outcomes);
  }};
};

}  // namespace aih::store::sql
