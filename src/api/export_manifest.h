// Export manifests (docs/integrity.md, "Export manifests"): what makes an NDJSON export provable
// offline. Beside the export file go
//   - a proofs file, NDJSON: line n holds the log leaf of the export's line n and its RFC 9162
//     inclusion proof in the tree of the manifest's checkpoint:
//     {"line":n,"leafIndex":i,"leaf":"<leaf text>","proof":["<base64>",...]}
//   - the manifest, a signed note (integrity/signed_note.h) by the log key whose text is one line of
//     JSON: {"manifest":"aihistory-export-manifest v1","tenantId","userId","all","filter","count",
//     "from","to","file":{"name","sha256"},"proofs":{"name","sha256"},"checkpoint","verifierKey"}
//     (`checkpoint`: the tenant's signed checkpoint the proofs refer to).
//
// ExportManifestBuilder collects the exported rows as the export writes them, then Finish() publishes
// a checkpoint covering them, writes the proofs file and signs the manifest. VerifyExport checks all
// of it offline: signatures, both files' SHA-256, and every line against its leaf and proof.
//
// Threading: a builder is used by one thread; VerifyExport is a pure function of its files.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "api/log_checkpoints.h"
#include "base/status.h"
#include "store/store.h"

namespace aih::api {

struct ExportScope {
  std::string tenant_id;
  std::string user_id;  // empty: the whole tenant
  bool all = false;     // a full backup (the export rules not applied)
  std::string filter;   // the export's filter as given ("" for none)
};

class ExportManifestBuilder {
 public:
  ExportManifestBuilder(store::Store& store, LogCheckpoints& checkpoints, ExportScope scope)
      : store_(store), checkpoints_(checkpoints), scope_(std::move(scope)) {}

  // One exported row, in the order of the export's lines (its stored JSON, as the row gave it).
  Status Add(const store::PageRow& row);

  // Publishes the checkpoint, writes `proofs_path` and returns the signed manifest, for the export
  // file `export_path` (already complete: its SHA-256 is taken).
  Result<std::string> Finish(const std::string& export_path, const std::string& proofs_path);
  // The same for an export held in memory (`export_text`, to be saved as `export_name`): returns the
  // signed manifest and sets *proofs to the proofs file's text (to be saved as `proofs_name`, beside
  // the manifest).
  Result<std::string> FinishInMemory(std::string_view export_text, const std::string& export_name,
                                     const std::string& proofs_name, std::string* proofs);

 private:
  // Publishes the checkpoint and writes each row's leaf and proof line to `out`; then signs the
  // manifest of the files named and hashed.
  Result<store::StoredCheckpoint> WriteProofs(std::ostream& out);
  Result<std::string> Sign(const store::StoredCheckpoint& checkpoint, const std::string& export_name,
                           const std::string& export_sha, const std::string& proofs_name,
                           const std::string& proofs_sha);
  struct Exported {
    std::string user_id, id, content_sha256;
    int64_t version = 0;
  };
  store::Store& store_;
  LogCheckpoints& checkpoints_;
  const ExportScope scope_;
  std::vector<Exported> rows_;
  int64_t from_ticks_ = 0, to_ticks_ = 0;
};

// What an export of `tenant_id` reads: by the export rules (policy/directory_policy.h), the
// whole tenant's (`user` empty) or one user's (`user`: an object id or a UPN); with `all`, everything
// stored (a full backup). kNotFound naming an unknown user; kForbidden when the rules exclude the user.
Result<store::PageQuery> ExportQuery(store::Store& store, const std::string& tenant_id, const std::string& user,
                                     bool all);

struct ExportVerification {
  uint64_t lines = 0;
  uint64_t checkpoint_size = 0;
  std::string tenant_id;
};

// Checks the export `export_path` against the signed manifest `manifest_path` and its proofs file
// (`proofs_path`; empty: the manifest's proofs name, beside the manifest) with `verifier_key`.
// kBadRequest naming the first thing that does not verify (the line, for a line).
Result<ExportVerification> VerifyExport(const std::string& verifier_key, const std::string& manifest_path,
                                        const std::string& export_path, const std::string& proofs_path = "");

}  // namespace aih::api
