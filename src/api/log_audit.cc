#include "api/log_audit.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "base/base64.h"
#include "integrity/checkpoint.h"
#include "integrity/log_leaf.h"
#include "integrity/signed_note.h"

namespace aih::api {
namespace {

// The newest leaf of one item.
struct Newest {
  uint64_t index = 0;
  integrity::LeafKind kind = integrity::LeafKind::kStored;
  int64_t version = 0;
  std::string content_sha256;
  bool seen = false;  // a row of it was found
};

std::string ItemKey(const std::string& user, const std::string& id) { return user + '\0' + id; }

std::string Name(const std::string& user, const std::string& id) {
  return "interaction '" + id + "' of user " + user;
}

// The checkpoint inside `note`, opened with whichever of `keys` signed it.
Result<integrity::Checkpoint> OpenCheckpoint(const std::string& note, const std::vector<std::string>& keys) {
  Status last = Status::Unauthenticated("no log key is listed");
  for (const std::string& key : keys) {
    auto verifier = integrity::NoteVerifier::Parse(key);
    if (!verifier.ok()) {
      last = verifier.status();
      continue;
    }
    auto text = verifier->Open(note);
    if (!text.ok()) {
      last = text.status();
      continue;
    }
    return integrity::ParseCheckpoint(*text);
  }
  return last;
}

}  // namespace

Result<LogAuditReport> AuditLog(store::Store& store, const std::string& tenant_id) {
  LogAuditReport report;
  store::LogStore& log = store.log();
  // 1. The leaves: each hash against its fields, the indices dense; the newest leaf of each item.
  std::unordered_map<std::string, Newest> newest;
  integrity::InMemoryTree tree;  // of the hashes the leaves' fields give
  Status scanned = log.ScanLeaves(tenant_id, 0, [&](const store::StoredLeaf& stored) {
    if (stored.index != report.leaves) {
      report.problems.push_back("the log has no leaf " + std::to_string(report.leaves) +
                                " (the next is " + std::to_string(stored.index) + "): leaves were removed outside aihistory");
      report.leaves = stored.index;
    }
    const integrity::Hash hash = integrity::LeafHash(integrity::EncodeLeaf(stored.leaf));
    if (hash != stored.hash) {
      report.problems.push_back("leaf " + std::to_string(stored.index) + " (" +
                                Name(stored.leaf.user_id, stored.leaf.interaction_id) +
                                ") was altered outside aihistory: its fields do not give its stored hash");
    }
    tree.Append(hash);
    ++report.leaves;
    Newest& n = newest[ItemKey(stored.leaf.user_id, stored.leaf.interaction_id)];
    n = Newest{stored.index, stored.leaf.kind, stored.leaf.version, stored.leaf.content_sha256, false};
    return true;
  });
  AIH_RETURN_IF_ERROR(scanned);

  // 2. The tree against the newest checkpoint, and the stored subtree hashes against both.
  AIH_ASSIGN_OR_RETURN(const auto checkpoint, log.LatestCheckpoint(tenant_id));
  if (checkpoint) {
    report.checkpoint_size = checkpoint->size;
    AIH_ASSIGN_OR_RETURN(const auto keys, log.Keys());
    std::vector<std::string> verifier_keys;
    for (const auto& key : keys) verifier_keys.push_back(key.key);
    auto opened = OpenCheckpoint(checkpoint->note, verifier_keys);
    if (!opened.ok()) {
      report.problems.push_back("the newest checkpoint (size " + std::to_string(checkpoint->size) +
                                ") does not verify with the listed log keys: " + opened.status().message());
    } else if (opened->size != checkpoint->size || opened->root != checkpoint->root) {
      report.problems.push_back("the newest checkpoint's stored size or root differs from what it signs");
    } else if (opened->size > tree.size()) {
      report.problems.push_back("the log holds " + std::to_string(tree.size()) + " leaves, fewer than the " +
                                std::to_string(opened->size) + " its checkpoint signs: leaves were removed outside aihistory");
    } else {
      AIH_ASSIGN_OR_RETURN(const integrity::Hash root, integrity::RootHash(tree, opened->size));
      if (root != opened->root) {
        report.problems.push_back("the log's first " + std::to_string(opened->size) +
                                  " leaves do not give the root its signed checkpoint holds: the log was rewritten "
                                  "outside aihistory");
      }
    }
  }
  if (tree.size() > 0) {
    auto stored_root = log.Root(tenant_id, tree.size());
    AIH_ASSIGN_OR_RETURN(const integrity::Hash root, integrity::RootHash(tree, tree.size()));
    if (!stored_root.ok() || *stored_root != root) {
      report.problems.push_back("the log's stored subtree hashes do not give the root of its leaves" +
                                (stored_root.ok() ? std::string() : ": " + stored_root.status().message()));
    }
  }

  // 3. Every row against the newest leaf of its item.
  Status items = log.ScanItems(tenant_id, [&](const store::ItemDigest& item) {
    ++report.items;
    auto it = newest.find(ItemKey(item.user_id, item.interaction_id));
    if (it == newest.end()) {
      report.problems.push_back(Name(item.user_id, item.interaction_id) +
                                " was added outside aihistory: no leaf of the log records it");
      return true;
    }
    Newest& n = it->second;
    n.seen = true;
    const std::string where = " (leaf " + std::to_string(n.index) + ")";
    if (n.kind == integrity::LeafKind::kDeleted) {
      report.problems.push_back(Name(item.user_id, item.interaction_id) +
                                " was added outside aihistory: the log records its deletion" + where);
    } else if (item.version != n.version) {
      report.problems.push_back(Name(item.user_id, item.interaction_id) + " was altered outside aihistory: it is at version " +
                                std::to_string(item.version) + ", the log records version " + std::to_string(n.version) +
                                where);
    } else if (item.content_sha256 != n.content_sha256) {
      report.problems.push_back(Name(item.user_id, item.interaction_id) +
                                " was altered outside aihistory: its stored JSON's SHA-256 is not the one the log "
                                "records for version " + std::to_string(n.version) + where);
    }
    return true;
  });
  AIH_RETURN_IF_ERROR(items);

  // 4. Every item the log says exists against its row.
  std::vector<std::pair<uint64_t, std::string>> removed;
  for (const auto& [key, n] : newest) {
    if (n.seen || n.kind == integrity::LeafKind::kDeleted) continue;
    const size_t nul = key.find('\0');
    removed.emplace_back(n.index, Name(key.substr(0, nul), key.substr(nul + 1)) +
                                      " was removed outside aihistory: the log records version " +
                                      std::to_string(n.version) + " (leaf " + std::to_string(n.index) +
                                      ") and no deletion, and no row holds it");
  }
  std::sort(removed.begin(), removed.end());
  for (auto& r : removed) report.problems.push_back(std::move(r.second));
  return report;
}

Status VerifyCheckpointConsistency(const std::string& verifier_key, const std::string& old_note,
                                   const std::string& new_note, const std::vector<integrity::Hash>& proof) {
  auto old_cp = OpenCheckpoint(old_note, {verifier_key});
  if (!old_cp.ok()) return Status::BadRequest("the older checkpoint does not verify: " + old_cp.status().message());
  auto new_cp = OpenCheckpoint(new_note, {verifier_key});
  if (!new_cp.ok()) return Status::BadRequest("the newer checkpoint does not verify: " + new_cp.status().message());
  if (old_cp->origin != new_cp->origin) {
    return Status::BadRequest("the checkpoints are of different logs ('" + old_cp->origin + "' and '" +
                              new_cp->origin + "')");
  }
  if (old_cp->size > new_cp->size) {
    return Status::BadRequest("the older checkpoint (size " + std::to_string(old_cp->size) +
                              ") is larger than the newer (size " + std::to_string(new_cp->size) + ")");
  }
  if (old_cp->size == 0) return Status::Ok();  // the empty tree is a prefix of every tree
  if (old_cp->size == new_cp->size) {
    if (old_cp->root == new_cp->root) return Status::Ok();
    return Status::BadRequest("the two checkpoints of size " + std::to_string(old_cp->size) +
                              " sign different roots: the log was forked");
  }
  if (!integrity::VerifyConsistency(old_cp->size, new_cp->size, old_cp->root, new_cp->root, proof)) {
    return Status::BadRequest("the consistency proof from size " + std::to_string(old_cp->size) + " to " +
                              std::to_string(new_cp->size) +
                              " does not verify: the newer log does not extend the older one (a fork or a rewrite)");
  }
  return Status::Ok();
}

Result<std::vector<integrity::Hash>> ParseProofJson(std::string_view json) {
  simdjson::padded_string padded(json);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return Status::BadRequest("the proof file is not JSON");
  simdjson::dom::array array;
  if (root["proof"].get_array().get(array) != simdjson::SUCCESS) {
    return Status::BadRequest("the proof file has no \"proof\" array");
  }
  std::vector<integrity::Hash> proof;
  for (simdjson::dom::element e : array) {
    std::string_view text;
    if (e.get_string().get(text) != simdjson::SUCCESS) return Status::BadRequest("a proof hash is not a string");
    auto bytes = Base64Decode(text);
    if (!bytes.ok() || bytes->size() != 32) {
      return Status::BadRequest("the proof hash '" + std::string(text) + "' is not the base64 of 32 bytes");
    }
    integrity::Hash hash;
    std::memcpy(hash.data(), bytes->data(), 32);
    proof.push_back(hash);
  }
  return proof;
}

}  // namespace aih::api
