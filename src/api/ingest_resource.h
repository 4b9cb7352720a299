// The write path of the interaction history service (section 6 of the contract; an extension).
//
//   POST /{v1.0|beta}/copilot/interactionHistory/interactions                   items name their owner
//   POST /{v1.0|beta}/copilot/users/{userId}/interactionHistory/interactions    owner from the path
//
// The body is a JSON array of aiInteraction objects (or {"value":[...]}, or one object) with
// Content-Type application/json, or NDJSON with application/x-ndjson. Each item names its owner in
// "@aihistory.userId" (the annotation the tenant-wide export writes). Items are checked one by one;
// the valid ones are stored in one durable transaction; the answer lists every item's outcome:
// stored, unchanged, updated, or refused with the reason. If every item is refused the answer is a
// 400 whose details list the reasons, and nothing is stored.
#pragma once

#include "api/service.h"

namespace aih::api {

void AddIngestRoutes(http::Router& router, Context& context);

}  // namespace aih::api
