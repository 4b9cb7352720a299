// LegalHold: a hold of an eDiscovery case (shaped after Graph's ediscoveryCase and
// ediscoveryHoldPolicy), and the one rule of what it covers.
//
// A hold names the users whose interactions it keeps (its user sources), and may narrow itself by a
// content query (the export's $filter grammar, odata/filter.h), a content search (the export's
// $search, KQL: odata/search.h) and a createdDateTime range. While it
// is active, no interaction it covers is deleted: not by retention, not by erasure, not by the admin
// delete (store/deletion.h). Releasing it lets those deletions proceed.
//
// The rule lives in store/ rather than policy/ because it must be applied inside the deletion's own
// transaction: a hold placed at the same instant as a deletion either commits first (and the deletion
// sees it) or after (and the item was already gone), never between.
// Plain values; HoldCoverage is immutable once made and may be shared by threads.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/interaction.h"
#include "odata/filter.h"
#include "odata/search.h"

namespace aih::store {

// An eDiscovery case: what holds are grouped under.
struct LegalCase {
  std::string tenant_id;
  std::string id;
  std::string display_name;
  std::string description;
  int64_t created_ms = 0;
};

struct LegalHold {
  static constexpr int64_t kNoStart = std::numeric_limits<int64_t>::min();
  static constexpr int64_t kNoEnd = std::numeric_limits<int64_t>::max();

  std::string tenant_id;
  std::string id;
  std::string case_id;
  std::string display_name;
  std::vector<std::string> user_ids;  // the user sources (object ids), sorted; at least one
  std::string content_query;          // canonical $filter; empty: every interaction of those users
  std::string content_search;         // a $search (KQL) as given; empty: no search narrows the hold
  int64_t start_ticks = kNoStart;     // createdDateTime >= start (inclusive)
  int64_t end_ticks = kNoEnd;         // createdDateTime < end (exclusive)
  bool active = true;                 // "active" or "released"
  int64_t created_ms = 0;
  int64_t released_ms = 0;  // 0 while active
};

// Whether a hold covers an interaction: one of its users, inside its range, matching its query and
// its search. Only an active hold covers anything.
//
// The search is matched by the store's full-text index (the export's $search, so both find the same
// items), not here: a hold with a search covers an item only if the caller found the item among the
// search's matches (`searched`, sql_deletion.h).
class HoldCoverage {
 public:
  // kInternal when the stored query or search no longer parses (both were validated when the hold
  // was made).
  static Result<HoldCoverage> For(const LegalHold& hold);

  // `item` needs only the properties $filter can name (id, createdDateTime, appClass, ...);
  // `searched`: whether the hold's search matches the item (ignored for a hold without one).
  bool Covers(const std::string& user_id, const model::Interaction& item, bool searched = false) const;
  const LegalHold& hold() const { return hold_; }
  const odata::Search* search() const { return search_.get(); }  // null: the hold has none

 private:
  HoldCoverage(LegalHold hold, std::optional<odata::Filter> query, std::shared_ptr<const odata::Search> search)
      : hold_(std::move(hold)), query_(std::move(query)), search_(std::move(search)) {}
  LegalHold hold_;
  std::optional<odata::Filter> query_;
  std::shared_ptr<const odata::Search> search_;
};

// The message a refused deletion carries (a 409): the hold, its case and the item it keeps.
Status HeldBy(const LegalHold& hold, const std::string& user_id, const std::string& interaction_id);

}  // namespace aih::store
