// PostgresInteractions: InteractionStore on PostgreSQL (see interaction_store.h).
//
// A batch is written with a handful of set-based statements whatever its size (each column sent as
// one binary array and unnested by the server), inside the group-commit transaction of the
// WriteQueue, together with its change rows. Pages are one index-ordered SELECT (page_sql.cc). The
// rest is SqlInteractions'.
#pragma once

#include "store/sql/sql_interactions.h"
#include "store/postgres/database.h"
#include "store/postgres/session.h"

namespace aih::store::postgres {

class PostgresInteractions final : public sql::SqlInteractions {
 public:
  PostgresInteractions(Database& db, PostgresSql& sql) : SqlInteractions(sql), db_(db) {}

  Status Page(const PageQuery& query, const std::function<bool(const PageRow&)>& emit) override;

 private:
  Status WriteBatch(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) override;
  Database& db_;
};

}  // namespace aih::store::postgres
