// StoreLocation (store/store_location.h): what --store names, read in one place.
#include "store/store_location.h"

#include <gtest/gtest.h>

namespace aih::store {
namespace {

TEST(StoreLocation, OnlyAPostgresUrlIsPostgres) {
  for (const std::string url : {"postgresql://u@h:5432/db", "postgres://u:secret@h/db"}) {
    const StoreLocation at = StoreLocation::Parse(url);
    EXPECT_TRUE(at.postgres) << url;
    EXPECT_EQ(at.url, url);
    EXPECT_EQ(at.ForLog(), "postgresql") << "a URL may carry a password";
  }
  for (const std::string dir : {"postgres-data", "postgresql", "/srv/postgres://x", "data"}) {
    const StoreLocation at = StoreLocation::Parse(dir);
    EXPECT_FALSE(at.postgres) << dir;
    EXPECT_EQ(at.directory, dir);
    EXPECT_EQ(at.DatabaseFile(), dir + "/aihistory.db");
    EXPECT_EQ(at.ForLog(), dir);
  }
}

TEST(StoreLocation, SqlitePrefixNamesTheDirectory) {
  EXPECT_EQ(StoreLocation::Parse("sqlite:/var/lib/aihistory").directory, "/var/lib/aihistory");
  EXPECT_EQ(StoreLocation::Parse("sqlite:postgres://x").directory, "postgres://x");
  EXPECT_TRUE(StoreLocation::Parse("sqlite:").directory.empty());
  EXPECT_TRUE(StoreLocation::Parse("").directory.empty());
}

}  // namespace
}  // namespace aih::store
