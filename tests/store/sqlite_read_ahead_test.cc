// SQLite-specific: the next export page is read ahead (store/sqlite/read_ahead.h), and what a
// client pages through is exactly what it would have read without it.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_interactions.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

const char* kTenant = "tenant-a";

store::ItemToWrite Item(const std::string& user, const std::string& id, int64_t ms) {
  model::Interaction in;
  in.id = id;
  in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
  in.interaction_type = model::InteractionType::kUserPrompt;
  in.created = model::Timestamp::FromUnixMillis(ms);
  in.body = model::Body{"text", "hello " + id};
  return store::PrepareItem(kTenant, user, in);
}

// One page as the export reads it: top + 1 rows asked, the extra one only says there is more.
struct Page {
  std::vector<std::string> ids;
  std::optional<odata::CursorPosition> next;  // set when there is a next page
};

class ReadAheadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenFreshStore("sqlite", &location_, "aih-read-ahead");
    ASSERT_NE(store_, nullptr);
    interactions_ = dynamic_cast<store::sqlite::SqliteInteractions*>(&store_->interactions());
    ASSERT_NE(interactions_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    RemoveStoreLocation(location_);
  }

  void Write(std::vector<store::ItemToWrite> items) {
    std::vector<store::ItemOutcome> out;
    Status status = store_->interactions().Write(items, &out);
    ASSERT_TRUE(status.ok()) << status.message();
  }

  // Users u1 and u2 with `n` items each, ids "<user>-<i>" created at i * 10 ms.
  void WriteHistory(int n) {
    std::vector<store::ItemToWrite> items;
    for (int i = 0; i < n; ++i) {
      for (const char* user : {"u1", "u2"}) items.push_back(Item(user, std::string(user) + "-" + std::to_string(i), i * 10));
    }
    Write(std::move(items));
  }

  Page Read(const std::string& user, int top, const std::optional<odata::CursorPosition>& after) {
    store::PageQuery query;
    query.tenant_id = kTenant;
    query.user_id = user;
    query.limit = top + 1;
    query.after = after;
    Page page;
    odata::CursorPosition last;
    Status status = store_->interactions().Page(query, [&](const store::PageRow& row) {
      if (static_cast<int>(page.ids.size()) == top) {
        page.next = last;
        return false;
      }
      page.ids.emplace_back(row.id);
      last = odata::CursorPosition{row.ticks, std::string(row.id), std::string(row.user_id)};
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return page;
  }

  std::unique_ptr<store::Store> store_;
  std::string location_;
  store::sqlite::SqliteInteractions* interactions_ = nullptr;
};

// Newest first: "<user>-<n-1>" ... "<user>-0".
std::vector<std::string> Expected(const std::string& user, int n) {
  std::vector<std::string> ids;
  for (int i = n - 1; i >= 0; --i) ids.push_back(user + "-" + std::to_string(i));
  return ids;
}

TEST_F(ReadAheadTest, TwoClientsPagingAtOnceEachGetEveryRowOnceInOrder) {
  WriteHistory(1234);
  std::vector<std::string> seen[2];
  std::optional<odata::CursorPosition> after[2];
  bool finished[2] = {false, false};
  const std::string users[2] = {"u1", "u2"};
  while (!finished[0] || !finished[1]) {
    for (int c = 0; c < 2; ++c) {
      if (finished[c]) continue;
      Page page = Read(users[c], 200, after[c]);
      seen[c].insert(seen[c].end(), page.ids.begin(), page.ids.end());
      after[c] = page.next;
      finished[c] = !page.next;
      interactions_->read_ahead().WaitUntilIdle();  // so that the next page finds its read begun
    }
  }
  EXPECT_EQ(seen[0], Expected("u1", 1234));
  EXPECT_EQ(seen[1], Expected("u2", 1234));
  auto counts = interactions_->read_ahead().counts();
  // Pages 2-6 of each client (page 7 is the last) start a read; pages 3-7 claim theirs.
  EXPECT_EQ(counts.started, 10);
  EXPECT_EQ(counts.claimed, 10);
  EXPECT_EQ(counts.stale, 0);
  EXPECT_EQ(counts.dropped, 0);
}

// No waiting between pages, while another connection commits all the time: claims race with reads
// still under way and with reads abandoning themselves as stale. Every page but the last is still
// full, and the pages together are the history exactly once.
TEST_F(ReadAheadTest, PagesStayWholeWhileWritesCommitDuringThePaging) {
  WriteHistory(15000);
  std::atomic<bool> paging{true};
  std::thread writer([&] {
    // Newer than anything paged: they belong on a first page, never on the pages that follow.
    for (int i = 0; paging; ++i) {
      Write({Item("u1", "new-" + std::to_string(i), 1'000'000 + i)});
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // some reads are claimed, some not
    }
  });
  std::vector<std::string> seen;
  // A cursor just above the history's newest item (u1-14999), wherever the writer has got to.
  std::optional<odata::CursorPosition> after =
      odata::CursorPosition{model::Timestamp::FromUnixMillis(149990).ticks + 1, "", "u1"};
  int pages = 0;
  for (;;) {
    Page page = Read("u1", 3000, after);
    ++pages;
    seen.insert(seen.end(), page.ids.begin(), page.ids.end());
    if (!page.next) break;
    EXPECT_EQ(page.ids.size(), 3000u) << "page " << pages << " is short but has a next page";
    after = page.next;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the client's round trip
  }
  paging = false;
  writer.join();
  EXPECT_EQ(seen, Expected("u1", 15000));
  auto counts = interactions_->read_ahead().counts();
  EXPECT_EQ(counts.started, 4);  // pages 1-4 of the 5 continue a cursor and stop with more to come
  EXPECT_LE(counts.claimed + counts.stale + counts.dropped, counts.started);
}

TEST_F(ReadAheadTest, AnItemWrittenBetweenTwoPagesIsInTheNextOne) {
  WriteHistory(1000);
  Page first = Read("u1", 200, std::nullopt);
  Page second = Read("u1", 200, first.next);  // continues a cursor: page 3 is read ahead
  interactions_->read_ahead().WaitUntilIdle();
  ASSERT_EQ(interactions_->read_ahead().counts().started, 1);
  // Acknowledged before page 3 is asked for, and created within its range: after u1-600 (6.000 s)
  // and before u1-599 (5.990 s).
  Write({Item("u1", "late", 5995)});
  Page third = Read("u1", 200, second.next);
  EXPECT_EQ(interactions_->read_ahead().counts().claimed, 0);
  EXPECT_EQ(interactions_->read_ahead().counts().stale, 1);
  ASSERT_EQ(third.ids.size(), 200u);
  EXPECT_EQ(third.ids[0], "late");
  EXPECT_EQ(third.ids[1], "u1-599");
  EXPECT_EQ(third.ids[199], "u1-401");
}

TEST_F(ReadAheadTest, APageAskedForDifferentlyIsReadAfresh) {
  WriteHistory(1000);
  Page first = Read("u1", 200, std::nullopt);
  Page second = Read("u1", 200, first.next);
  interactions_->read_ahead().WaitUntilIdle();
  Page other_size = Read("u1", 150, second.next);  // not the query read ahead: its LIMIT differs
  EXPECT_EQ(interactions_->read_ahead().counts().claimed, 0);
  std::vector<std::string> expected = Expected("u1", 1000);
  EXPECT_EQ(other_size.ids, std::vector<std::string>(expected.begin() + 400, expected.begin() + 550));
  // The read no client claimed is still there for the query it was made for.
  Page third = Read("u1", 200, second.next);
  EXPECT_EQ(interactions_->read_ahead().counts().claimed, 1);
  EXPECT_EQ(third.ids, std::vector<std::string>(expected.begin() + 400, expected.begin() + 600));
}

TEST_F(ReadAheadTest, AClientThatStopsEarlyGetsExactlyWhatItTook) {
  WriteHistory(1000);
  Page first = Read("u1", 200, std::nullopt);
  Page second = Read("u1", 200, first.next);
  interactions_->read_ahead().WaitUntilIdle();
  store::PageQuery query;
  query.tenant_id = kTenant;
  query.user_id = "u1";
  query.limit = 201;
  query.after = second.next;
  std::vector<std::string> taken;
  ASSERT_TRUE(store_->interactions().Page(query, [&](const store::PageRow& row) {
    taken.emplace_back(row.id);
    return taken.size() < 5;  // a failure on the fifth row, say
  }).ok());
  EXPECT_EQ(taken, std::vector<std::string>({"u1-599", "u1-598", "u1-597", "u1-596", "u1-595"}));
  EXPECT_EQ(interactions_->read_ahead().counts().claimed, 1);
  // Stopping early still starts the read of what would follow: harmless, and it stays one read.
  interactions_->read_ahead().WaitUntilIdle();
  EXPECT_EQ(interactions_->read_ahead().counts().started, 2);
}

TEST_F(ReadAheadTest, FirstAndSmallPagesAreNotReadAhead) {
  WriteHistory(1000);
  Page first = Read("u1", 200, std::nullopt);  // the first page: the client may never ask for more
  Page small = Read("u1", 50, first.next);     // too small to be worth a hand-off
  interactions_->read_ahead().WaitUntilIdle();
  EXPECT_EQ(interactions_->read_ahead().counts().started, 0);
  EXPECT_EQ(small.ids.size(), 50u);
}

}  // namespace
}  // namespace aih::testing
