// Reading interactions from the JSON a writer sends (section 5 and 6 of the contract).
//
// Everything a writer sends is either kept exactly or refused with a message naming the JSON path
// of the offending value ("mentions[0].mentionId: expected a 32-bit integer number, got a
// string"): unknown properties, wrong JSON types, enum values in the wrong case, dates without an
// offset, missing required properties (appClass, interactionType, createdDateTime), duplicate
// properties. Nothing is silently dropped.
//
// A write item is an aiInteraction object plus the instance annotation "@aihistory.userId" naming
// its owner (the same annotation the tenant-wide export writes), so an export can be re-imported.
// `etag` and `@odata.type` (where Graph writes one, naming the type Graph writes) are accepted;
// etag is server-owned and ignored. A null `id` or "@aihistory.userId" is the same as none.
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
  // The etag the item carried, which `interaction` does not keep (the server owns etags): an import
  // of an export uses it to keep the item's version (store::KeepExportedEtag). Empty if none.
  std::string sent_etag;
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
  // JSON nesting deeper than this is refused before any item is read. (The parser lets an empty
  // [] or {} one level deeper through; at the default no interaction has room for one, so such an
  // item is refused as having a wrong type.)
  size_t max_depth = 64;
};

// Parses a batch body. `ndjson` selects newline-delimited JSON (one item per line, blank lines
// skipped); otherwise the body is a JSON array of items, or an object {"value":[items]} (which may
// also carry an export page's @odata.context, @odata.count and @odata.nextLink), or one item.
// A leading UTF-8 byte order mark is skipped.
//
// The whole batch fails, with kBadRequest, when the body is "the batch has no items", "the body is
// not valid UTF-8", "the body is not valid JSON: <why>", "the JSON nests deeper than N levels ...",
// or of the wrong shape; NDJSON messages start with "line N: " (1-based, blank lines counted).
// More than max_items fails with kTooLarge: "the batch has N items; at most M are accepted per
// request: split it". Otherwise each item has its own status: a refused item only fails its
// ParsedItem (kBadRequest, the message as described above), and its `item` is empty except for
// the id and owner when those were valid, so that the response can name it.
Result<ParsedBatch> ReadBatch(std::string_view body, bool ndjson, const ReaderLimits& limits = {});

// Parses one interaction object a writer sent (import, tests): as one item of ReadBatch.
Result<WriteItem> ReadItem(std::string_view json);

// Re-reads JSON this service wrote (a stored interaction, for $select): as ReadItem, but keeps the
// etag, which ReadItem ignores as server-owned: ReadStoredItem(WriteInteraction(x)) == x for
// every x with an etag (as every stored interaction has).
Result<WriteItem> ReadStoredItem(std::string_view json);

}  // namespace aih::model
