#include "store_fixture.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace aih::testing {

std::vector<std::string> StoreEngines() {
  std::vector<std::string> engines = {"sqlite"};
  const char* pg = std::getenv("AIH_TEST_POSTGRES_URL");
  if (pg && *pg) engines.push_back("postgresql");
  return engines;
}

std::unique_ptr<store::Store> OpenFreshStore(const std::string& engine) {
  std::string location;
  if (engine == "sqlite") {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aih-store-XXXXXX").string();
    char* dir = mkdtemp(tmpl.data());
    if (!dir) return nullptr;
    location = dir;
  } else {
    // A new database per test on the shared server: "<url>" names the server; the engine's own
    // test hook creates a uniquely named database (see store/postgres when it exists).
    location = std::string(std::getenv("AIH_TEST_POSTGRES_URL"));
  }
  auto store = store::OpenStore(location);
  if (!store.ok()) {
    ADD_FAILURE() << "cannot open a " << engine << " store: " << store.status().message();
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace aih::testing
