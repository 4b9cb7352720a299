#include "store/sql/sql_log.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <set>

#include "store/interaction_store.h"

namespace aih::store::sql {
namespace {

using integrity::Hash;
using integrity::LogLeaf;

constexpr int kStride = 4;                 // log_nodes keeps every kStride-th level
constexpr uint64_t kFanOut = 1 << kStride;  // 16 entries of a stored level make one of the next
constexpr int kMaxLevel = 64;
constexpr int64_t kScanPage = 10000;        // leaves read per statement by ScanLeaves

std::string LockKey(const std::string& tenant_id) { return "aihistory log " + tenant_id; }

std::string Bytes(const Hash& hash) { return std::string(reinterpret_cast<const char*>(hash.data()), hash.size()); }

Result<Hash> ToHash(std::string_view bytes, const char* what) {
  if (bytes.size() != 32) return Status::Internal(std::string("a stored ") + what + " is not 32 bytes: the log is damaged");
  Hash hash;
  std::memcpy(hash.data(), bytes.data(), 32);
  return hash;
}

constexpr const char* kLeafColumns =
    "SELECT l.leaf_index, i.user_id, i.interaction_id, l.version, l.kind, l.content_sha256"
    " FROM log_leaves l JOIN log_items i ON i.item_key = l.item_key ";

// A leaf as read with kLeafColumns; its hash is computed from its fields (they are what is stored).
Result<StoredLeaf> ReadLeafRow(const std::string& tenant_id, const Row& row) {
  StoredLeaf out;
  out.index = static_cast<uint64_t>(row.Int(0));
  out.leaf.tenant_id = tenant_id;
  out.leaf.user_id = row.String(1);
  out.leaf.interaction_id = row.String(2);
  out.leaf.version = row.Int(3);
  const int64_t kind = row.Int(4);
  if (kind < 1 || kind > 3) return Status::Internal("a leaf of the log has an unknown kind " + std::to_string(kind));
  out.leaf.kind = static_cast<integrity::LeafKind>(kind);
  out.leaf.etag = EtagFor(out.leaf.interaction_id, out.leaf.version);
  out.leaf.content_sha256 = row.String(5);
  if (out.leaf.content_sha256.size() != 32) {
    return Status::Internal("leaf " + std::to_string(out.index) + " of the log of tenant " + tenant_id +
                            " holds a SHA-256 that is not 32 bytes: the log is damaged");
  }
  out.hash = integrity::LeafHash(integrity::EncodeLeaf(out.leaf));
  return out;
}

// A tenant's log: its id, and its key in log_tenants (kNoLog before its first leaf).
struct TenantLog {
  static constexpr int64_t kNoLog = -1;
  std::string id;
  int64_t key = kNoLog;
};

Result<TenantLog> FindTenantLog(Session& s, const std::string& tenant_id) {
  TenantLog log{tenant_id};
  AIH_RETURN_IF_ERROR(s.Query("SELECT tenant_key FROM log_tenants WHERE tenant_id = $1", {tenant_id},
                              [&](const Row& row) { log.key = row.Int(0); }));
  return log;
}

// The hashes of entries [from, to) of stored level `level` (0: the leaves, hashed from their
// fields), in order.
Status ReadLevel(Session& s, const TenantLog& t, int level, uint64_t from, uint64_t to, std::vector<Hash>* out) {
  out->clear();
  if (from >= to) return Status::Ok();
  Status failed;
  Status q;
  if (level == 0) {
    q = s.Query(std::string(kLeafColumns) +
                    "WHERE l.tenant_key = $1 AND l.leaf_index >= $2 AND l.leaf_index < $3 ORDER BY l.leaf_index",
                {t.key, static_cast<int64_t>(from), static_cast<int64_t>(to)}, [&](const Row& row) {
                  if (!failed.ok()) return;
                  auto leaf = ReadLeafRow(t.id, row);
                  if (!leaf.ok()) {
                    failed = leaf.status();
                    return;
                  }
                  out->push_back(leaf->hash);
                });
  } else {
    q = s.Query("SELECT hash FROM log_nodes WHERE tenant_id = $1 AND level = $2 AND node_index >= $3"
                " AND node_index < $4 ORDER BY node_index",
                {t.id, int64_t{level}, static_cast<int64_t>(from), static_cast<int64_t>(to)}, [&](const Row& row) {
                  if (!failed.ok()) return;
                  auto hash = ToHash(row.Text(0), "node hash");
                  if (!hash.ok()) {
                    failed = hash.status();
                    return;
                  }
                  out->push_back(*hash);
                });
  }
  AIH_RETURN_IF_ERROR(q);
  AIH_RETURN_IF_ERROR(failed);
  if (out->size() != to - from) {
    return Status::Internal("the log of tenant " + t.id + " lacks stored hashes at level " + std::to_string(level) +
                            " (entries " + std::to_string(from) + " to " + std::to_string(to) + "): it is damaged");
  }
  return Status::Ok();
}

// The root of a complete subtree whose 2^k entries (k <= kStride) are given.
Hash Reduce(std::vector<Hash> hashes) {
  while (hashes.size() > 1) {
    for (size_t i = 0; i < hashes.size() / 2; ++i) hashes[i] = integrity::NodeHash(hashes[2 * i], hashes[2 * i + 1]);
    hashes.resize(hashes.size() / 2);
  }
  return hashes.front();
}

// The tenant's tree of `size` leaves, read through one session.
class StoredTree final : public integrity::Tree {
 public:
  StoredTree(Session& s, TenantLog tenant, uint64_t size) : s_(s), tenant_(std::move(tenant)), size_(size) {}
  uint64_t size() const override { return size_; }
  Result<Hash> CompleteSubtree(uint64_t begin, int level) override {
    const int base = level - level % kStride;
    const uint64_t first = begin >> base;
    std::vector<Hash> entries;
    AIH_RETURN_IF_ERROR(ReadLevel(s_, tenant_, base, first, first + (uint64_t{1} << (level - base)), &entries));
    return Reduce(std::move(entries));
  }

 private:
  Session& s_;
  const TenantLog tenant_;
  const uint64_t size_;
};

Result<uint64_t> LogSize(Session& s, const TenantLog& t) {
  if (t.key == TenantLog::kNoLog) return uint64_t{0};
  auto n = s.Count("SELECT coalesce(max(leaf_index) + 1, 0) FROM log_leaves WHERE tenant_key = $1", {t.key});
  if (!n.ok()) return n.status();
  return static_cast<uint64_t>(*n);
}

// INSERT `head` VALUES of `values.size() / columns` rows, many rows per statement (statements of
// 64, 32, ... 1 rows: few distinct ones, each prepared once per connection).
// `tail` follows the VALUES (an ON CONFLICT or RETURNING clause; `row` gets what RETURNING returns).
Status InsertRows(Session& s, const std::string& head, size_t columns, std::vector<Value>& values,
                  const std::string& tail = "", const RowFn& row = nullptr) {
  constexpr size_t kMaxRows = 64;
  const size_t total = values.size() / columns;
  for (size_t at = 0; at < total;) {
    size_t rows = kMaxRows;
    while (rows > total - at) rows /= 2;
    std::string sql = head + " VALUES ";
    Args args;
    args.reserve(rows * columns);
    for (size_t r = 0; r < rows; ++r) {
      sql += r ? ", (" : "(";
      for (size_t c = 0; c < columns; ++c) {
        sql += (c ? ", $" : "$") + std::to_string(r * columns + c + 1);
        args.push_back(std::move(values[(at + r) * columns + c]));
      }
      sql += ")";
    }
    AIH_RETURN_IF_ERROR(s.Query(sql + tail, args, row));
    at += rows;
  }
  return Status::Ok();
}

// The tenant's log, its row in log_tenants made if it has none yet (serialised on the tenant already).
Result<TenantLog> MakeTenantLog(Session& s, const std::string& tenant_id) {
  AIH_ASSIGN_OR_RETURN(TenantLog t, FindTenantLog(s, tenant_id));
  if (t.key != TenantLog::kNoLog) return t;
  AIH_RETURN_IF_ERROR(s.Query("INSERT INTO log_tenants (tenant_id) VALUES ($1) RETURNING tenant_key", {tenant_id},
                              [&](const Row& row) { t.key = row.Int(0); }));
  if (t.key == TenantLog::kNoLog) return Status::Internal("the log of tenant " + tenant_id + " got no key");
  return t;
}

using ItemName = std::pair<std::string, std::string>;  // (user id, interaction id)

// Adds to `keys` the item_key of each of `which` that log_items holds. The pairs are bound as one
// parameter (Dialect::JsonPairs): one statement, prepared once, each pair looked up in log_items_key.
Status LookUpItemKeys(Session& s, int64_t tenant_key, const std::vector<const ItemName*>& which,
                      std::map<ItemName, int64_t>* keys) {
  constexpr size_t kItemsPerLookup = 100;  // (user_id, interaction_id) pairs per SELECT
  for (size_t at = 0; at < which.size(); at += kItemsPerLookup) {
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    for (size_t i = at; i < std::min(which.size(), at + kItemsPerLookup); ++i) {
      pairs.emplace_back(which[i]->first, which[i]->second);
    }
    AIH_RETURN_IF_ERROR(s.Query("SELECT item_key, user_id, interaction_id FROM log_items WHERE tenant_key = $1"
                                " AND (user_id, interaction_id) IN (" + s.dialect().JsonPairs("$2") + ")",
                                {tenant_key, JsonPairArray(pairs)},
                                [&](const Row& row) { (*keys)[ItemName{row.String(1), row.String(2)}] = row.Int(0); }));
  }
  return Status::Ok();
}

// The item_key of each item `leaves` name, from log_items; the items without one get one. New items
// are the common case of a write (inserted first), existing ones that of a deletion (looked up first).
// Those `keys` holds already (found before the turn: LogKeys) are taken as they are.
Status FindOrMakeItemKeys(Session& s, const TenantLog& t, const std::vector<const LogLeaf*>& leaves,
                          std::map<ItemName, int64_t>* keys) {
  std::vector<ItemName> names;
  bool any_new = false;
  for (const LogLeaf* leaf : leaves) {
    if (keys->emplace(ItemName{leaf->user_id, leaf->interaction_id}, -1).second) {
      names.emplace_back(leaf->user_id, leaf->interaction_id);
    }
    any_new |= leaf->kind == integrity::LeafKind::kStored;
  }
  auto take = [&](const Row& row) { (*keys)[ItemName{row.String(1), row.String(2)}] = row.Int(0); };
  auto missing = [&] {
    std::vector<const ItemName*> out;
    for (const ItemName& n : names) {
      if (keys->at(n) < 0) out.push_back(&n);
    }
    return out;
  };
  auto insert = [&](const std::vector<const ItemName*>& which) {
    std::vector<Value> rows;
    for (const ItemName* n : which) {
      for (Value v : std::initializer_list<Value>{t.key, n->first, n->second}) rows.push_back(std::move(v));
    }
    return InsertRows(s, "INSERT INTO log_items (tenant_key, user_id, interaction_id)", 3, rows,
                      " ON CONFLICT (tenant_key, user_id, interaction_id) DO NOTHING"
                      " RETURNING item_key, user_id, interaction_id",
                      take);
  };
  auto lookup = [&](const std::vector<const ItemName*>& which) { return LookUpItemKeys(s, t.key, which, keys); };
  if (any_new) {
    AIH_RETURN_IF_ERROR(insert(missing()));
    AIH_RETURN_IF_ERROR(lookup(missing()));
  } else {
    AIH_RETURN_IF_ERROR(lookup(missing()));
    AIH_RETURN_IF_ERROR(insert(missing()));
  }
  if (!missing().empty()) return Status::Internal("an item of the log of tenant " + t.id + " got no key");
  return Status::Ok();
}

// Appends one tenant's leaves (serialised on the tenant already).
// `known`: the keys found before the turn, if any (of this tenant).
Status AppendTenant(Session& s, const std::string& tenant_id, const std::vector<const LogLeaf*>& leaves,
                    const LogKeys* known = nullptr) {
  TenantLog t{tenant_id};
  std::map<ItemName, int64_t> item_keys;
  if (known != nullptr && known->tenant_key != TenantLog::kNoLog) {
    t.key = known->tenant_key;
    item_keys = known->item_keys;
  } else {
    AIH_ASSIGN_OR_RETURN(t, MakeTenantLog(s, tenant_id));
  }
  AIH_ASSIGN_OR_RETURN(const uint64_t size, LogSize(s, t));
  AIH_RETURN_IF_ERROR(FindOrMakeItemKeys(s, t, leaves, &item_keys));
  // The unfinished right edge of each stored level: the entries after its last complete block of 16.
  std::vector<std::vector<Hash>> edge;
  std::vector<uint64_t> count;  // complete entries per stored level
  for (int i = 0; kStride * i < kMaxLevel; ++i) {
    const uint64_t n = size >> (kStride * i);
    edge.emplace_back();
    count.push_back(n);
    AIH_RETURN_IF_ERROR(ReadLevel(s, t, kStride * i, n - n % kFanOut, n, &edge.back()));
    if (n < kFanOut) break;
  }
  std::vector<Value> leaf_rows, node_rows;
  leaf_rows.reserve(leaves.size() * 6);
  uint64_t index = size;
  for (const LogLeaf* leaf : leaves) {
    const Hash hash = integrity::LeafHash(integrity::EncodeLeaf(*leaf));
    const int64_t item_key = item_keys.at(ItemName{leaf->user_id, leaf->interaction_id});
    for (Value v : std::initializer_list<Value>{t.key, static_cast<int64_t>(index), item_key, leaf->version,
                                               static_cast<int64_t>(leaf->kind), Blob{leaf->content_sha256}}) {
      leaf_rows.push_back(std::move(v));
    }
    ++index;
    // Carry up: a 16th entry of a level completes a subtree of the next stored level.
    Hash carry = hash;
    for (size_t i = 0;; ++i) {
      if (i == edge.size()) {
        edge.emplace_back();
        count.push_back(0);
      }
      edge[i].push_back(carry);
      ++count[i];
      if (edge[i].size() < kFanOut) break;
      carry = Reduce(std::move(edge[i]));
      edge[i].clear();
      for (Value v : std::initializer_list<Value>{tenant_id, static_cast<int64_t>(kStride * (i + 1)),
                                                 static_cast<int64_t>(count[i] / kFanOut - 1), Blob{Bytes(carry)}}) {
        node_rows.push_back(std::move(v));
      }
    }
  }
  AIH_RETURN_IF_ERROR(InsertRows(
      s, "INSERT INTO log_leaves (tenant_key, leaf_index, item_key, version, kind, content_sha256)", 6, leaf_rows));
  return InsertRows(s, "INSERT INTO log_nodes (tenant_id, level, node_index, hash)", 4, node_rows);
}

Status CheckSize(uint64_t size, uint64_t log_size, const char* what) {
  if (size > log_size) {
    return Status::BadRequest(std::string(what) + " " + std::to_string(size) + " exceeds the log's size " +
                              std::to_string(log_size));
  }
  return Status::Ok();
}

}  // namespace

Status LockLogs(Session& session, std::vector<std::string> tenant_ids) {
  std::sort(tenant_ids.begin(), tenant_ids.end());
  tenant_ids.erase(std::unique(tenant_ids.begin(), tenant_ids.end()), tenant_ids.end());
  for (const std::string& tenant : tenant_ids) AIH_RETURN_IF_ERROR(session.SerialiseOn(LockKey(tenant)));
  return Status::Ok();
}

namespace {
std::atomic<bool> log_disabled_for_benchmark{false};
}  // namespace

void DisableLogForBenchmark(bool disabled) { log_disabled_for_benchmark = disabled; }

Result<LogKeys> FindLogKeys(Session& session, const std::string& tenant_id, const std::vector<UserItemKey>& items) {
  AIH_ASSIGN_OR_RETURN(const TenantLog t, FindTenantLog(session, tenant_id));
  LogKeys keys{tenant_id, t.key, {}};
  if (t.key == TenantLog::kNoLog || items.empty() || log_disabled_for_benchmark) return keys;
  std::set<ItemName> names;
  for (const UserItemKey& item : items) names.emplace(item.user_id, item.id);
  std::vector<const ItemName*> which;
  for (const ItemName& n : names) which.push_back(&n);
  AIH_RETURN_IF_ERROR(LookUpItemKeys(session, t.key, which, &keys.item_keys));
  return keys;
}

Status AppendToLog(Session& session, const std::vector<LogLeaf>& leaves, const LogKeys* known) {
  if (leaves.empty() || log_disabled_for_benchmark) return Status::Ok();
  std::map<std::string, std::vector<const LogLeaf*>> by_tenant;  // sorted: the locks' order
  for (const LogLeaf& leaf : leaves) by_tenant[leaf.tenant_id].push_back(&leaf);
  for (const auto& [tenant, its] : by_tenant) {
    AIH_RETURN_IF_ERROR(session.SerialiseOn(LockKey(tenant)));
    AIH_RETURN_IF_ERROR(AppendTenant(session, tenant, its, known != nullptr && known->tenant_id == tenant ? known : nullptr));
  }
  return Status::Ok();
}

Result<uint64_t> SqlLog::Size(const std::string& tenant_id) {
  uint64_t size = 0;
  Status s = db_.Read([&](Session& c) -> Status {
    AIH_ASSIGN_OR_RETURN(const TenantLog t, FindTenantLog(c, tenant_id));
    AIH_ASSIGN_OR_RETURN(size, LogSize(c, t));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return size;
}

Result<Hash> SqlLog::Root(const std::string& tenant_id, uint64_t size) {
  Hash root{};
  Status s = db_.Read([&](Session& c) -> Status {
    AIH_ASSIGN_OR_RETURN(const TenantLog t, FindTenantLog(c, tenant_id));
    AIH_ASSIGN_OR_RETURN(const uint64_t log_size, LogSize(c, t));
    AIH_RETURN_IF_ERROR(CheckSize(size, log_size, "the tree size"));
    StoredTree tree(c, t, log_size);
    AIH_ASSIGN_OR_RETURN(root, integrity::RootHash(tree, size));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return root;
}

Result<std::vector<Hash>> SqlLog::InclusionProof(const std::string& tenant_id, uint64_t index, uint64_t size) {
  std::vector<Hash> proof;
  Status s = db_.Read([&](Session& c) -> Status {
    AIH_ASSIGN_OR_RETURN(const TenantLog t, FindTenantLog(c, tenant_id));
    AIH_ASSIGN_OR_RETURN(const uint64_t log_size, LogSize(c, t));
    AIH_RETURN_IF_ERROR(CheckSize(size, log_size, "the tree size"));
    if (index >= size) {
      return Status::BadRequest("leaf index " + std::to_string(index) + " is not below the tree size " +
                                std::to_string(size));
    }
    StoredTree tree(c, t, log_size);
    AIH_ASSIGN_OR_RETURN(proof, integrity::InclusionProof(tree, index, size));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return proof;
}

Result<std::vector<Hash>> SqlLog::ConsistencyProof(const std::string& tenant_id, uint64_t old_size,
                                                   uint64_t new_size) {
  std::vector<Hash> proof;
  Status s = db_.Read([&](Session& c) -> Status {
    AIH_ASSIGN_OR_RETURN(const TenantLog t, FindTenantLog(c, tenant_id));
    AIH_ASSIGN_OR_RETURN(const uint64_t log_size, LogSize(c, t));
    AIH_RETURN_IF_ERROR(CheckSize(new_size, log_size, "the second tree size"));
    if (old_size == 0) return Status::BadRequest("the first tree size must be at least 1");
    if (old_size > new_size) {
      return Status::BadRequest("the first tree size " + std::to_string(old_size) + " exceeds the second " +
                                std::to_string(new_size));
    }
    StoredTree tree(c, t, log_size);
    AIH_ASSIGN_OR_RETURN(proof, integrity::ConsistencyProof(tree, old_size, new_size));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return proof;
}

Result<StoredLeaf> SqlLog::Leaf(const std::string& tenant_id, uint64_t index) {
  std::optional<Result<StoredLeaf>> found;
  Status s = db_.Read([&](Session& c) {
    found.reset();
    return c.Query(std::string(kLeafColumns) +
                       "JOIN log_tenants t ON t.tenant_key = l.tenant_key WHERE t.tenant_id = $1 AND l.leaf_index = $2",
                   {tenant_id, static_cast<int64_t>(index)},
                   [&](const Row& row) { found.emplace(ReadLeafRow(tenant_id, row)); });
  });
  if (!s.ok()) return s;
  if (!found) return Status::NotFound("the log has no leaf " + std::to_string(index));
  return std::move(*found);
}

Result<StoredLeaf> SqlLog::FindLeaf(const std::string& tenant_id, const std::string& user_id,
                                    const std::string& interaction_id, int64_t version) {
  std::optional<Result<StoredLeaf>> found;
  Status s = db_.Read([&](Session& c) {
    found.reset();
    return c.Query(std::string(kLeafColumns) +
                       "JOIN log_tenants t ON t.tenant_key = i.tenant_key WHERE t.tenant_id = $1 AND i.user_id = $2"
                       " AND i.interaction_id = $3 AND l.version = $4 AND l.kind <> 3 ORDER BY l.leaf_index DESC LIMIT 1",
                   {tenant_id, user_id, interaction_id, version},
                   [&](const Row& row) { found.emplace(ReadLeafRow(tenant_id, row)); });
  });
  if (!s.ok()) return s;
  if (!found) {
    return Status::NotFound("the log records no version " + std::to_string(version) + " of interaction '" +
                            interaction_id + "' of this user");
  }
  return std::move(*found);
}

Status SqlLog::ScanLeaves(const std::string& tenant_id, uint64_t from,
                          const std::function<bool(const StoredLeaf&)>& emit) {
  for (;;) {
    std::vector<StoredLeaf> page;
    Status failed;
    Status s = db_.Read([&](Session& c) -> Status {
      page.clear();
      AIH_ASSIGN_OR_RETURN(const TenantLog t, FindTenantLog(c, tenant_id));
      return c.Query(std::string(kLeafColumns) +
                         "WHERE l.tenant_key = $1 AND l.leaf_index >= $2 ORDER BY l.leaf_index LIMIT $3",
                     {t.key, static_cast<int64_t>(from), kScanPage}, [&](const Row& row) {
                       auto leaf = ReadLeafRow(tenant_id, row);
                       if (!leaf.ok()) {
                         failed = leaf.status();
                       } else {
                         page.push_back(std::move(*leaf));
                       }
                     });
    });
    AIH_RETURN_IF_ERROR(s);
    AIH_RETURN_IF_ERROR(failed);
    for (const StoredLeaf& leaf : page) {
      if (!emit(leaf)) return Status::Ok();
    }
    if (static_cast<int64_t>(page.size()) < kScanPage) return Status::Ok();
    from = page.back().index + 1;
  }
}

Status SqlLog::ScanItems(const std::string& tenant_id, const std::function<bool(const ItemDigest&)>& emit) {
  constexpr int64_t kItemPage = 2000;  // rows of JSON per statement: a bounded page in memory
  std::string after_user, after_id;
  for (bool first = true;; first = false) {
    std::vector<ItemDigest> page;
    Status s = db_.Read([&](Session& c) {
      page.clear();
      auto take = [&](const Row& row) {
        page.push_back({row.String(0), row.String(1), row.Int(2), integrity::Sha256(row.Text(3))});
      };
      if (first) {
        return c.Query("SELECT user_id, id, version, json FROM interactions WHERE tenant_id = $1"
                       " ORDER BY user_id, id LIMIT $2",
                       {tenant_id, kItemPage}, take);
      }
      return c.Query("SELECT user_id, id, version, json FROM interactions WHERE tenant_id = $1"
                     " AND (user_id > $2 OR (user_id = $2 AND id > $3)) ORDER BY user_id, id LIMIT $4",
                     {tenant_id, after_user, after_id, kItemPage}, take);
    });
    AIH_RETURN_IF_ERROR(s);
    for (const ItemDigest& item : page) {
      if (!emit(item)) return Status::Ok();
    }
    if (static_cast<int64_t>(page.size()) < kItemPage) return Status::Ok();
    after_user = page.back().user_id;
    after_id = page.back().interaction_id;
  }
}

Status SqlLog::AdoptPending() {
  constexpr int64_t kAdoptPage = 5000;  // rows per transaction
  std::vector<std::string> tenants;
  AIH_RETURN_IF_ERROR(db_.Read([&](Session& c) {
    tenants.clear();
    return c.Query("SELECT tenant_id FROM log_adoptions ORDER BY tenant_id", {},
                   [&](const Row& row) { tenants.push_back(row.String(0)); });
  }));
  for (const std::string& tenant : tenants) {
    for (bool more = true; more;) {
      AIH_RETURN_IF_ERROR(db_.Transaction([&](Session& c) -> Status {
        AIH_RETURN_IF_ERROR(LockLogs(c, {tenant}));
        AIH_ASSIGN_OR_RETURN(const TenantLog t, FindTenantLog(c, tenant));
        std::vector<LogLeaf> leaves;
        // log_items holds an item once a leaf records it (in that leaf's transaction).
        AIH_RETURN_IF_ERROR(c.Query(
            "SELECT i.user_id, i.id, i.version, i.json FROM interactions i WHERE i.tenant_id = $1 AND NOT EXISTS"
            " (SELECT 1 FROM log_items li WHERE li.tenant_key = $3 AND li.user_id = i.user_id"
            " AND li.interaction_id = i.id) ORDER BY i.user_id, i.id LIMIT $2",
            {tenant, kAdoptPage, t.key}, [&](const Row& row) {
              std::string id = row.String(1);
              const int64_t version = row.Int(2);
              leaves.push_back({integrity::LeafKind::kStored, tenant, row.String(0), id, version, EtagFor(id, version),
                                integrity::Sha256(row.Text(3))});
            }));
        more = static_cast<int64_t>(leaves.size()) == kAdoptPage;
        AIH_RETURN_IF_ERROR(AppendTenant(c, tenant, [&] {
          std::vector<const LogLeaf*> of;
          for (const LogLeaf& leaf : leaves) of.push_back(&leaf);
          return of;
        }()));
        if (!more) AIH_RETURN_IF_ERROR(c.Query("DELETE FROM log_adoptions WHERE tenant_id = $1", {tenant}));
        return Status::Ok();
      }));
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqlLog::Tenants() {
  std::vector<std::string> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query("SELECT tenant_id FROM log_tenants ORDER BY tenant_id", {},
                   [&](const Row& row) { out.push_back(row.String(0)); });
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlLog::SaveCheckpoint(const StoredCheckpoint& checkpoint) {
  return db_.Transaction([&](Session& c) {
    return c.Query(
        "INSERT INTO log_checkpoints (tenant_id, tree_size, key, root, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (tenant_id, tree_size, key) DO NOTHING",
        {checkpoint.tenant_id, static_cast<int64_t>(checkpoint.size), checkpoint.key, Blob{Bytes(checkpoint.root)},
         checkpoint.note, checkpoint.created_at});
  });
}

Result<std::optional<StoredCheckpoint>> SqlLog::LatestCheckpoint(const std::string& tenant_id) {
  std::optional<StoredCheckpoint> latest;
  Status failed;
  Status s = db_.Read([&](Session& c) {
    latest.reset();
    return c.Query(
        "SELECT tree_size, key, root, note, created_at FROM log_checkpoints WHERE tenant_id = $1"
        " ORDER BY tree_size DESC, created_at DESC LIMIT 1",
        {tenant_id}, [&](const Row& row) {
          StoredCheckpoint cp;
          cp.tenant_id = tenant_id;
          cp.size = static_cast<uint64_t>(row.Int(0));
          cp.key = row.String(1);
          auto root = ToHash(row.Text(2), "checkpoint root");
          if (!root.ok()) {
            failed = root.status();
            return;
          }
          cp.root = *root;
          cp.note = row.String(3);
          cp.created_at = row.Int(4);
          latest = std::move(cp);
        });
  });
  AIH_RETURN_IF_ERROR(s);
  AIH_RETURN_IF_ERROR(failed);
  return latest;
}

Result<std::vector<LogKeyRow>> SqlLog::Keys() {
  std::vector<LogKeyRow> out;
  Status s = db_.Read([&](Session& c) {
    out.clear();
    return c.Query(
        "SELECT key, seed, created_at, retired_at FROM log_keys"
        " ORDER BY CASE WHEN retired_at = 0 THEN 0 ELSE 1 END, created_at DESC",
        {}, [&](const Row& row) { out.push_back({row.String(0), row.String(1), row.Int(2), row.Int(3)}); });
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlLog::RotateKey(const LogKeyRow& key, const std::string& previous) {
  if (key.retired_at != 0) return Status::BadRequest("a newly active log key must have retired_at 0");
  Status s = db_.Transaction([&](Session& c) -> Status {
    std::string active;
    AIH_RETURN_IF_ERROR(c.Query("SELECT key FROM log_keys WHERE retired_at = 0", {},
                                [&](const Row& row) { active = row.String(0); }));
    if (active != previous) {
      return Status::Conflict("the active log key is '" + active + "', not '" + previous +
                              "': another server rotated first");
    }
    if (!active.empty()) {
      AIH_RETURN_IF_ERROR(c.Query("UPDATE log_keys SET retired_at = $2 WHERE key = $1 AND retired_at = 0",
                                  {active, std::max<int64_t>(key.created_at, 1)}));
    }
    return c.Query("INSERT INTO log_keys (key, seed, created_at, retired_at) VALUES ($1, $2, $3, 0)",
                   {key.key, Blob{key.seed}, key.created_at});
  });
  if (s.code() == Code::kConflict && s.message().find("log_keys") != std::string::npos) {
    return Status::Conflict("another server stored a log key at the same time: " + s.message());
  }
  return s;
}

}  // namespace aih::store::sql
