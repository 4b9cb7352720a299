// IndexUnsearched: makes the interactions stored before search existed (schema version 9) searchable.
//
// Such a row has no search document (search_terms IS NULL); this reads its stored JSON, makes the
// document (search_document.h) and writes it, which indexes it (SQLite's FTS5 triggers; PostgreSQL's
// GIN index), a batch per transaction, walking the rows in key order so that each is read once. A row
// written meanwhile already has its document and is left alone. Called when a store is opened; after
// the first opening of an upgraded store it finds nothing, at the cost of one probe of a partial index
// of the rows without a document (interactions_unsearched), which is empty then.
// Threading: as the Database.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "store/sql/database.h"

namespace aih::store::sql {

// Returns how many interactions it indexed.
Result<int64_t> IndexUnsearched(Database& db, int batch = 500);

}  // namespace aih::store::sql
