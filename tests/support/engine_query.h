// One statement on an engine's own connection (a plan asked for with EXPLAIN, a raw read), run
// through the engine's sql::Session: the engine's OnConnection (its session.h, which the caller
// includes) is found by argument-dependent lookup on the connection's type. For the store tests and
// the search benchmark, which look under the store.
#pragma once

#include <cstdint>
#include <string>

#include "store/sql/database.h"

namespace aih::testing {

template <class Connection>
Status QueryOn(Connection& c, const std::string& sql, const store::sql::Args& args,
               const store::sql::RowFn& row = nullptr) {
  return OnConnection(c, [&](store::sql::Session& s) { return s.Query(sql, args, row); });
}

// The first column of the last row of `sql` (a SELECT count(*) ...).
template <class Connection>
Result<int64_t> CountOn(Connection& c, const std::string& sql) {
  int64_t n = 0;
  AIH_RETURN_IF_ERROR(QueryOn(c, sql, {}, [&](const store::sql::Row& r) { n = r.Int(0); }));
  return n;
}

}  // namespace aih::testing
