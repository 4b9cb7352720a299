// `aihistory verify`: the proofs of the verifiable log (api/log_audit.h, docs/integrity.md).
//
// On a store (--store, --tenant: one tenant, or every tenant with a log): holds every interaction
// row against its log and the log against its newest signed checkpoint, and names each item altered,
// removed or added outside aihistory. Safe on a store a server is serving: it only reads.
// Offline (--key, two --checkpoint files, --proof): checks that the newer checkpoint extends the older;
// (--key, --manifest, --export): checks an export against its signed manifest and inclusion proofs.
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/export_manifest.h"
#include "api/log_audit.h"
#include "cli/commands.h"
#include "cli/input_file.h"
#include "store/store.h"

namespace aih::cli {
namespace {

int VerifyConsistency(const VerifyOptions& o) {
  if (o.checkpoints.size() != 2 || o.key.empty() || o.proof.empty()) {
    std::cerr << "aihistory verify: checking two checkpoints needs --key, --checkpoint OLDER --checkpoint NEWER and "
                 "--proof (the consistency route's JSON)\n";
    return kUsageExitCode;
  }
  auto older = ReadInput(o.checkpoints[0]);
  auto newer = ReadInput(o.checkpoints[1]);
  auto proof_json = ReadInput(o.proof);
  for (auto* r : {&older, &newer, &proof_json}) {
    if (!r->ok()) {
      std::cerr << "aihistory verify: " << r->status().message() << "\n";
      return 2;
    }
  }
  auto proof = api::ParseProofJson(*proof_json);
  if (!proof.ok()) {
    std::cerr << "aihistory verify: " << o.proof << ": " << proof.status().message() << "\n";
    return 2;
  }
  Status s = api::VerifyCheckpointConsistency(o.key, *older, *newer, *proof);
  if (!s.ok()) {
    std::cerr << "aihistory verify: FAILED: " << s.message() << "\n";
    return 1;
  }
  std::cout << "aihistory verify: " << o.checkpoints[1] << " extends " << o.checkpoints[0] << "\n";
  return 0;
}

}  // namespace

int VerifyExportFile(const VerifyOptions& o) {
  if (o.key.empty() || o.export_file.empty()) {
    std::cerr << "aihistory verify: checking an export needs --key, --manifest and --export\n";
    return kUsageExitCode;
  }
  auto verified = api::VerifyExport(o.key, o.manifest, o.export_file);
  if (!verified.ok()) {
    const bool unreadable = verified.status().code() == Code::kNotFound;
    std::cerr << "aihistory verify: " << (unreadable ? "" : "FAILED: ") << verified.status().message() << "\n";
    return unreadable ? 2 : 1;
  }
  std::cout << "aihistory verify: " << o.export_file << " verified: " << verified->lines
            << " interactions, each in the log of tenant " << verified->tenant_id << " at its signed checkpoint of size "
            << verified->checkpoint_size << "\n";
  return 0;
}

int RunVerify(const VerifyOptions& o) {
  if (!o.manifest.empty() || !o.export_file.empty()) return VerifyExportFile(o);
  if (!o.checkpoints.empty() || !o.key.empty() || !o.proof.empty()) return VerifyConsistency(o);
  auto store = store::OpenStore(o.store, store::OpenMode::kMustExist);
  if (!store.ok()) {
    std::cerr << "aihistory verify: " << store.status().message() << "\n";
    return 2;
  }
  // A store older than its log: its rows are logged first, once (log_store.h AdoptPending).
  if (Status adopted = (*store)->log().AdoptPending(); !adopted.ok()) {
    std::cerr << "aihistory verify: " << adopted.message() << "\n";
    return 2;
  }
  std::vector<std::string> tenants;
  if (!o.tenant_id.empty()) {
    // A mistyped tenant would otherwise "match" its empty log.
    auto tenant = (*store)->directory().GetTenant(o.tenant_id);
    if (!tenant.ok()) {
      std::cerr << "aihistory verify: "
                << (tenant.status().code() == Code::kNotFound
                        ? "the store " + o.store + " has no tenant " + o.tenant_id + " (`aihistory admin tenant list` lists them)"
                        : tenant.status().message())
                << "\n";
      return 2;
    }
    tenants.push_back(o.tenant_id);
  } else {
    auto all = (*store)->log().Tenants();
    if (!all.ok()) {
      std::cerr << "aihistory verify: " << all.status().message() << "\n";
      return 2;
    }
    tenants = std::move(*all);
  }
  if (tenants.empty()) std::cout << "aihistory verify: no tenant of " << o.store << " has a log yet\n";
  int failed = 0;
  for (const std::string& tenant : tenants) {
    auto report = api::AuditLog(**store, tenant);
    if (!report.ok()) {
      std::cerr << "aihistory verify: cannot verify tenant " << tenant << ": " << report.status().message() << "\n";
      return 2;
    }
    if (!report->problems.empty()) {
      ++failed;
      std::cerr << "aihistory verify: tenant " << tenant << " FAILED (" << report->problems.size() << " problem"
                << (report->problems.size() == 1 ? "" : "s") << "):\n";
      for (const std::string& problem : report->problems) std::cerr << "  " << problem << "\n";
      continue;
    }
    std::cout << "aihistory verify: tenant " << tenant << " matches its log: " << report->items << " interactions, "
              << report->leaves << " leaves";
    if (report->checkpoint_size > 0) {
      std::cout << ", consistent with its signed checkpoint of size " << report->checkpoint_size;
    } else {
      std::cout << " (no signed checkpoint yet)";
    }
    std::cout << "\n";
  }
  return failed ? 1 : 0;
}

}  // namespace aih::cli
