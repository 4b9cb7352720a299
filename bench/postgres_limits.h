// The limits of PostgreSQL itself on the benchmark's rows, measured in the same run as aihistory so
// that docs/benchmarks.md compares like with like (issue 7: ingest >= 60% of raw COPY, export >= 50%
// of the raw SELECT).
//
// RawCopy loads rows into the interactions table of `url` with binary COPY, `batch` rows per committed
// transaction (synchronous_commit on), on one connection: no conflict checks, no change rows, no
// etags. RawSelect reads one user's rows in export order (the interactions_user_time index) and
// copies every JSON once, as the export does. Give RawCopy a database (or ?options=-csearch_path=...
// schema) of its own: the rows are the server's, and their keys would collide.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/interaction_store.h"

namespace aih::bench {

// Seconds to COPY `rows` (the schema is migrated first, not timed).
Result<double> PostgresRawCopy(const std::string& url, const std::vector<store::ItemToWrite>& rows, int batch = 1000);

// Seconds to read every row of (tenant, user) newest first; counts the rows and JSON bytes read.
Result<double> PostgresRawSelect(const std::string& url, const std::string& tenant, const std::string& user,
                                 uint64_t* rows, uint64_t* bytes);

// Creates (after dropping any left by an earlier run) the schema `name` on the server `server_url`;
// returns a URL whose sessions use it.
Result<std::string> CreateBenchSchema(const std::string& server_url, const std::string& name);

// Changes of the change feed at `url` not yet routed by a server (-1 on error).
int64_t PostgresPendingChanges(const std::string& url);

}  // namespace aih::bench
