// The one write pipeline: the HTTP write path, `aihistory import`, `seed` and `demo-setup` (and
// later OTLP) each parse their input into the model's items (model/interaction_reader.h) and hand
// them here with the writer's identity (ingest/writer.h). Ingest then, for the whole batch:
//   1. attributes each item to its owner (Attribution);
//   2. asks the directory whether it may be written (the checks the Writer's kind calls for; each
//      source and owner is looked up once per batch for an application);
//   3. normalises it into what the store keeps: the canonical Graph JSON, serialised once here
//      (store::PrepareItem), at the version an exported etag names when an operator imports it;
//   4. writes every accepted item in ONE store write (one transaction, durable when it returns).
// A refused item only fails its own report; the rest of the batch goes on.
//
// Threading: Ingest keeps no state; concurrent calls are as safe as the store and policy they use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "policy/access_policy.h"
#include "ingest/writer.h"
#include "model/interaction_reader.h"
#include "store/interaction_store.h"

namespace aih::ingest {

// What became of one item.
struct ItemReport {
  // The owner: as the item named it until it is accepted, then the owner's resolved object id.
  // Empty when neither is known.
  std::string user_id;
  std::string id;  // the interaction's id, empty when the item did not carry a valid one
  Status status;   // failed: the item was refused, and why
  store::ItemOutcome outcome;  // when accepted: stored, unchanged or updated, and its etag
};

struct IngestResult {
  std::vector<ItemReport> items;  // one per input item, in order
  size_t written = 0;             // items sent to the store (0: every item was refused)
  uint64_t written_bytes = 0;     // the canonical JSON of those items
  size_t stored = 0, unchanged = 0, updated = 0, refused = 0;
};

// Ingests `items` written by `writer` into `store`, asking `policy` (asked nothing for the generator,
// whose directory its command registered itself). Fails, writing nothing, when the directory
// cannot answer (kUnavailable, kStorageFull, kInternal: nothing is wrong with the items, so the
// whole batch is to be retried as is, writes being idempotent); fails with the store's status when
// the write fails. Otherwise every item has its report.
Result<IngestResult> Ingest(store::InteractionStore& store, policy::AccessPolicy& policy, const Writer& writer,
                            const Attribution& attribution, std::vector<model::ParsedItem> items);

}  // namespace aih::ingest
