// OpenMode::kMustExist (store/store.h): a location without a store is kNotFound naming it, and
// nothing is created there; once a store exists it opens as usual. On both engines.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/store.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

class OpenModeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OpenModeTest, MustExistRefusesAnEmptyLocationAndCreatesNothing) {
  const std::string location = NewStoreLocation(GetParam(), "aih-open-mode");
  ASSERT_FALSE(location.empty());
  struct Cleanup {
    const std::string& location;
    ~Cleanup() { RemoveStoreLocation(location); }
  } cleanup{location};
  for (int attempt = 0; attempt < 2; ++attempt) {  // the first refusal left nothing behind
    auto refused = store::OpenStore(location, store::OpenMode::kMustExist);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kNotFound) << refused.status().message();
    EXPECT_NE(refused.status().message().find("no aihistory store"), std::string::npos) << refused.status().message();
  }
  if (!IsPostgresLocation(location)) {
    const std::string nested = location + "/typo";
    auto refused = store::OpenStore(nested, store::OpenMode::kMustExist);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.status().message().find(nested), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(nested));
    EXPECT_FALSE(std::filesystem::exists(location + "/aihistory.db"));
  }
  {
    auto created = store::OpenStore(location, store::OpenMode::kCreate);
    ASSERT_TRUE(created.ok()) << created.status().message();
    ASSERT_TRUE((*created)->directory().CreateTenant(store::Tenant{"00000000-0000-4000-8000-0000000000aa", "A"}).ok());
  }
  auto existing = store::OpenStore(location, store::OpenMode::kMustExist);
  ASSERT_TRUE(existing.ok()) << existing.status().message();
  EXPECT_TRUE((*existing)->directory().GetTenant("00000000-0000-4000-8000-0000000000aa").ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, OpenModeTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
