// The one deletion path (store/deletion.h), written once over the SQL seam, and the reads of legal
// holds that it shares with SqlHolds.
// Every function runs inside the caller's session; DeleteInteractions needs a write transaction.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/deletion.h"
#include "store/legal_hold.h"
#include "store/sql/database.h"

namespace aih::store::sql {

// Keys per statement when items are selected by key: (user_id = $n AND id = $n+1) terms, each
// answered from the key's index; a hundred keep the statement short enough to prepare cheaply and its
// parameters far below any engine's limit.
inline constexpr size_t kKeysPerStatement = 100;

// Runs `deletion` in the caller's transaction: see deletion.h for the steps. kConflict (HeldBy) when
// an active hold covers a selected item and deletion.on_hold is kRefuse; nothing is then changed.
// kBadRequest for a batch of more than Deletion::kMaxKeys keys.
Result<DeletionResult> DeleteInteractions(Session& c, const Deletion& deletion);

// The columns ReadItemFacts reads from `interactions`, in order: the properties $filter can name
// (what a hold's coverage needs), then the owner (user_id, column 8).
extern const char* const kItemFactColumns;
model::Interaction ReadItemFacts(const Row& row);

// The keys (user_id, id) of the interactions of tenant $1 that `where` selects (a condition following
// "tenant_id = $1 AND ", its values in `args`) and `search` matches: the engine's full-text index,
// as the export's $search reads it, so that a hold's search keeps what an export's search finds.
// `keyed`: `where` selects by a list of keys (the dialect's by_key applies).
Result<std::set<std::pair<std::string, std::string>>> SearchMatches(Session& c, const odata::Search& search,
                                                                     const std::string& where, Args args,
                                                                     bool keyed = false);

// Makes the caller's transaction wait for any other transaction that changes holds of, or deletes
// interactions of, `tenant_id` (a no-op where every write is serialised anyway).
Status SerialiseWithHolds(Session& c, const std::string& tenant_id);

// The tenant's holds (active ones only when `active_only`), with their users, oldest first; of one
// case when `case_id` is not empty; of one hold when `hold_id` is not empty.
Result<std::vector<LegalHold>> ReadHolds(Session& c, const std::string& tenant_id, const std::string& case_id,
                                         const std::string& hold_id, bool active_only);

}  // namespace aih::store::sql
