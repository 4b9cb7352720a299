// Log audits: what `aihistory verify` checks (docs/integrity.md).
//
// AuditLog holds a live store against its own verifiable log: every leaf's hash against its fields
// (and the indices dense), the tree those leaves make against the newest signed checkpoint (its
// signature by a listed log key, its root) and against the stored subtree hashes; then every
// interaction row against the newest leaf of its item, and every item the log says exists against
// its row. Each difference is reported naming the item: altered (the JSON's SHA-256 or its version
// is not what the log recorded), removed (the log records it and no deletion, and there is no row)
// or added (a row no leaf records, or one whose deletion the log records) outside aihistory.
//
// VerifyCheckpointConsistency checks offline that a newer checkpoint extends an older one: both
// signed by `verifier_key`, of the same origin, and the RFC 9162 consistency proof between them.
// A rewritten history signed with the same key fails it.
//
// Threading: pure functions of their arguments (AuditLog reads the store).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "integrity/merkle.h"
#include "store/store.h"

namespace aih::api {

struct LogAuditReport {
  uint64_t leaves = 0;       // in the tenant's log
  uint64_t items = 0;        // interaction rows checked
  uint64_t checkpoint_size = 0;  // the checkpoint the log was held against (0: none yet)
  std::vector<std::string> problems;  // each names what differs; empty: the store matches its log
};

// Fails only when the audit cannot run (the store does not answer).
Result<LogAuditReport> AuditLog(store::Store& store, const std::string& tenant_id);

// Ok when `new_note` extends `old_note` (both signed notes of checkpoints, as the checkpoint route
// and the store keep them) by `proof`; kBadRequest naming what does not verify otherwise.
Status VerifyCheckpointConsistency(const std::string& verifier_key, const std::string& old_note,
                                   const std::string& new_note, const std::vector<integrity::Hash>& proof);

// The hashes of a proof as the log routes write them: a JSON object whose member "proof" is an
// array of base64 strings. kBadRequest naming the problem.
Result<std::vector<integrity::Hash>> ParseProofJson(std::string_view json);

}  // namespace aih::api
