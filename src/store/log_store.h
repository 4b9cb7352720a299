// LogStore: each tenant's verifiable log (docs/integrity.md): an append-only sequence of leaves
// (integrity/log_leaf.h), one per stored or updated version of an interaction and one per deletion,
// hashed into an RFC 9162 Merkle tree (integrity/merkle.h); the checkpoints signed over it and the
// Ed25519 keys that sign them.
//
// Leaves are appended only by the interaction store, inside the transaction of the write or delete
// they record (sql/sql_log.h AppendToLog), so a leaf exists if and only if its change committed.
// A tree of a given size never changes, so roots and proofs of a size already reached may be read at
// any time, while appends go on.
//
// Threading: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "integrity/log_leaf.h"
#include "integrity/merkle.h"

namespace aih::store {

struct StoredLeaf {
  uint64_t index = 0;
  integrity::LogLeaf leaf;
  integrity::Hash hash{};  // LeafHash(EncodeLeaf(leaf)), as stored
};

struct StoredCheckpoint {
  std::string tenant_id;
  uint64_t size = 0;
  std::string key;  // the verifier key that signed it
  integrity::Hash root{};
  std::string note;  // the signed note
  int64_t created_at = 0;  // unix milliseconds
};

// One interaction as it is stored now, as the log vouches for it: which version, and the SHA-256 of
// its stored JSON (what its newest leaf must hold).
struct ItemDigest {
  std::string user_id;
  std::string interaction_id;
  int64_t version = 0;
  std::string content_sha256;
};

struct LogKeyRow {
  std::string key;   // the verifier key "<name>+<key id>+<base64(0x01 || public key)>"
  std::string seed;  // 32 bytes: the Ed25519 private key
  int64_t created_at = 0;
  int64_t retired_at = 0;  // 0: the active key
};

class LogStore {
 public:
  virtual ~LogStore() = default;

  // How many leaves the tenant's log holds (0 for a tenant without one).
  virtual Result<uint64_t> Size(const std::string& tenant_id) = 0;
  // The tenant's Merkle root of its first `size` leaves; kBadRequest when size exceeds the log.
  virtual Result<integrity::Hash> Root(const std::string& tenant_id, uint64_t size) = 0;
  // RFC 9162 proofs; kBadRequest naming the problem when an index or a size is out of range.
  virtual Result<std::vector<integrity::Hash>> InclusionProof(const std::string& tenant_id, uint64_t index,
                                                              uint64_t size) = 0;
  virtual Result<std::vector<integrity::Hash>> ConsistencyProof(const std::string& tenant_id, uint64_t old_size,
                                                                uint64_t new_size) = 0;

  // Leaf `index`, or kNotFound.
  virtual Result<StoredLeaf> Leaf(const std::string& tenant_id, uint64_t index) = 0;
  // The leaf that recorded version `version` of an interaction being stored or updated, or kNotFound.
  virtual Result<StoredLeaf> FindLeaf(const std::string& tenant_id, const std::string& user_id,
                                      const std::string& interaction_id, int64_t version) = 0;
  // Calls `emit` for each leaf from `from` in index order (stops when it returns false), in pages:
  // a log of millions of leaves is never held in memory.
  virtual Status ScanLeaves(const std::string& tenant_id, uint64_t from,
                            const std::function<bool(const StoredLeaf&)>& emit) = 0;

  // Calls `emit` for each interaction row of the tenant, as stored now, ordered by (user, id), in
  // pages (stops when it returns false): what `aihistory verify` holds against the log.
  virtual Status ScanItems(const std::string& tenant_id, const std::function<bool(const ItemDigest&)>& emit) = 0;

  // Logs, once, the interactions a store held before it had a log (schema migration 11 lists their
  // tenants): each such row without any leaf gets a `stored` leaf of its current version. Rows added
  // later never get one this way, so a row inserted behind aihistory's back stays unlogged (and
  // `aihistory verify` names it). Idempotent and resumable; cheap once done.
  virtual Status AdoptPending() = 0;

  // The tenants whose log holds at least one leaf.
  virtual Result<std::vector<std::string>> Tenants() = 0;

  // Keeps a signed checkpoint (one already kept for its tenant, size and key is left as it is).
  virtual Status SaveCheckpoint(const StoredCheckpoint& checkpoint) = 0;
  // The tenant's checkpoint of the largest size (the newest of that size), if any.
  virtual Result<std::optional<StoredCheckpoint>> LatestCheckpoint(const std::string& tenant_id) = 0;

  // Every signing key, the active one (retired_at 0) first, then the newest retired first.
  virtual Result<std::vector<LogKeyRow>> Keys() = 0;
  // In one transaction: retires the active key (if any) at `key.created_at` and makes `key` the
  // active one. kConflict, changing nothing, when `previous` is not the active key's text (another
  // server rotated first; "" means there was none).
  virtual Status RotateKey(const LogKeyRow& key, const std::string& previous) = 0;
};

}  // namespace aih::store
