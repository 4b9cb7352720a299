// Space comes back: a new SQLite store frees the pages of deleted rows (auto_vacuum=INCREMENTAL and
// Store::ReclaimSpace), so deleting half of its interactions shrinks the file.
// Not by half: the verifiable log keeps a leaf for every stored and every deleted version (by design:
// docs/integrity.md), and FTS5 keeps the deleted terms' tombstones until it merges its segments. With
// these 400-byte interactions that is about a third of the file: deleting half shrank it by 30%
// (32.9 to 23.0 MB). Issue #15 asks for 40% on 1,000,000 interactions; that is not met yet.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/store.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

int64_t FileBytes(const std::string& directory) {
  int64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto size = std::filesystem::file_size(directory + "/aihistory.db" + suffix, ec);
    if (!ec) total += static_cast<int64_t>(size);
  }
  return total;
}

void Write(store::Store& s, const std::string& user, int n) {
  std::vector<store::ItemToWrite> items;
  for (int i = 0; i < n; ++i) {
    model::Interaction in;
    in.id = user + "-" + std::to_string(i);
    in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
    in.created = model::Timestamp::FromUnixMillis(1'767'225'600'000 + i);
    in.body = model::Body{"text", std::string(400, 'a' + i % 26)};
    items.push_back(store::PrepareItem("tenant", user, in));
    if (items.size() == 500 || i == n - 1) {
      std::vector<store::ItemOutcome> out;
      ASSERT_TRUE(s.interactions().Write(items, &out).ok());
      items.clear();
    }
  }
}

TEST(SpaceTest, DeletingHalfOfTheInteractionsShrinksANewSqliteStoreByAQuarter) {
  const std::string location = NewStoreLocation("sqlite", "aih-space");
  const int kPerUser = 10'000;
  {
    auto s = store::OpenStore(location);
    ASSERT_TRUE(s.ok()) << s.status().message();
    // Two users, one after the other: deleting one frees whole pages, as deleting the older half does.
    Write(**s, "old", kPerUser);
    Write(**s, "new", kPerUser);
  }  // closing checkpoints the log into the file
  const int64_t before = FileBytes(location);
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
  const int64_t after = FileBytes(location);
  EXPECT_LE(after, before * 3 / 4) << "before " << before << " bytes, after " << after;
  RemoveStoreLocation(location);
}

}  // namespace
}  // namespace aih::testing
