// `aihistory check`: the full integrity check of a store, on demand (store.h: CheckStore). Safe on a
// store that a server is serving: it only reads.
#include <iostream>

#include "cli/commands.h"
#include "store/store.h"

namespace aih::cli {

int RunCheck(const CheckOptions& o) {
  auto report = store::CheckStore(o.store);
  if (!report.ok()) {
    std::cerr << "aihistory check: cannot check " << o.store << ": " << report.status().message() << "\n";
    return 2;
  }
  for (const std::string& note : report->notes) std::cout << "aihistory check: note: " << note << "\n";
  if (!report->problems.empty()) {
    std::cerr << "aihistory check: " << o.store << " FAILED the check (" << report->problems.size() << " problem"
              << (report->problems.size() == 1 ? "" : "s") << "):\n";
    for (const std::string& problem : report->problems) std::cerr << "  " << problem << "\n";
    std::cerr << "aihistory check: if this is the store you meant, it is damaged: do not serve it, restore it "
                 "from a backup\n";
    return 1;
  }
  std::cout << "aihistory check: " << o.store << " is sound (schema version " << report->schema_version << "; checked ";
  for (size_t i = 0; i < report->checked.size(); ++i) std::cout << (i ? "; " : "") << report->checked[i];
  std::cout << ")\n";
  return 0;
}

}  // namespace aih::cli
