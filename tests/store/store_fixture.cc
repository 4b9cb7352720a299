#include "store_fixture.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "postgres_server.h"

namespace aih::testing {

std::vector<std::string> StoreEngines() {
  std::vector<std::string> engines = {"sqlite"};
  if (!PostgresServerUrl().empty()) engines.push_back("postgresql");
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
    // A new schema per test on the shared server, so tests never see each other's rows.
    location = CreateThrowawaySchema();
    if (location.empty()) return nullptr;
  }
  auto store = store::OpenStore(location);
  if (!store.ok()) {
    ADD_FAILURE() << "cannot open a " << engine << " store: " << store.status().message();
    return nullptr;
  }
  return std::move(*store);
}

void StoreTest::TearDown() {
  store_.reset();
  DropThrowawaySchemas();
}

}  // namespace aih::testing
