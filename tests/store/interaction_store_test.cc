// InteractionStore behaviour, identical on every engine.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "model/interaction_reader.h"
#include "odata/filter.h"
#include "seed/synthetic_history.h"
#include "store/commit_metrics.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

using store::ItemOutcome;
using store::ItemToWrite;
using store::PageQuery;
using store::PageRow;
using store::WriteResult;

const char* kTenant = "tenant-a";

model::Interaction MakeInteraction(const std::string& id, int64_t ms, const std::string& app = "IPM.SkypeTeams.Message.Copilot.Teams") {
  model::Interaction in;
  in.id = id;
  in.app_class = app;
  in.interaction_type = model::InteractionType::kUserPrompt;
  in.created = model::Timestamp::FromUnixMillis(ms);
  in.body = model::Body{"text", "hello " + id};
  return in;
}

std::vector<ItemOutcome> WriteAll(store::Store& s, std::vector<ItemToWrite> items) {
  std::vector<ItemOutcome> out;
  Status st = s.interactions().Write(items, &out);
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

struct Row {
  std::string json, user, id;
  int64_t ticks;
};

std::vector<Row> ReadPage(store::Store& s, const PageQuery& q) {
  std::vector<Row> rows;
  Status st = s.interactions().Page(q, [&](const PageRow& r) {
    rows.push_back({std::string(r.json), std::string(r.user_id), std::string(r.id), r.ticks});
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return rows;
}

TEST_P(StoreTest, StoresUnchangedAndUpdatedWithNewEtag) {
  auto out = WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("100", 1000))});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].result, WriteResult::kStored);
  EXPECT_EQ(out[0].etag, "100");

  out = WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("100", 1000))});
  EXPECT_EQ(out[0].result, WriteResult::kUnchanged);
  EXPECT_EQ(out[0].etag, "100");

  model::Interaction changed = MakeInteraction("100", 1000);
  changed.body->content = "edited";
  out = WriteAll(store(), {store::PrepareItem(kTenant, "u1", changed)});
  EXPECT_EQ(out[0].result, WriteResult::kUpdated);
  EXPECT_EQ(out[0].etag, "100.2");

  auto json = store().interactions().Get(kTenant, "u1", "100");
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"etag\":\"100.2\""), std::string::npos) << *json;
  EXPECT_NE(json->find("edited"), std::string::npos);

  // Re-sending the edited item is unchanged at the new version.
  out = WriteAll(store(), {store::PrepareItem(kTenant, "u1", changed)});
  EXPECT_EQ(out[0].result, WriteResult::kUnchanged);
  EXPECT_EQ(out[0].etag, "100.2");
}

TEST_P(StoreTest, AnImportedItemKeepsTheVersionItsExportedEtagNames) {
  auto restored = [](const std::string& id, std::string_view etag) {
    ItemToWrite item = store::PrepareItem(kTenant, "u1", MakeInteraction(id, 1000));
    store::KeepExportedEtag(item, etag);
    return item;
  };
  auto out = WriteAll(store(), {restored("200", "200.7"), restored("201", "201"), restored("202", "202.02"),
                                restored("203", "other.5"), restored("204", "204.x"), restored("205", "204.9")});
  ASSERT_EQ(out.size(), 6u);
  const std::vector<std::string> etags = {"200.7", "201", "202", "203", "204", "205"};
  for (size_t i = 0; i < etags.size(); ++i) {
    EXPECT_EQ(out[i].result, WriteResult::kStored);
    EXPECT_EQ(out[i].etag, etags[i]);
  }
  auto json = store().interactions().Get(kTenant, "u1", "200");
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"etag\":\"200.7\""), std::string::npos) << *json;
  // The same content again is unchanged at that version; a change is the next version.
  out = WriteAll(store(), {restored("200", "200.7"), store::PrepareItem(kTenant, "u1", MakeInteraction("200", 1000))});
  EXPECT_EQ(out[0].result, WriteResult::kUnchanged);
  EXPECT_EQ(out[0].etag, "200.7");
  EXPECT_EQ(out[1].etag, "200.7");
  model::Interaction changed = MakeInteraction("200", 1000);
  changed.body->content = "edited";
  out = WriteAll(store(), {store::PrepareItem(kTenant, "u1", changed)});
  EXPECT_EQ(out[0].result, WriteResult::kUpdated);
  EXPECT_EQ(out[0].etag, "200.8");
}

TEST_P(StoreTest, AKeyTwiceInOneBatchIsWrittenInItemOrder) {
  Subscribe(store(), kTenant);  // the change feed is checked below
  model::Interaction first = MakeInteraction("dup", 1000);
  model::Interaction second = first;
  second.body->content = "second";
  auto out = WriteAll(store(), {store::PrepareItem(kTenant, "u1", first), store::PrepareItem(kTenant, "u1", first),
                                store::PrepareItem(kTenant, "u1", second), store::PrepareItem(kTenant, "u2", first)});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].result, WriteResult::kStored);
  EXPECT_EQ(out[1].result, WriteResult::kUnchanged);
  EXPECT_EQ(out[1].etag, "dup");
  EXPECT_EQ(out[2].result, WriteResult::kUpdated);
  EXPECT_EQ(out[2].etag, "dup.2");
  EXPECT_EQ(out[3].result, WriteResult::kStored);
  auto json = store().interactions().Get(kTenant, "u1", "dup");
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("second"), std::string::npos) << *json;
  EXPECT_NE(json->find("\"etag\":\"dup.2\""), std::string::npos) << *json;
  auto changes = store().changes().Peek(10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].type, store::ChangeType::kCreated);
  EXPECT_EQ((*changes)[0].user_id, "u1");
  EXPECT_EQ((*changes)[1].type, store::ChangeType::kUpdated);
  EXPECT_EQ((*changes)[2].type, store::ChangeType::kCreated);
  EXPECT_EQ((*changes)[2].user_id, "u2");
}

TEST_P(StoreTest, SameIdForDifferentUsersAndTenantsAreDistinct) {
  auto out = WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("1", 1)),
                                store::PrepareItem(kTenant, "u2", MakeInteraction("1", 1)),
                                store::PrepareItem("tenant-b", "u1", MakeInteraction("1", 1))});
  for (auto& o : out) EXPECT_EQ(o.result, WriteResult::kStored);
  PageQuery q;
  q.tenant_id = kTenant;
  EXPECT_EQ(ReadPage(store(), q).size(), 2u);
  q.tenant_id = "tenant-b";
  EXPECT_EQ(ReadPage(store(), q).size(), 1u);
  q.tenant_id = "tenant-c";
  EXPECT_TRUE(ReadPage(store(), q).empty());
}

TEST_P(StoreTest, PagesNewestFirstWithIdTieBreakAndKeyset) {
  std::vector<ItemToWrite> items;
  // Three items share one instant: ties are broken by id descending.
  for (int i = 0; i < 10; ++i) items.push_back(store::PrepareItem(kTenant, "u1", MakeInteraction("id" + std::to_string(i), i < 3 ? 5000 : 1000 + i)));
  WriteAll(store(), items);
  PageQuery q;
  q.tenant_id = kTenant;
  q.user_id = "u1";
  q.limit = 4;
  std::vector<std::string> seen;
  for (;;) {
    auto rows = ReadPage(store(), q);
    for (auto& r : rows) seen.push_back(r.id);
    if (static_cast<int>(rows.size()) < q.limit) break;
    q.after = odata::CursorPosition{rows.back().ticks, rows.back().id, rows.back().user};
  }
  std::vector<std::string> expected = {"id2", "id1", "id0", "id9", "id8", "id7", "id6", "id5", "id4", "id3"};
  EXPECT_EQ(seen, expected);

  q.ascending = true;
  q.after.reset();
  q.limit = 100;
  seen.clear();
  for (auto& r : ReadPage(store(), q)) seen.push_back(r.id);
  std::reverse(expected.begin(), expected.end());
  EXPECT_EQ(seen, expected);
}

TEST_P(StoreTest, TenantWidePagingVisitsEveryItemOnceAcrossUsersWithEqualKeys) {
  std::vector<ItemToWrite> items;
  for (int u = 0; u < 5; ++u) {
    for (int i = 0; i < 7; ++i) {
      // Same id and instant across users: only the user id tells them apart.
      items.push_back(store::PrepareItem(kTenant, "user" + std::to_string(u), MakeInteraction("x" + std::to_string(i), 1000 + i / 2)));
    }
  }
  WriteAll(store(), items);
  PageQuery q;
  q.tenant_id = kTenant;
  q.limit = 3;
  std::set<std::string> seen;
  int pages = 0;
  for (;;) {
    auto rows = ReadPage(store(), q);
    ++pages;
    for (auto& r : rows) EXPECT_TRUE(seen.insert(r.user + "/" + r.id).second) << "duplicate " << r.user << "/" << r.id;
    if (static_cast<int>(rows.size()) < q.limit) break;
    q.after = odata::CursorPosition{rows.back().ticks, rows.back().id, rows.back().user};
  }
  EXPECT_EQ(seen.size(), 35u);
}

TEST_P(StoreTest, FilterHiddenAppClassesAndCount) {
  std::vector<ItemToWrite> items;
  for (int i = 0; i < 6; ++i) {
    items.push_back(store::PrepareItem(kTenant, "u1", MakeInteraction(std::to_string(i), 1000 + i,
        i % 2 ? "IPM.SkypeTeams.Message.Copilot.Word" : "Contoso.ThirdParty.Bot")));
  }
  WriteAll(store(), items);
  auto filter = odata::Filter::Parse("appClass eq 'IPM.SkypeTeams.Message.Copilot.Word' and createdDateTime ge 1970-01-01T00:00:01.002Z");
  ASSERT_TRUE(filter.ok()) << filter.status().message();
  PageQuery q;
  q.tenant_id = kTenant;
  q.user_id = "u1";
  q.filter = &*filter;
  auto rows = ReadPage(store(), q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "5");
  EXPECT_EQ(rows[1].id, "3");
  auto count = store().interactions().Count(q);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2);

  PageQuery hidden;
  hidden.tenant_id = kTenant;
  hidden.hidden_app_classes = {"Contoso.ThirdParty.Bot"};
  EXPECT_EQ(ReadPage(store(), hidden).size(), 3u);
  EXPECT_EQ(*store().interactions().Count(hidden), 3);
}

TEST_P(StoreTest, ConcurrentWritersAreAllDurableAndDistinct) {
  // Many threads writing at once share group commits; every acknowledged item is readable.
  constexpr int kThreads = 8, kBatches = 10, kPerBatch = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<ItemToWrite> items;
        for (int i = 0; i < kPerBatch; ++i) {
          std::string id = std::to_string(t) + "-" + std::to_string(b) + "-" + std::to_string(i);
          items.push_back(store::PrepareItem(kTenant, "u" + std::to_string(t), MakeInteraction(id, 1000 + i)));
        }
        std::vector<ItemOutcome> out;
        if (!store().interactions().Write(items, &out).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  PageQuery q;
  q.tenant_id = kTenant;
  EXPECT_EQ(*store().interactions().Count(q), kThreads * kBatches * kPerBatch);
}

// Clients sending one interaction per request, all at once: their writes are combined into batches
// (store/write_combiner.h), yet each gets what it would have got alone, one after another: of the
// writes of one key, exactly one stored it and each other updated it to a version of its own; every
// write of a key of its own stored it.
TEST_P(StoreTest, ConcurrentSmallWritesAreCombinedAndEachGetsItsOwnOutcome) {
  constexpr int kThreads = 32, kRounds = 5;
  const uint64_t combined_before = store::BatchesCombiningSeveralWrites();
  std::mutex mu;
  std::vector<ItemOutcome> shared_key;  // the outcomes of every write of "same"
  std::atomic<int> failures{0}, own_stored{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        model::Interaction same = MakeInteraction("same", 1000);
        same.body->content = "from " + std::to_string(t) + "/" + std::to_string(r);
        for (ItemToWrite item : {store::PrepareItem(kTenant, "u", same),
                                 store::PrepareItem(kTenant, "u", MakeInteraction(std::to_string(t) + "-" + std::to_string(r), 2000))}) {
          std::vector<ItemOutcome> out;
          const bool shared = item.interaction.id == "same";
          if (!store().interactions().Write({std::move(item)}, &out).ok() || out.size() != 1) {
            ++failures;
            continue;
          }
          if (shared) {
            std::lock_guard lock(mu);
            shared_key.push_back(out[0]);
          } else if (out[0].result == WriteResult::kStored) {
            ++own_stored;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(own_stored, kThreads * kRounds);
  std::set<std::string> etags;
  int stored = 0;
  for (const ItemOutcome& o : shared_key) {
    stored += o.result == WriteResult::kStored;
    EXPECT_NE(o.result, WriteResult::kUnchanged) << "every write of the shared key had new content";
    etags.insert(o.etag);
  }
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(etags.size(), shared_key.size()) << "two writes were given the same version";
  auto json = store().interactions().Get(kTenant, "u", "same");
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_NE(json->find("\"etag\":\"same." + std::to_string(kThreads * kRounds) + "\""), std::string::npos) << *json;
  EXPECT_GT(store::BatchesCombiningSeveralWrites(), combined_before) << "no two writes were ever combined";
}

TEST_P(StoreTest, ChangeFeedRecordsOnlyTenantsWithASubscriptionButEveryDeletion) {
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1))});
  EXPECT_TRUE(store().changes().Peek(10)->empty()) << "nobody subscribed: no change row";
  Subscribe(store(), kTenant);
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("b", 2)),
                     store::PrepareItem("another-tenant", "u1", MakeInteraction("c", 3))});
  auto changes = store().changes().Peek(10);
  ASSERT_EQ(changes->size(), 1u) << "the subscribed tenant's write only";
  EXPECT_EQ((*changes)[0].interaction_id, "b");
  ASSERT_TRUE(store().interactions().Delete("another-tenant", "u1", std::string("c")).ok());
  changes = store().changes().Peek(10);
  ASSERT_EQ(changes->size(), 2u) << "deletions are always recorded";
  EXPECT_EQ((*changes)[1].type, store::ChangeType::kDeleted);
}

TEST_P(StoreTest, ChangeFeedRecordsCreatedUpdatedDeletedInOrder) {
  Subscribe(store(), kTenant);
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1)),
                     store::PrepareItem(kTenant, "u1", MakeInteraction("b", 2))});
  model::Interaction changed = MakeInteraction("a", 1);
  changed.locale = "en-us";
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", changed)});
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", changed)});  // unchanged: no change row
  auto deleted = store().interactions().Delete(kTenant, "u1", std::string("b"));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  auto changes = store().changes().Peek(100);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[0].type, store::ChangeType::kCreated);
  EXPECT_EQ((*changes)[0].interaction_id, "a");
  EXPECT_EQ((*changes)[1].interaction_id, "b");
  EXPECT_EQ((*changes)[2].type, store::ChangeType::kUpdated);
  EXPECT_EQ((*changes)[3].type, store::ChangeType::kDeleted);
  EXPECT_EQ((*changes)[3].interaction_id, "b");
  EXPECT_EQ((*changes)[3].ticks, model::Timestamp::FromUnixMillis(2).ticks);
  for (size_t i = 1; i < changes->size(); ++i) EXPECT_LT((*changes)[i - 1].seq, (*changes)[i].seq);
  EXPECT_FALSE(store().interactions().Get(kTenant, "u1", "b").ok());
}

TEST_P(StoreTest, DeleteWholeHistoryOfOneUserOnly) {
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1)),
                     store::PrepareItem(kTenant, "u1", MakeInteraction("b", 2)),
                     store::PrepareItem(kTenant, "u2", MakeInteraction("a", 1))});
  auto deleted = store().interactions().Delete(kTenant, "u1", std::nullopt);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 2);
  PageQuery q;
  q.tenant_id = kTenant;
  auto rows = ReadPage(store(), q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].user, "u2");
}

TEST_P(StoreTest, GetAppClassReadsTheSourceOfOneInteractionAlone) {
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1, "Contoso.Agents.HRAssistant")),
                     store::PrepareItem(kTenant, "u2", MakeInteraction("a", 2))});
  auto app = store().interactions().GetAppClass(kTenant, "u1", "a");
  ASSERT_TRUE(app.ok()) << app.status().message();
  EXPECT_EQ(*app, "Contoso.Agents.HRAssistant");
  app = store().interactions().GetAppClass(kTenant, "u2", "a");
  ASSERT_TRUE(app.ok()) << app.status().message();
  EXPECT_EQ(*app, "IPM.SkypeTeams.Message.Copilot.Teams");
  EXPECT_EQ(store().interactions().GetAppClass(kTenant, "u1", "missing").status().code(), Code::kNotFound);
  EXPECT_EQ(store().interactions().GetAppClass("other-tenant", "u1", "a").status().code(), Code::kNotFound);
  EXPECT_EQ(store().interactions().GetAppClass(kTenant, "u1", std::string("\xff\xfe")).status().code(), Code::kNotFound);
}

TEST_P(StoreTest, KeysNoStoredItemCanHaveFindNothing) {
  WriteAll(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1))});
  // A NUL, and bytes that are not UTF-8 (e.g. a path segment %FF%FE): PostgreSQL could not even
  // take them as a parameter, and no engine holds them.
  for (const std::string& key : {std::string("a\0b", 3), std::string("\xff\xfe")}) {
    EXPECT_EQ(store().interactions().Get(kTenant, "u1", key).status().code(), Code::kNotFound);
    EXPECT_EQ(store().interactions().Get(kTenant, key, "a").status().code(), Code::kNotFound);
    auto deleted = store().interactions().Delete(kTenant, "u1", key);
    ASSERT_TRUE(deleted.ok()) << deleted.status().message();
    EXPECT_EQ(*deleted, 0);
    deleted = store().interactions().Delete(kTenant, key, std::nullopt);
    ASSERT_TRUE(deleted.ok()) << deleted.status().message();
    EXPECT_EQ(*deleted, 0);
  }
  EXPECT_TRUE(store().interactions().Get(kTenant, "u1", "a").ok());
}

TEST_P(StoreTest, SecretsAreCreatedOnceAndShared) {
  auto a = store().Secret("cursor", 32);
  auto b = store().Secret("cursor", 32);
  auto c = store().Secret("other", 32);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
}

TEST_P(StoreTest, StoredJsonIsExactlyTheCanonicalJson) {
  seed::SyntheticOptions options;
  options.users = 2;
  options.interactions_per_user = 20;
  seed::SyntheticHistory history(options);
  auto items = history.InteractionsOf(1);
  std::vector<ItemToWrite> writes;
  std::vector<std::string> expected;
  for (auto& item : items) {
    writes.push_back(store::PrepareItem(kTenant, item.user_id, item.interaction));
    expected.push_back(writes.back().json);
  }
  WriteAll(store(), writes);
  PageQuery q;
  q.tenant_id = kTenant;
  q.ascending = true;
  auto rows = ReadPage(store(), q);
  ASSERT_EQ(rows.size(), expected.size());
  std::multiset<std::string> got, want(expected.begin(), expected.end());
  for (auto& r : rows) got.insert(r.json);
  EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::ValuesIn(StoreEngines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace aih::testing
