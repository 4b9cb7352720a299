// EngineStore: the frame of an engine's Store: its own database, the seam over it (a sql::Database
// of the engine) and its interactions, under the stores written once (SqlStore). What is left to the
// engine is opening it, where its schema version is kept, its storage condition and its size.
// Thread-safe, as its parts.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "store/sql/search_backfill.h"
#include "store/sql/sql_store.h"

namespace aih::store::sql {

template <class EngineDatabase, class Seam, class Interactions>
class EngineStore : public SqlStore {
 public:
  InteractionStore& interactions() override { return interactions_; }
  EngineDatabase& database() { return *db_; }

 protected:
  // `change_claim`: the engine's claim of changes (sql_change_feed.h).
  EngineStore(std::unique_ptr<EngineDatabase> db, std::string change_claim, int latest_schema_version)
      : SqlStore(seam_, std::move(change_claim), latest_schema_version),
        db_(std::move(db)),
        seam_(*db_),
        interactions_(*db_, seam_) {}

  // What a store just opened does before it is handed out: index the rows from before search.
  Status Ready() { return IndexUnsearched(seam_).status(); }

  std::unique_ptr<EngineDatabase> db_;
  Seam seam_;
  Interactions interactions_;
};

}  // namespace aih::store::sql
