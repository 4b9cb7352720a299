// SQLite-specific: the schema is versioned and reopening keeps everything.
#include <gtest/gtest.h>

#include "store/sqlite/schema.h"
#include "store/store.h"
#include "store_fixture.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

TEST(SqliteStore, ReopensAtLatestSchemaWithDataKept) {
  const std::string dir = NewStoreLocation("sqlite", "aih-reopen");
  ASSERT_FALSE(dir.empty());
  struct Cleanup {
    const std::string& dir;
    ~Cleanup() { RemoveStoreLocation(dir); }  // on a failed assertion too
  } cleanup{dir};
  {
    auto s = store::OpenStore(dir);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(*(*s)->SchemaVersion(), store::sqlite::LatestSchemaVersion());
    model::Interaction in;
    in.id = "1";
    in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
    in.created = model::Timestamp::FromUnixMillis(5);
    std::vector<store::ItemOutcome> out;
    ASSERT_TRUE((*s)->interactions().Write({store::PrepareItem("t", "u", in)}, &out).ok());
  }
  {
    auto s = store::OpenStore("sqlite:" + dir);
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE((*s)->interactions().Get("t", "u", "1").ok());
  }
}

TEST(SqliteStore, UnwritableDirectoryIsAClearError) {
  auto s = store::OpenStore("/proc/aihistory-cannot-be-here");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("/proc/aihistory-cannot-be-here"), std::string::npos);
}

}  // namespace
}  // namespace aih::testing
