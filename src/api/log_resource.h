// The verifiable log's admin routes (admin_resource.h adds them behind the admin key). Each tenant's
// routes answer about that tenant's log alone. All answer JSON; hashes are standard base64.
//
//   GET  /admin/log/keys     → {"value":[{"verifierKey","active","createdDateTime","retiredDateTime"}]}
//                              the active key first: a verifier's key line (integrity/signed_note.h)
//   POST /admin/log/keys     → 201, the new active key (the previous one is retired, still listed)
//   GET  /admin/tenants/{t}/log/checkpoint   → the newest signed checkpoint (404 before the first):
//        {"origin","treeSize","rootHash","verifierKey","checkpoint":<signed note>,"createdDateTime"}
//   POST /admin/tenants/{t}/log/checkpoint   → a checkpoint of the log as it is now, signed and kept
//   GET  /admin/tenants/{t}/log/inclusion?leafIndex=I | ?userId=U&interactionId=X&version=V  [&treeSize=N]
//        → {"leafIndex","treeSize","leaf":<the leaf's text>,"leafHash","rootHash","proof":[...]}
//        treeSize defaults to the newest checkpoint's (the log's size before the first one)
//   GET  /admin/tenants/{t}/log/consistency?first=A&second=B
//        → {"first","second","firstRootHash","secondRootHash","proof":[...]}
//   POST /admin/tenants/{t}/log/exports  {"userId"?: id or UPN, "all"?: bool, "fileName"?: name}
//        → {"count","fileName","export":<NDJSON>,"manifest":<signed note>,"proofsFileName","proofs":<NDJSON>}
//        what `aihistory export --manifest` writes, as one answer: the export (the whole tenant's, or
//        one user's, by the export rules; "all": everything stored), its signed manifest and the
//        inclusion proofs, for `aihistory verify --manifest` (saved under the names given) to check
//        offline. At most kMaxExportedWithManifest interactions: a larger one is refused (400), as the
//        answer is held in memory; `aihistory export --manifest` streams any size.
// Sizes out of range, a first size above the second, an unknown leaf or version: 400 or 404 naming it.
#pragma once

#include <cstdint>
#include <string>

#include "api/log_checkpoints.h"
#include "base/status.h"
#include "http/message.h"
#include "store/store.h"

namespace aih::api::log_routes {

Result<std::string> ListKeys(store::Store& store);
Result<std::string> RotateKey(LogCheckpoints& checkpoints);
Result<std::string> LatestCheckpoint(store::Store& store, const std::string& tenant_id);
Result<std::string> PublishCheckpoint(LogCheckpoints& checkpoints, const std::string& tenant_id);
Result<std::string> Inclusion(store::Store& store, const std::string& tenant_id, const http::Request& request);
Result<std::string> Consistency(store::Store& store, const std::string& tenant_id, const http::Request& request);

inline constexpr int64_t kMaxExportedWithManifest = 10'000;
Result<std::string> ExportWithManifest(store::Store& store, LogCheckpoints& checkpoints, const std::string& tenant_id,
                                       const http::Request& request);

// The JSON of a checkpoint, as the checkpoint routes answer it.
std::string CheckpointJson(const store::StoredCheckpoint& checkpoint, const std::string& origin);

}  // namespace aih::api::log_routes
