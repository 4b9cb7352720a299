// `aihistory export`: stream one user's or a whole tenant's interactions to NDJSON, newest first.
// Each line is the stored canonical JSON with "@aihistory.userId" in front, so the output can be
// imported again as it is. Memory stays bounded: the store is read in keyset pages.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "model/interaction_writer.h"
#include "store/store.h"

namespace aih::cli {

int RunExport(const ExportOptions& o) {
  auto store = store::OpenStore(o.store);
  if (!store.ok()) {
    std::cerr << "aihistory export: " << store.status().message() << "\n";
    return 2;
  }
  FILE* out = o.out == "-" ? stdout : std::fopen(o.out.c_str(), "wb");
  if (!out) {
    std::cerr << "aihistory export: cannot write " << o.out << "\n";
    return 2;
  }
  store::PageQuery query;
  query.tenant_id = o.tenant_id;
  query.user_id = o.user_id;
  query.limit = 1000;
  uint64_t written = 0;
  std::string line;
  for (;;) {
    int rows = 0;
    odata::CursorPosition last;
    Status s = (*store)->interactions().Page(query, [&](const store::PageRow& row) {
      line = model::PrependAnnotation(row.json, "@aihistory.userId", row.user_id);
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), out);
      last = {row.ticks, std::string(row.id), std::string(row.user_id)};
      ++rows;
      return true;
    });
    if (!s.ok()) {
      std::cerr << "aihistory export: " << s.message() << "\n";
      return 2;
    }
    written += static_cast<uint64_t>(rows);
    if (rows < query.limit) break;
    query.after = std::move(last);
  }
  if (std::fflush(out) != 0 || (out != stdout && std::fclose(out) != 0)) {
    std::cerr << "aihistory export: writing " << o.out << " failed\n";
    return 2;
  }
  std::fprintf(stderr, "exported %llu interactions\n", static_cast<unsigned long long>(written));
  return 0;
}

}  // namespace aih::cli
