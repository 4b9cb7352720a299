// SqlLog: LogStore written once over the SQL seam (see log_store.h), and AppendToLog, which the
// engines' interaction writes and deletes call inside their own transaction.
//
// Layout: log_leaves holds each leaf's fields by integer keys: its tenant's (log_tenants) and its
// item's (log_items: the user and interaction ids, stored once for every leaf of the item), never
// its hash, which its fields give; log_nodes the hash of every complete subtree of 2^4, 2^8, 2^12,
// ... leaves (one row per 15 leaves in all). Any complete subtree is then one range read of at most
// 8 stored hashes (or 8 leaves, hashed) and a few hashings, so a proof costs O(log n) reads; an
// append reads the unfinished right edge of each stored level (at most 15 hashes a level) once per
// batch and writes a node row every 16 leaves.
//
// Order: AppendToLog serialises on the tenant (Session::SerialiseOn) before reading the log's size,
// so several servers appending to one tenant's log take turns until each commits: leaf indices are
// dense and never reused. On PostgreSQL a writer takes that turn (LockLogs) before it locks any
// interaction row; a deletion (sql_deletion.cc) takes it last, after deleting its rows, so that ingest
// waits for a deletion only while it appends its leaves and commits. The two orders could meet in a
// cycle when a writer and a deletion touch the same item at once, so the deletion waits for the turn
// only briefly while it holds rows; past that it gives them back and deletes again holding the turn.
// Should PostgreSQL still end a wait as a deadlock, the writer's whole group runs again (write_queue.cc).
//
// Threading: SqlLog is thread-safe (it holds only the Database); AppendToLog runs in the caller's
// transaction.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "integrity/log_leaf.h"
#include "store/erasure_log.h"
#include "store/log_store.h"
#include "store/sql/database.h"

namespace aih::store::sql {

// Takes the turn of each of `tenant_ids` (sorted and deduplicated here) to append to its log.
Status LockLogs(Session& session, std::vector<std::string> tenant_ids);

// What an append of one tenant's leaves reads of the log but need not read in the tenant's turn:
// the tenant's key in log_tenants and its items' in log_items, which never change once made. A
// deletion batch finds them before it deletes and waits for the turn (sql_deletion.cc), so that
// ingest, waiting for the same turn, waits only for the append itself. Whatever is not found here is
// found or made in the turn.
struct LogKeys {
  std::string tenant_id;
  int64_t tenant_key = -1;                                          // -1: none yet
  std::map<std::pair<std::string, std::string>, int64_t> item_keys;  // (user id, interaction id): the found
};

// The keys of `tenant_id`'s log and of `items` (user id, interaction id), as far as they exist: no
// turn taken, nothing written.
Result<LogKeys> FindLogKeys(Session& session, const std::string& tenant_id, const std::vector<UserItemKey>& items);

// Appends `leaves` (of any tenants) to their tenants' logs, in order within each tenant. `known`:
// keys found before (FindLogKeys) for the leaves of its tenant.
Status AppendToLog(Session& session, const std::vector<integrity::LogLeaf>& leaves, const LogKeys* known = nullptr);

// For bench/integrity_bench.cc alone, which measures ingest with and without the log in one run:
// while set, AppendToLog appends nothing (the process's every store). Nothing else sets it: a store
// written so has interactions its log does not record, which `aihistory verify` names.
void DisableLogForBenchmark(bool disabled);

class SqlLog final : public LogStore {
 public:
  explicit SqlLog(Database& db) : db_(db) {}

  Result<uint64_t> Size(const std::string& tenant_id) override;
  Result<integrity::Hash> Root(const std::string& tenant_id, uint64_t size) override;
  Result<std::vector<integrity::Hash>> InclusionProof(const std::string& tenant_id, uint64_t index,
                                                      uint64_t size) override;
  Result<std::vector<integrity::Hash>> ConsistencyProof(const std::string& tenant_id, uint64_t old_size,
                                                        uint64_t new_size) override;
  Result<StoredLeaf> Leaf(const std::string& tenant_id, uint64_t index) override;
  Result<StoredLeaf> FindLeaf(const std::string& tenant_id, const std::string& user_id,
                              const std::string& interaction_id, int64_t version) override;
  Status ScanLeaves(const std::string& tenant_id, uint64_t from,
                    const std::function<bool(const StoredLeaf&)>& emit) override;
  Status ScanItems(const std::string& tenant_id, const std::function<bool(const ItemDigest&)>& emit) override;
  Status AdoptPending() override;
  Result<std::vector<std::string>> Tenants() override;
  Status SaveCheckpoint(const StoredCheckpoint& checkpoint) override;
  Result<std::optional<StoredCheckpoint>> LatestCheckpoint(const std::string& tenant_id) override;
  Result<std::vector<LogKeyRow>> Keys() override;
  Status RotateKey(const LogKeyRow& key, const std::string& previous) override;

 private:
  Database& db_;
};

}  // namespace aih::store::sql
