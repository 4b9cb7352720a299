// The subcommands of `aihistory`. main.cc (the only file that includes CLI11, a heavy header)
// declares their options; each Run* lives in its own file and returns the process exit code.
#pragma once

#include <cstdint>
#include <string>

namespace aih::cli {

// Where the data lives: a directory (SQLite) or a postgresql:// URL.
inline constexpr const char* kDefaultStore = "./data";

struct ImportOptions {
  std::string store = kDefaultStore;
  std::string file;         // NDJSON or a JSON array; "-" for standard input
  std::string tenant_id;
  std::string user_id;      // default owner for items without "@aihistory.userId"
  int batch_size = 1000;
};
int RunImport(const ImportOptions& options);

struct ExportOptions {
  std::string store = kDefaultStore;
  std::string tenant_id;
  std::string user_id;      // empty: the whole tenant
  std::string out = "-";    // NDJSON file; "-" for standard output
};
int RunExport(const ExportOptions& options);

struct SeedOptions {
  std::string store = kDefaultStore;
  std::string tenant_id = "00000000-0000-4000-8000-000000000001";
  std::string domain = "contoso.example";
  int users = 20;
  int interactions_per_user = 200;
  uint64_t seed = 42;
};
int RunSeed(const SeedOptions& options);

}  // namespace aih::cli
