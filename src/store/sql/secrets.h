// Secret: a named random secret of the store (Store::Secret: the cursor key, ...), written once
// over the SQL seam. The first caller stores fresh random bytes; every later caller, on any server,
// reads the same bytes: insert-if-absent, then read what won. Thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "store/sql/database.h"

namespace aih::store::sql {

Result<std::string> Secret(Database& db, const std::string& name, size_t bytes);

}  // namespace aih::store::sql
