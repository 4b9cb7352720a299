// `aihistory export`: stream one user's or a whole tenant's interactions to NDJSON, newest first.
// Each line is the stored canonical JSON with "@aihistory.userId" in front, so the output can be
// imported again as it is. Memory stays bounded: the store is read in keyset pages.
//
// It exports what the export API would give an exporter of the tenant, by the same policy
// (policy/directory_policy.h UserExportScope, TenantExportScope): not the sources whose export is off,
// not unlicensed users (one unlicensed or personal user is an error naming the reason). --all makes a full backup of everything stored instead. --with-directory
// starts the output with the tenant's directory (cli/tenant_directory.h), which `aihistory import`
// restores: with both, the output moves a tenant to another store. The store must exist, and so must
// the tenant and the user: a mistyped name is an error naming it, never an empty export. --search keeps
// only what a $search query finds (the eDiscovery export: docs/search.md).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "api/export_manifest.h"
#include "api/page_writer.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/tenant_directory.h"
#include "directory/identifiers.h"
#include "odata/search.h"
#include "store/store.h"

namespace aih::cli {
namespace {

// The output file as a page's sink: what the page writer offers is written at once. Once a write
// failed, every later offer says so, so that the export stops with an error.
class NdjsonSink final : public api::PageSink {
 public:
  explicit NdjsonSink(FILE* out) : out_(out) {}
  bool Offer(std::string& text) override {
    failed_ |= std::fwrite(text.data(), 1, text.size(), out_) != text.size();
    text.clear();
    return !failed_;
  }

 private:
  FILE* out_;
  bool failed_ = false;
};

int Fail(const Status& s) {
  std::cerr << "aihistory export: " << s.message() << "\n";
  return s.code() == Code::kUnavailable || s.code() == Code::kInternal ? 2 : 1;
}

}  // namespace

int RunExport(const ExportOptions& o) {
  auto store = store::OpenStore(o.store, store::OpenMode::kMustExist);
  if (!store.ok()) {
    std::cerr << "aihistory export: " << store.status().message() << "\n";
    return 2;
  }
  auto tenant_id = directory::CanonicalGuid(o.tenant_id, "--tenant");
  if (!tenant_id.ok()) return Fail(tenant_id.status());
  auto tenant = (*store)->directory().GetTenant(*tenant_id);
  if (!tenant.ok()) {
    if (tenant.status().code() != Code::kNotFound) return Fail(tenant.status());
    return Fail(Status::NotFound("the store " + o.store + " has no tenant " + *tenant_id +
                                 " (`aihistory admin tenant list` lists them)"));
  }
  if (!o.manifest.empty() && (o.out == "-" || o.with_directory)) {
    return Fail(Status::BadRequest("--manifest signs an export file of interactions: give --out FILE, without "
                                   "--with-directory"));
  }
  if (!o.manifest.empty() && !o.search.empty()) {
    return Fail(Status::BadRequest("--manifest signs a whole export (a user's or the tenant's): leave out --search"));
  }
  std::optional<odata::Search> search;
  if (!o.search.empty()) {
    auto parsed = odata::Search::Parse(o.search);
    if (!parsed.ok()) return Fail(parsed.status().WithContext("--search"));
    search = std::move(*parsed);
  }
  auto scope = api::ExportQuery(**store, *tenant_id, o.user_id, o.all);
  if (!scope.ok()) return Fail(scope.status());
  scope->search = search ? &*search : nullptr;
  SystemClock clock;
  api::LogCheckpoints checkpoints(**store, clock);
  std::optional<api::ExportManifestBuilder> manifest;
  if (!o.manifest.empty()) manifest.emplace(**store, checkpoints, api::ExportScope{*tenant_id, scope->user_id, o.all, ""});
  std::string header;
  if (o.with_directory) {
    auto directory = ReadTenantDirectory((*store)->directory(), *tenant_id);
    if (!directory.ok()) return Fail(directory.status());
    header = WriteTenantDirectory(*directory);
  }
  FILE* out = o.out == "-" ? stdout : std::fopen(o.out.c_str(), "wb");
  if (!out) {
    std::cerr << "aihistory export: cannot write " << o.out << "\n";
    return 2;
  }
  std::fwrite(header.data(), 1, header.size(), out);
  store::PageQuery query = std::move(*scope);
  query.limit = 1000;
  // On a terminal, unless the interactions themselves go to that terminal.
  Progress progress("exporting", 0, /*enabled=*/out != stdout || isatty(STDOUT_FILENO) != 1);
  NdjsonSink sink(out);
  // Every line names its user, so that `aihistory import` restores it as it is.
  api::PageWriter writer(api::PageLayout{nullptr, /*annotate_user=*/true, "", "\n"}, sink);
  for (;;) {
    const int before = writer.written();
    Status added;
    Status s = (*store)->interactions().Page(query, [&](const store::PageRow& row) {
      if (manifest) {
        added = manifest->Add(row);
        if (!added.ok()) return false;
      }
      return writer.Write(row);
    });
    if (s.ok()) s = added;
    if (s.ok()) s = writer.status();
    if (s.ok() && !writer.Flush()) s = Status::Unavailable("writing " + o.out + " failed");
    if (!s.ok()) {
      progress.Done();
      std::cerr << "aihistory export: " << s.message() << "\n";
      return 2;
    }
    const int rows = writer.written() - before;
    progress.Update(0, static_cast<uint64_t>(writer.written()));
    if (rows < query.limit) break;
    query.after = writer.last();
  }
  const auto written = static_cast<uint64_t>(writer.written());
  progress.Done();
  if (std::fflush(out) != 0 || (out != stdout && std::fclose(out) != 0)) {
    std::cerr << "aihistory export: writing " << o.out << " failed\n";
    return 2;
  }
  if (manifest) {
    const std::string proofs = o.manifest + ".proofs.ndjson";
    auto signed_manifest = manifest->Finish(o.out, proofs);
    if (!signed_manifest.ok()) return Fail(signed_manifest.status().WithContext("the manifest"));
    FILE* m = std::fopen(o.manifest.c_str(), "wb");
    if (!m || std::fwrite(signed_manifest->data(), 1, signed_manifest->size(), m) != signed_manifest->size() ||
        std::fclose(m) != 0) {
      std::cerr << "aihistory export: writing " << o.manifest << " failed\n";
      return 2;
    }
    std::fprintf(stderr, "signed manifest %s, inclusion proofs %s\n", o.manifest.c_str(), proofs.c_str());
  }
  std::fprintf(stderr, "exported %llu interactions%s%s\n", static_cast<unsigned long long>(written),
               o.with_directory ? " after the tenant's directory" : "",
               o.all ? " (a full backup: export rules not applied)" : "");
  return 0;
}

}  // namespace aih::cli
