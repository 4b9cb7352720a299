// Legal holds: opening an eDiscovery case and placing a hold, each validated once here for the admin
// API and the CLI (the store keeps them: store/hold_store.h; what a hold covers: store/legal_hold.h).
//
// A hold's user sources must be users of the case's tenant (a user of another tenant is not found
// there: kNotFound naming it); its content query must parse as an export $filter (kBadRequest with
// the parser's message), its content search as an export $search (kBadRequest naming the token); its
// date range, when given, must not be empty. Nothing is stored on any
// refusal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace aih::policy {

struct CaseRequest {
  std::string tenant_id;
  std::string display_name;
  std::string description;
};

// The new case (id assigned), stored. kNotFound for an unknown tenant.
Result<store::LegalCase> OpenCase(store::Store& store, const CaseRequest& request, int64_t now_ms);

struct HoldRequest {
  std::string tenant_id;
  std::string case_id;
  std::string display_name;
  std::vector<std::string> user_sources;  // object ids or user principal names
  std::string content_query;              // a $filter, or empty
  std::optional<std::string> start;       // ISO 8601 createdDateTime bounds: [start, end)
  std::optional<std::string> end;
  std::string content_search;             // a $search (KQL), or empty
};

// The new active hold (id assigned), stored; from then on no covered item is deleted.
Result<store::LegalHold> PlaceHold(store::Store& store, const HoldRequest& request, int64_t now_ms);

}  // namespace aih::policy
