// Space comes back (issue #15): a new SQLite store frees the pages of deleted rows (auto_vacuum=
// INCREMENTAL and Store::ReclaimSpace, which also merges the full-text index's segments so that the
// deleted terms' tombstones go), so deleting the older half of its interactions shrinks the file by
// at least 40%. What stays is by design: the verifiable log keeps a leaf for every stored and every
// deleted version (docs/integrity.md; slim: integer keys, the ids once per item), an erasure record
// per deleted item and the `deleted` changes.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {


// `n` interactions of `user`, created one millisecond apart from `first_ms` on.
void Write(store::Store& s, const std::string& user, int n, int64_t first_ms) {
  std::vector<store::ItemToWrite> items;
  for (int i = 0; i < n; ++i) {
    model::Interaction in;
    in.id = user + "-" + std::to_string(i);
    in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
    in.created = model::Timestamp::FromUnixMillis(first_ms + i);
    in.body = model::Body{"text", std::string(400, 'a' + i % 26)};
    items.push_back(store::PrepareItem("tenant", user, in));
    if (items.size() == 500 || i == n - 1) {
      std::vector<store::ItemOutcome> out;
      ASSERT_TRUE(s.interactions().Write(items, &out).ok());
      items.clear();
    }
  }
}

TEST(SpaceTest, DeletingTheOlderHalfOfTheInteractionsShrinksANewSqliteStoreBy40Percent) {
  const std::string location = NewStoreLocation("sqlite", "aih-space");
  const int kPerUser = 10'000;
  {
    auto s = store::OpenStore(location);
    ASSERT_TRUE(s.ok()) << s.status().message();
    // Two users, one after the other, the first one's interactions all older: deleting them is
    // deleting the older half (what retention does), and frees whole pages of the rows and of every
    // index, the tenant-wide ones in time order too.
    Write(**s, "old", kPerUser, 1'767'225'600'000);
    Write(**s, "new", kPerUser, 1'767'225'600'000 + kPerUser);
  }  // closing checkpoints the log into the file
  const auto before = store::sqlite::StoreFileBytes(location);
  ASSERT_TRUE(before.ok()) << before.status().message();
  {
    auto s = store::OpenStore(location);
    ASSERT_TRUE(s.ok());
    auto deleted = (*s)->interactions().Delete(store::Deletion::User("tenant", "old"));
    ASSERT_TRUE(deleted.ok());
    EXPECT_EQ(deleted->deleted, kPerUser);
    int64_t freed = 0;
    for (int step = 0; step < 10'000; ++step) {
      auto pages = (*s)->ReclaimSpace(256);
      ASSERT_TRUE(pages.ok()) << pages.status().message();
      if (*pages == 0) break;
      freed += *pages;
    }
    EXPECT_GT(freed, 0);
  }
  const auto after = store::sqlite::StoreFileBytes(location);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_LE(*after, *before * 6 / 10) << "before " << *before << " bytes, after " << *after;
  RemoveStoreLocation(location);
}

}  // namespace
}  // namespace aih::testing
