// `aihistory import FILE`: load interactions from NDJSON or a JSON array into the store, in durable
// batches, through the write pipeline of the HTTP write path (ingest/pipeline.h), as an operator.
// Refused items are reported with their line (NDJSON) or index (array) and the reason; the exit
// code is 1 if any item was refused, or if an item erased before was stored again (a warning names it).
// The directory decides as for a writer (policy/access_policy.h CheckItem): the appClass must be a
// registered source of the tenant and the owner a work account of it; only the writer-app check is
// skipped, since whoever runs import holds the database itself.
// NDJSON may start with a tenant's directory (cli/tenant_directory.h, what `aihistory export
// --with-directory` writes): it is restored first, creating the store and the tenant if needed, so that
// an export moves a tenant to a new store. Without it the store and the tenant must already exist.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/tenant_directory.h"
#include "directory/identifiers.h"
#include "ingest/pipeline.h"
#include "model/timestamp.h"
#include "policy/directory_policy.h"
#include "store/store.h"

namespace aih::cli {
namespace {

struct Totals {
  uint64_t stored = 0, updated = 0, unchanged = 0, refused = 0;
  uint64_t erased_returned = 0;  // stored again although erased before (store/erasure_log.h)
};

// Tells the operator of each newly stored item that had been erased (the right to erasure, or an
// admin delete): a re-import or a restored export must not bring erased data back unnoticed. The
// item is stored (the operator may have a lawful reason); the warning names it, when it was erased and
// whether its content is the same, so that it can be erased again (`aihistory admin interactions erase`).
Status FlagErasedItems(store::Store& store, const std::string& tenant_id, const ingest::IngestResult& ingested,
                       bool ndjson, uint64_t first_line, Totals* totals) {
  std::vector<store::UserItemKey> keys;
  for (const ingest::ItemReport& item : ingested.items) {
    if (item.status.ok() && item.outcome.result == store::WriteResult::kStored) keys.push_back({item.user_id, item.id});
  }
  if (keys.empty()) return Status::Ok();
  auto erased = store.erasures().Find(tenant_id, keys);
  if (!erased.ok()) return erased.status();
  for (const store::Erasure& e : *erased) {
    for (size_t i = 0; i < ingested.items.size(); ++i) {
      const ingest::ItemReport& item = ingested.items[i];
      if (item.user_id != e.user_id || item.id != e.id) continue;
      std::string where = ndjson ? "line " + std::to_string(first_line + i) : "item " + std::to_string(i);
      std::cerr << "warning: " << where << ": interaction '" << e.id << "' of user " << e.user_id << " was erased on "
                << model::Timestamp::FromUnixMillis(e.erased_ms).ToString() << " (" << e.reason << " by " << e.actor
                << ") and is stored again; erase it again unless that is lawful\n";
      ++totals->erased_returned;
      break;
    }
  }
  return Status::Ok();
}

// Validates and writes one chunk; `first_line` numbers the chunk's first item for messages.
Status ImportChunk(store::Store& store, const ImportOptions& o, std::string_view chunk, bool ndjson,
                   uint64_t first_line, Totals* totals) {
  model::ReaderLimits limits;
  limits.max_items = SIZE_MAX;
  auto batch = model::ReadBatch(chunk, ndjson, limits);
  if (!batch.ok()) {
    if (batch.status().message() == "the batch has no items") return Status::Ok();
    return batch.status().WithContext(ndjson ? "lines from " + std::to_string(first_line) : "the file");
  }
  policy::DirectoryPolicy policy(store.directory());
  ingest::Attribution owner{o.user_id, /*binding=*/false,
                            "the item names no owner: add \"@aihistory.userId\" or pass --user"};
  // A directory that cannot be read stops the import; a refusal only skips the item.
  auto ingested = ingest::Ingest(store.interactions(), policy, ingest::Writer::Operator(o.tenant_id), owner,
                                 std::move(batch->items));
  if (!ingested.ok()) return ingested.status();
  for (size_t i = 0; i < ingested->items.size(); ++i) {
    const Status& s = ingested->items[i].status;
    if (s.ok()) continue;
    std::string where = ndjson ? "line " + std::to_string(first_line + i) : "item " + std::to_string(i);
    std::cerr << "refused " << where << ": " << s.message() << "\n";
  }
  totals->stored += ingested->stored;
  totals->updated += ingested->updated;
  totals->unchanged += ingested->unchanged;
  totals->refused += ingested->refused;
  return FlagErasedItems(store, o.tenant_id, *ingested, ndjson, first_line, totals);
}

}  // namespace

int RunImport(const ImportOptions& options) {
  ImportOptions o = options;
  auto canonical = directory::CanonicalGuid(o.tenant_id, "--tenant");
  if (!canonical.ok()) {
    std::cerr << "aihistory import: " << canonical.status().message() << "\n";
    return 2;
  }
  o.tenant_id = *canonical;
  std::ifstream file;
  std::istream* in = &std::cin;
  uint64_t total_bytes = 0;
  if (o.file != "-") {
    file.open(o.file, std::ios::binary);
    if (!file) {
      std::cerr << "aihistory import: cannot open " << o.file << "\n";
      return 2;
    }
    struct stat st{};
    if (stat(o.file.c_str(), &st) == 0) total_bytes = static_cast<uint64_t>(st.st_size);
    in = &file;
  }
  // A JSON array (first non-space byte '[') is read whole; anything else is NDJSON, streamed in
  // batches of lines.
  int first = EOF;
  while ((first = in->peek()) != EOF && std::isspace(first)) in->get();
  // A leading directory: its records, up to the first interaction (kept in `pending`).
  TenantDirectory directory;
  bool has_directory = false, has_pending = false;
  std::string pending;
  uint64_t directory_lines = 0, directory_bytes = 0;
  if (first != '[') {
    while (std::getline(*in, pending)) {
      ++directory_lines;
      directory_bytes += pending.size() + 1;
      if (pending.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (!IsDirectoryRecord(pending)) {
        has_pending = true;
        --directory_lines;
        directory_bytes -= pending.size() + 1;
        break;
      }
      Status s = ReadDirectoryRecord(pending, "line " + std::to_string(directory_lines), &directory);
      if (!s.ok()) {
        std::cerr << "aihistory import: " << s.message() << "\n";
        return 1;
      }
      has_directory = true;
    }
  }
  if (has_directory && directory.tenant.id != o.tenant_id) {
    std::cerr << "aihistory import: the file carries the directory of tenant " << directory.tenant.id
              << ", not of --tenant " << o.tenant_id << "\n";
    return 1;
  }
  // Only a file that brings its tenant's directory may start a store.
  auto store = store::OpenStore(o.store, has_directory ? store::OpenMode::kCreate : store::OpenMode::kMustExist);
  if (!store.ok()) {
    std::cerr << "aihistory import: " << store.status().message() << "\n";
    return 2;
  }
  if (has_directory) {
    auto restored = RestoreTenantDirectory((*store)->directory(), directory);
    if (!restored.ok()) {
      std::cerr << "aihistory import: restoring the directory: " << restored.status().message() << "\n";
      const Code code = restored.status().code();
      return code == Code::kUnavailable || code == Code::kInternal ? 2 : 1;
    }
    std::fprintf(stderr, "%s\n", restored->c_str());
  }
  auto tenant = (*store)->directory().GetTenant(o.tenant_id);
  if (!tenant.ok()) {
    std::cerr << "aihistory import: " << tenant.status().message() << "\n";
    return 2;
  }
  Totals totals;
  Progress progress("importing", total_bytes);
  Status status;
  if (first == '[') {
    std::stringstream whole;
    whole << in->rdbuf();
    status = ImportChunk(**store, o, whole.str(), /*ndjson=*/false, 0, &totals);
    progress.Update(total_bytes, totals.stored + totals.updated + totals.unchanged + totals.refused);
  } else {
    std::string chunk, line;
    uint64_t line_no = directory_lines, chunk_first = directory_lines + 1, bytes = directory_bytes;
    int lines_in_chunk = 0;
    while (status.ok() && (has_pending || std::getline(*in, line))) {
      if (has_pending) {
        line = std::move(pending);
        has_pending = false;
      }
      ++line_no;
      bytes += line.size() + 1;
      if (IsDirectoryRecord(line)) {
        status = Status::BadRequest("line " + std::to_string(line_no) + " is a directory record after interactions: "
                                    "a tenant's directory comes first");
        break;
      }
      chunk += line;
      chunk += '\n';
      if (++lines_in_chunk == o.batch_size) {
        status = ImportChunk(**store, o, chunk, true, chunk_first, &totals);
        chunk.clear();
        lines_in_chunk = 0;
        chunk_first = line_no + 1;
        progress.Update(bytes, totals.stored + totals.updated + totals.unchanged + totals.refused);
      }
    }
    if (status.ok() && !chunk.empty()) status = ImportChunk(**store, o, chunk, true, chunk_first, &totals);
    progress.Update(bytes, totals.stored + totals.updated + totals.unchanged + totals.refused);
  }
  progress.Done();
  std::fprintf(stderr, "stored %llu, updated %llu, unchanged %llu, refused %llu\n",
               static_cast<unsigned long long>(totals.stored), static_cast<unsigned long long>(totals.updated),
               static_cast<unsigned long long>(totals.unchanged), static_cast<unsigned long long>(totals.refused));
  if (!status.ok()) {
    std::cerr << "aihistory import: " << status.message() << "\n";
    return 2;
  }
  if (totals.erased_returned > 0) {
    std::fprintf(stderr, "warning: %llu imported interactions had been erased (listed above)\n",
                 static_cast<unsigned long long>(totals.erased_returned));
  }
  return totals.refused > 0 || totals.erased_returned > 0 ? 1 : 0;
}

}  // namespace aih::cli
