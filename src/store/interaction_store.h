// InteractionStore: where interactions are kept, written in durable batches and read in keyset pages.
//
// Write() stores a batch in one transaction and returns only after it is durable (fsync; concurrent
// batches share one commit: group commit). Each item is keyed by (tenant, user, id): a new key is
// stored, an identical re-send is unchanged, a changed item replaces the old one with a new etag.
// Every stored, updated or deleted item also appends a row to the change feed in the same
// transaction (change_feed.h), so a notification exists if and only if its change committed.
//
// Page() streams the canonical JSON of matching items, newest first (or oldest first), ordered by
// (createdDateTime, id, user id), starting strictly after a cursor position. The JSON handed to the
// callback is exactly what Write() stored, so a page is the stored blobs spliced together.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "integrity/log_leaf.h"
#include "model/interaction.h"
#include "store/deletion.h"
#include "odata/cursor.h"
#include "odata/filter.h"
#include "odata/search.h"

namespace aih::store {

// One item to write: the validated interaction and its canonical JSON.
struct ItemToWrite {
  std::string tenant_id;
  std::string user_id;
  model::Interaction interaction;
  // What a new key is stored as: model::WriteInteraction(interaction), whose etag is
  // EtagFor(id, version).
  std::string json;
  uint64_t content_hash = 0;  // ContentHash of the canonical JSON with etag == id, whatever the version
  // What the item is found by (search_document.h), indexed in the same transaction as the item.
  std::string search_document;
  // The version a new key is stored at: 1, or, for an interaction imported from an export, the one
  // it had where it was exported (KeepExportedEtag). An existing key ignores it.
  int64_t version = 1;
};

enum class WriteResult { kStored, kUnchanged, kUpdated };
const char* ToString(WriteResult result);  // "stored", "unchanged", "updated"

struct ItemOutcome {
  WriteResult result = WriteResult::kStored;
  std::string etag;
};

// Which items a page reads. Only tenant_id is required.
struct PageQuery {
  std::string tenant_id;
  std::string user_id;                         // empty: every user of the tenant
  const odata::Filter* filter = nullptr;       // optional
  const odata::Search* search = nullptr;       // optional: only the items it finds (search_sql.h)
  bool ascending = false;
  int limit = 100;                             // rows to read (callers ask for top + 1)
  std::optional<odata::CursorPosition> after;  // start strictly after this position
  // Coverage, as the policy decided it (policy/access_policy.h ExportScope); the store only translates
  // it into its WHERE clause. Items of these appClasses are not read:
  std::vector<std::string> hidden_app_classes;
  // and, when not empty, only the items of users holding this service plan (joins the directory's licenses).
  std::string required_service_plan;
};

// A row of a page, valid only during the callback.
struct PageRow {
  std::string_view json;
  std::string_view user_id;
  std::string_view id;
  int64_t ticks = 0;
};

// Where a search's hits are (the eDiscovery view): how many in all, per user and per appClass.
struct SearchFacets {
  struct Bucket {
    std::string key;  // a user's object id, or an appClass
    int64_t count = 0;
  };
  int64_t total = 0;
  std::vector<Bucket> users;        // most hits first, then by key
  std::vector<Bucket> app_classes;  // most hits first, then by key
};

class InteractionStore {
 public:
  virtual ~InteractionStore() = default;

  // Durably writes `items` (one outcome per item, same order). On failure nothing of the batch is
  // stored. kUnavailable means the database could not be reached: the caller may retry.
  virtual Status Write(const std::vector<ItemToWrite>& items, std::vector<ItemOutcome>* outcomes) = 0;

  // Calls `emit` for each row of the page in order; stops early if `emit` returns false.
  virtual Status Page(const PageQuery& query, const std::function<bool(const PageRow&)>& emit) = 0;

  // The stored canonical JSON of one interaction, or kNotFound.
  virtual Result<std::string> Get(const std::string& tenant_id, const std::string& user_id,
                                  const std::string& id) = 0;
  // Its appClass alone, or kNotFound: what the change router needs to judge a hidden source
  // without reading and parsing the whole interaction.
  virtual Result<std::string> GetAppClass(const std::string& tenant_id, const std::string& user_id,
                                          const std::string& id) = 0;

  // How many items match `query` (ignoring limit and after).
  virtual Result<int64_t> Count(const PageQuery& query) = 0;

  // How many items match `query` per user and per appClass (ignoring limit and after):
  // sql/sql_search_facets.h.
  virtual Result<SearchFacets> Facets(const PageQuery& query) = 0;

  // The one deletion path (deletion.h): refused (kConflict) or skipping what an active legal hold
  // covers, recording erasures, appending a `deleted` change per item, all in one transaction.
  virtual Result<DeletionResult> Delete(const Deletion& deletion) = 0;

  // An admin delete of one interaction (id given) or of all of a user's interactions through the
  // path above, asked by HTTP request `request_id` ("" when none: its audit entry names it); returns
  // how many were deleted.
  Result<int64_t> Delete(const std::string& tenant_id, const std::string& user_id,
                         const std::optional<std::string>& id, const std::string& request_id = "");
};

// Makes the ItemToWrite of a validated interaction: assigns an id if it has none, sets etag = id,
// serialises the canonical JSON once and hashes it.
ItemToWrite PrepareItem(std::string tenant_id, std::string user_id, model::Interaction interaction);

// An import of an export (moving a tenant): if `etag` is what an exported item at version n > 1 carries
// ("<id>.<n>"), `item` is stored at version n, so that the moved item keeps its etag; any other etag
// (a writer's, or none) leaves it at version 1.
void KeepExportedEtag(ItemToWrite& item, std::string_view etag);

// What writing `item` makes of the version already stored under its key (`stored_version`, whose
// content hashed to `stored_hash`): the same content leaves it as it is (kUnchanged, with that
// version's etag); other content is the next version (kUpdated), whose JSON carries its own etag.
// Every engine's write decides by this, whether it writes item by item or a batch at once.
struct Rewrite {
  ItemOutcome outcome;
  int64_t version = 0;  // the version stored afterwards
  std::string json;     // kUpdated: the new version's canonical JSON, to store
};
Rewrite RewriteOf(const ItemToWrite& item, uint64_t stored_hash, int64_t stored_version);

// The verifiable log's leaf (integrity/log_leaf.h) of the version `version` of `item` that a write
// stored (kStored) or updated (kUpdated), whose stored JSON has the SHA-256 `sha256`.
integrity::LogLeaf LeafOfWrite(const ItemToWrite& item, WriteResult result, int64_t version, std::string sha256);

// kNotFound: "user <user_id> has no interaction '<id>'", both made printable (they may be a
// client's bytes). Every path that looks one item up says so in these words.
Status InteractionNotFound(const std::string& user_id, std::string_view id);

// A stable 64-bit hash of canonical JSON (FNV-1a), used to tell "unchanged" from "updated".
uint64_t ContentHash(std::string_view json);

// The etag of an interaction at `version` (1 = never modified): the id itself, then "<id>.<version>".
std::string EtagFor(const std::string& id, int64_t version);

}  // namespace aih::store
