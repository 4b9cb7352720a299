// Reading interactions from the JSON a writer sends (section 5 and 6 of the contract).
//
// Everything a writer sends is either kept exactly or refused with a message naming the JSON path
// of the offending value ("mentions[0].mentionId: expected a 32-bit integer, got a string"): unknown
// properties, wrong JSON types, enum values in the wrong case, dates without an offset, missing
// required properties (appClass, interactionType, createdDateTime). Nothing is silently dropped.
//
// A write item is an aiInteraction object plus the instance annotation "@aihistory.userId" naming
// its owner (the same annotation the tenant-wide export writes), so an export can be re-imported.
// `etag` and `@odata.type` annotations are accepted; etag is server-owned and ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/interaction.h"

namespace aih::model {

struct WriteItem {
  std::string user_id;  // from "@aihistory.userId"; empty if the item did not carry one
  Interaction interaction;
};

// One item of a batch: the parsed item, or why it was refused.
struct ParsedItem {
  Status status;  // failed: the item is refused with this reason, the rest of the batch goes on
  WriteItem item;
};

struct ParsedBatch {
  std::vector<ParsedItem> items;
};

struct ReaderLimits {
  size_t max_items = 10'000;  // more items in one batch: the whole batch is refused (kTooLarge)
  size_t max_depth = 64;      // JSON nesting deeper than this is refused
};

// Parses a batch body. `ndjson` selects newline-delimited JSON (one item per line, blank lines
// skipped); otherwise the body is a JSON array of items, or an object {"value":[items]}, or one item.
// A body that is not valid UTF-8 / not valid JSON / of the wrong shape fails as a whole
// (kBadRequest, naming the line for NDJSON); a single bad item only fails its ParsedItem.
Result<ParsedBatch> ReadBatch(std::string_view body, bool ndjson, const ReaderLimits& limits = {});

// Parses one interaction object (for tests, import and re-reading stored JSON).
Result<WriteItem> ReadItem(std::string_view json);

}  // namespace aih::model
