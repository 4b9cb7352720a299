#include "support/store_engines.h"

#include <unistd.h>

#include <filesystem>

#include "support/postgres_server.h"

namespace aih::testing {

std::vector<std::string> StoreEngines() {
  std::vector<std::string> engines = {"sqlite"};
  if (!PostgresServerUrl().empty()) engines.push_back("postgresql");
  return engines;
}

std::string EngineName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

bool IsPostgresLocation(const std::string& location) { return location.rfind("postgres", 0) == 0; }

std::string NewStoreLocation(const std::string& engine, const std::string& prefix) {
  if (engine == "sqlite") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!mkdtemp(tmpl.data())) {
      ADD_FAILURE() << "cannot create a temporary directory " << tmpl;
      return "";
    }
    return tmpl;
  }
  if (engine == "postgresql") {
    // A new schema per test on the shared server, so tests never see each other's rows.
    return CreateThrowawaySchema();
  }
  ADD_FAILURE() << "no store engine named '" << engine << "'";
  return "";
}

void RemoveStoreLocation(const std::string& location) {
  if (location.empty()) return;
  if (IsPostgresLocation(location)) {
    DropThrowawaySchema(location);
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(location, ec);
}

std::unique_ptr<store::Store> OpenFreshStore(const std::string& engine, std::string* location,
                                             const std::string& prefix) {
  const std::string where = NewStoreLocation(engine, prefix);
  if (location) *location = where;
  if (where.empty()) return nullptr;
  auto store = store::OpenStore(where);
  if (!store.ok()) {
    ADD_FAILURE() << "cannot open a " << engine << " store at " << where << ": " << store.status().message();
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace aih::testing
