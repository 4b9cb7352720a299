// StoreCheck: what a SQLite file must be before aihistory serves it, and its integrity checks.
//
// A store that is damaged, empty or someone else's is refused rather than served (or silently
// replaced by a new, empty one): every open runs CheckStoreFile before touching the file, then
// CheckSchemaIsOurs and a bounded CheckIntegrity; `aihistory check` runs the full CheckIntegrity.
// Functions of one connection: call them from the thread that holds it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sqlite/connection.h"

namespace aih::store::sqlite {

// OK when `path` is absent (a new store may be made there) or starts like a SQLite database.
// kBadRequest naming the problem when it is present but empty (0 bytes), not a regular file, or not
// a SQLite database at all: such a file is never overwritten with a new store.
Status CheckStoreFile(const std::string& path);

// The schema version of the open database when it holds aihistory's schema (any version), or 0 when
// it holds nothing at all (a new store whose creation was cut short); kBadRequest for a SQLite
// database of something else.
Result<int> CheckSchemaIsOurs(Connection& conn, const std::string& path);

struct IntegrityReport {
  std::vector<std::string> problems;  // SQLite's own descriptions; empty when none was found
  bool complete = true;               // false: the budget ran out before the check did
};

// Everything an open checks before the store is used: CheckStoreFile, then for a present file, on a
// read-only connection (so that a file that is not ours is not changed at all, not even switched to
// WAL), CheckSchemaIsOurs and a quick CheckIntegrity bounded by `budget`. kInternal naming the damage
// when some is found; a check cut short by the budget is logged on stderr and passes.
Status CheckBeforeOpening(const std::string& path, std::chrono::milliseconds budget);

// PRAGMA quick_check (page and b-tree structure, every page) or, when `full`, PRAGMA integrity_check
// (that too, and that every index matches its table). With a `budget`, stops when it is spent and
// says so (a partial check). Fails only when the check itself cannot run.
Result<IntegrityReport> CheckIntegrity(Connection& conn, bool full,
                                       std::optional<std::chrono::milliseconds> budget = std::nullopt);

}  // namespace aih::store::sqlite
