// CountSearchFacets: where a search's hits are, before anyone exports them (the eDiscovery view,
// docs/search.md): how many items the query of a page finds in all, and how many per user and per
// appClass. Written once over the sql seam (sql/database.h) for both engines.
//
// Cost: one grouped count over the query's matches. On SQLite a search is read from its FTS5 matches
// (page_sql.h from_matches), never by walking the tenant's history, so the count costs what the search
// finds; PostgreSQL reads the matches from the search's GIN index.
// Threading: as the Database's.
#pragma once

#include "store/interaction_store.h"
#include "store/sql/database.h"

namespace aih::store::sql {

// `query`'s limit and after are ignored. Users and appClasses come most hits first, then by name.
Result<SearchFacets> CountSearchFacets(Database& db, const PageQuery& query);

}  // namespace aih::store::sql
