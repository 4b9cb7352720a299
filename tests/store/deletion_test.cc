// The one deletion path (store/deletion.h) and legal holds (store/hold_store.h), on every engine.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "store_fixture.h"

namespace aih::testing {
namespace {

using store::Deletion;
using store::LegalHold;

const char* kTenant = "tenant-a";

class DeletionTest : public StoreTest {};

model::Interaction Item(const std::string& id, int64_t ms, const std::string& session = "s1",
                        const std::string& app = "IPM.SkypeTeams.Message.Copilot.Teams") {
  model::Interaction in;
  in.id = id;
  in.app_class = app;
  in.session_id = session;
  in.created = model::Timestamp::FromUnixMillis(ms);
  in.body = model::Body{"text", "hello " + id};
  return in;
}

void Put(store::Store& s, const std::string& user, const model::Interaction& in) {
  std::vector<store::ItemOutcome> out;
  std::vector<store::ItemToWrite> items{store::PrepareItem(kTenant, user, in)};
  Status st = s.interactions().Write(items, &out);
  ASSERT_TRUE(st.ok()) << st.message();
}

bool Stored(store::Store& s, const std::string& user, const std::string& id) {
  return s.interactions().Get(kTenant, user, id).ok();
}

void MakeCase(store::Store& s, const std::string& id = "case-1") {
  ASSERT_TRUE(s.holds().CreateCase({kTenant, id, "Contoso v. Fabrikam", "", 1}).ok());
}

LegalHold Hold(const std::string& id, std::vector<std::string> users, const std::string& query = "") {
  LegalHold h;
  h.tenant_id = kTenant;
  h.id = id;
  h.case_id = "case-1";
  h.display_name = "hold " + id;
  h.user_ids = std::move(users);
  h.content_query = query;
  h.created_ms = 2;
  return h;
}

TEST_P(DeletionTest, DeletesOneSessionOrAUserAndRecordsErasuresWithTheirHashes) {
  Put(store(), "u1", Item("a", 1, "s1"));
  Put(store(), "u1", Item("b", 2, "s2"));
  Put(store(), "u1", Item("c", 3, "s2"));
  Put(store(), "u2", Item("a", 1, "s2"));
  Deletion session = Deletion::Session(kTenant, "u1", "s2");
  session.reason = Deletion::Reason::kErasure;
  session.actor = "dpo@contoso";
  session.now_ms = 1234;
  auto done = store().interactions().Delete(session);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->deleted, 2);
  EXPECT_TRUE(Stored(store(), "u1", "a"));
  EXPECT_FALSE(Stored(store(), "u1", "b"));
  EXPECT_TRUE(Stored(store(), "u2", "a")) << "another user's session of the same id stays";

  auto erased = store().erasures().Find(kTenant, {{"u1", "b"}, {"u1", "c"}, {"u1", "a"}});
  ASSERT_TRUE(erased.ok()) << erased.status().message();
  ASSERT_EQ(erased->size(), 2u);
  for (const store::Erasure& e : *erased) {
    EXPECT_EQ(e.reason, "erasure");
    EXPECT_EQ(e.actor, "dpo@contoso");
    EXPECT_EQ(e.erased_ms, 1234);
    EXPECT_EQ(e.content_hash, store::PrepareItem(kTenant, "u1", Item(e.id, e.id == "b" ? 2 : 3, "s2")).content_hash);
  }
  auto user = store().interactions().Delete(Deletion::User(kTenant, "u1"));
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->deleted, 1);
  EXPECT_EQ(store().erasures().List(kTenant, "u1", 10)->size(), 3u);
  EXPECT_EQ(store().erasures().List(kTenant, "", 10)->size(), 3u);
}

TEST_P(DeletionTest, EveryDeletionAppendsADeletedChange) {
  Put(store(), "u1", Item("a", 1));
  Put(store(), "u1", Item("b", 2));
  Deletion batch;
  batch.tenant_id = kTenant;
  batch.scope = Deletion::Scope::kKeys;
  batch.keys = {{"u1", "a"}, {"u1", "b"}, {"u1", "missing"}};
  batch.reason = Deletion::Reason::kRetention;
  auto done = store().interactions().Delete(batch);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->deleted, 2);
  auto changes = store().changes().Peek(10);
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].type, store::ChangeType::kDeleted);
  EXPECT_EQ((*changes)[0].interaction_id, "a");
  EXPECT_EQ((*changes)[1].interaction_id, "b");
  EXPECT_TRUE(store().erasures().List(kTenant, "", 10)->empty()) << "retention deletions are counted, not recorded";
}

// A batch's keys travel as one JSON parameter (Dialect::JsonPairs): whatever their characters, it
// deletes exactly its pairs, never another user's item of the same id, and logs each deletion.
TEST_P(DeletionTest, ABatchDeletesExactlyItsPairsWhateverTheirCharacters) {
  const std::vector<std::pair<std::string, std::string>> doomed = {
      {"u1", "q\"uote"}, {"u1", "back\\slash"}, {"u2", "it's"}, {"u2", "\xc3\xbcn\xc3\xaf \xf0\x9f\x99\x82"}, {"u1", "x"}, {"u2", "y"}};
  const std::vector<std::pair<std::string, std::string>> kept = {{"u1", "y"}, {"u2", "x"}, {"u1", "it's"}};
  int64_t ms = 1;
  for (const auto& [user, id] : doomed) Put(store(), user, Item(id, ms++));
  for (const auto& [user, id] : kept) Put(store(), user, Item(id, ms++));
  Deletion batch;
  batch.tenant_id = kTenant;
  batch.scope = Deletion::Scope::kKeys;
  for (const auto& [user, id] : doomed) batch.keys.push_back({user, id});
  batch.reason = Deletion::Reason::kRetention;
  auto done = store().interactions().Delete(batch);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->deleted, static_cast<int64_t>(doomed.size()));
  for (const auto& [user, id] : doomed) EXPECT_FALSE(Stored(store(), user, id)) << user << "/" << id;
  for (const auto& [user, id] : kept) EXPECT_TRUE(Stored(store(), user, id)) << user << "/" << id;

  std::map<std::pair<std::string, std::string>, integrity::LeafKind> last;
  ASSERT_TRUE(store().log().ScanLeaves(kTenant, 0, [&](const store::StoredLeaf& leaf) {
    last[{leaf.leaf.user_id, leaf.leaf.interaction_id}] = leaf.leaf.kind;
    return true;
  }).ok());
  for (const auto& key : doomed) EXPECT_EQ(last[key], integrity::LeafKind::kDeleted) << key.first << "/" << key.second;
  for (const auto& key : kept) EXPECT_NE(last[key], integrity::LeafKind::kDeleted) << key.first << "/" << key.second;
}

TEST_P(DeletionTest, ABatchOfTooManyKeysIsRefused) {
  Deletion batch;
  batch.tenant_id = kTenant;
  batch.scope = Deletion::Scope::kKeys;
  batch.keys.assign(Deletion::kMaxKeys + 1, {"u1", "a"});
  EXPECT_EQ(store().interactions().Delete(batch).status().code(), Code::kBadRequest);
}

TEST_P(DeletionTest, AnActiveHoldRefusesTheWholeDeletionAndNamesItself) {
  Put(store(), "u1", Item("a", 1, "s1", "IPM.SkypeTeams.Message.Copilot.Word"));
  Put(store(), "u1", Item("b", 2, "s1", "IPM.SkypeTeams.Message.Copilot.Teams"));
  MakeCase(store());
  ASSERT_TRUE(store().holds().CreateHold(Hold("hold-1", {"u1"}, "appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'")).ok());
  auto refused = store().interactions().Delete(Deletion::User(kTenant, "u1"));
  ASSERT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_NE(refused.status().message().find("hold-1"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("case-1"), std::string::npos);
  EXPECT_TRUE(Stored(store(), "u1", "a"));
  EXPECT_TRUE(Stored(store(), "u1", "b")) << "all or nothing";
  EXPECT_TRUE(store().erasures().List(kTenant, "", 10)->empty());
  EXPECT_TRUE(store().changes().Peek(10)->empty()) << "no deleted change for what was not deleted";

  // The item outside the query may go alone.
  auto other = store().interactions().Delete(Deletion::One(kTenant, "u1", "b"));
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_EQ(other->deleted, 1);

  // Retention skips what is held instead.
  Deletion batch;
  batch.tenant_id = kTenant;
  batch.scope = Deletion::Scope::kKeys;
  batch.keys = {{"u1", "a"}};
  batch.on_hold = Deletion::OnHold::kSkip;
  batch.reason = Deletion::Reason::kRetention;
  auto skipped = store().interactions().Delete(batch);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->deleted, 0);
  EXPECT_EQ(skipped->held, 1);
  EXPECT_TRUE(Stored(store(), "u1", "a"));

  // Released, the hold keeps nothing.
  auto released = store().holds().ReleaseHold(kTenant, "hold-1", 99);
  ASSERT_TRUE(released.ok());
  EXPECT_FALSE(released->active);
  EXPECT_EQ(released->released_ms, 99);
  auto after = store().interactions().Delete(batch);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->deleted, 1);
}

TEST_P(DeletionTest, AHoldCoversOnlyItsUsersAndItsDateRange) {
  Put(store(), "u1", Item("old", 1000));
  Put(store(), "u1", Item("new", 5000));
  Put(store(), "u2", Item("x", 3000));
  MakeCase(store());
  LegalHold h = Hold("hold-1", {"u1"});
  h.start_ticks = model::Timestamp::FromUnixMillis(2000).ticks;
  ASSERT_TRUE(store().holds().CreateHold(h).ok());
  EXPECT_TRUE(store().interactions().Delete(Deletion::One(kTenant, "u1", "old")).ok()) << "before the range";
  EXPECT_EQ(store().interactions().Delete(Deletion::One(kTenant, "u1", "new")).status().code(), Code::kConflict);
  EXPECT_TRUE(store().interactions().Delete(Deletion::User(kTenant, "u2")).ok()) << "not a user source";

  auto covering = store().holds().HoldsCovering(kTenant, "u1", "new");
  ASSERT_TRUE(covering.ok()) << covering.status().message();
  ASSERT_EQ(covering->size(), 1u);
  EXPECT_EQ((*covering)[0].id, "hold-1");
  EXPECT_EQ(store().holds().HoldsCovering(kTenant, "u1", "old").status().code(), Code::kNotFound);
}

// A hold's content search is the export's $search, answered by the same full-text index: it keeps
// exactly the items such a search finds, and only those.
TEST_P(DeletionTest, AHoldWithAContentSearchKeepsWhatTheSearchFinds) {
  model::Interaction budget = Item("budget", 1000);
  budget.body = model::Body{"text", "Summarize the quarterly revenue forecast for the board"};
  model::Interaction lunch = Item("lunch", 2000);
  lunch.body = model::Body{"text", "Where shall we have lunch today"};
  model::Interaction word = Item("word", 3000, "s1", "IPM.SkypeTeams.Message.Copilot.Word");
  Put(store(), "u1", budget);
  Put(store(), "u1", lunch);
  Put(store(), "u1", word);
  MakeCase(store());
  LegalHold h = Hold("hold-1", {"u1"});
  h.content_search = "quarter* OR appClass:IPM.SkypeTeams.Message.Copilot.Word";
  ASSERT_TRUE(store().holds().CreateHold(h).ok());
  EXPECT_EQ(store().holds().GetHold(kTenant, "hold-1")->content_search, h.content_search);

  auto refused = store().interactions().Delete(Deletion::User(kTenant, "u1"));
  ASSERT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_NE(refused.status().message().find("hold-1"), std::string::npos) << refused.status().message();
  EXPECT_EQ(store().holds().HoldsCovering(kTenant, "u1", "budget")->size(), 1u);
  EXPECT_EQ(store().holds().HoldsCovering(kTenant, "u1", "word")->size(), 1u);
  EXPECT_TRUE(store().holds().HoldsCovering(kTenant, "u1", "lunch")->empty());

  Deletion batch;
  batch.tenant_id = kTenant;
  batch.scope = Deletion::Scope::kKeys;
  batch.keys = {{"u1", "budget"}, {"u1", "lunch"}, {"u1", "word"}};
  batch.on_hold = Deletion::OnHold::kSkip;
  batch.reason = Deletion::Reason::kRetention;
  auto swept = store().interactions().Delete(batch);
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_EQ(swept->deleted, 1);
  EXPECT_EQ(swept->held, 2);
  EXPECT_TRUE(Stored(store(), "u1", "budget"));
  EXPECT_FALSE(Stored(store(), "u1", "lunch"));
  EXPECT_TRUE(Stored(store(), "u1", "word"));

  // A query and a search together: the hold covers what matches both.
  LegalHold both = Hold("hold-2", {"u2"}, "appClass eq 'IPM.SkypeTeams.Message.Copilot.Teams'");
  both.content_search = "revenue";
  ASSERT_TRUE(store().holds().CreateHold(both).ok());
  model::Interaction revenue_word = Item("r-word", 1000, "s1", "IPM.SkypeTeams.Message.Copilot.Word");
  revenue_word.body = model::Body{"text", "revenue in Word"};
  model::Interaction revenue_teams = Item("r-teams", 2000);
  revenue_teams.body = model::Body{"text", "revenue in Teams"};
  Put(store(), "u2", revenue_word);
  Put(store(), "u2", revenue_teams);
  EXPECT_TRUE(store().interactions().Delete(Deletion::One(kTenant, "u2", "r-word")).ok());
  EXPECT_EQ(store().interactions().Delete(Deletion::One(kTenant, "u2", "r-teams")).status().code(), Code::kConflict);
}

TEST_P(DeletionTest, CasesAndHoldsAreKeptAndListed) {
  EXPECT_EQ(store().holds().CreateHold(Hold("hold-1", {"u1"})).code(), Code::kNotFound) << "no such case";
  MakeCase(store());
  EXPECT_EQ(store().holds().CreateCase({kTenant, "case-1", "again", "", 1}).code(), Code::kConflict);
  ASSERT_TRUE(store().holds().CreateHold(Hold("hold-1", {"u2", "u1"}, "locale eq 'en-us'")).ok());
  EXPECT_EQ(store().holds().CreateHold(Hold("hold-1", {"u1"})).code(), Code::kConflict);
  auto hold = store().holds().GetHold(kTenant, "hold-1");
  ASSERT_TRUE(hold.ok());
  EXPECT_EQ(hold->user_ids, (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(hold->content_query, "locale eq 'en-us'");
  EXPECT_TRUE(hold->active);
  EXPECT_EQ(store().holds().ListHolds(kTenant, "case-1", false)->size(), 1u);
  EXPECT_EQ(store().holds().ListCases(kTenant)->size(), 1u);
  EXPECT_TRUE(store().holds().ListCases("another-tenant")->empty());
  EXPECT_EQ(store().holds().GetHold("another-tenant", "hold-1").status().code(), Code::kNotFound);
  ASSERT_TRUE(store().holds().ReleaseHold(kTenant, "hold-1", 5).ok());
  EXPECT_TRUE(store().holds().ListHolds(kTenant, "", true)->empty());
  EXPECT_EQ(store().holds().ReleaseHold(kTenant, "hold-1", 6)->released_ms, 5) << "released once";
}

// A key no engine could have stored (invalid UTF-8, a NUL: what a client can put in a URL as %FF or
// %00) names nothing, on either engine alike: not found, where PostgreSQL refused the parameter
// and the client got a 400 for what SQLite answered with a 404 (sql/dialect.h CanHold).
TEST_P(DeletionTest, AKeyNoEngineCouldStoreNamesNothingOnEitherEngine) {
  MakeCase(store());
  ASSERT_TRUE(store().holds().CreateHold(Hold("hold-1", {"u1"})).ok());
  Put(store(), "u1", Item("item", 1000));
  for (const std::string& bad : {std::string("\xff"), std::string("a\0b", 3), std::string("\xc3(")}) {
    EXPECT_EQ(store().holds().GetHold(kTenant, bad).status().code(), Code::kNotFound);
    EXPECT_EQ(store().holds().ReleaseHold(kTenant, bad, 5).status().code(), Code::kNotFound);
    EXPECT_EQ(store().holds().HoldsCovering(kTenant, "u1", bad).status().code(), Code::kNotFound);
    EXPECT_EQ(store().holds().HoldsCovering(kTenant, bad, "item").status().code(), Code::kNotFound);
    EXPECT_EQ(store().interactions().Get(kTenant, "u1", bad).status().code(), Code::kNotFound);
    auto erased = store().erasures().Find(kTenant, {{"u1", bad}});
    ASSERT_TRUE(erased.ok()) << erased.status().message();
    EXPECT_TRUE(erased->empty());
  }
  EXPECT_TRUE(store().holds().GetHold(kTenant, "hold-1").ok()) << "the hold is untouched";
}

// A hold and an erasure of the same item at the same instant: one is ordered before the other, so
// either the erasure succeeded and the item is gone, or it was refused and the item is kept.
TEST_P(DeletionTest, AHoldAndAnErasureAtTheSameInstantAreOrdered) {
  MakeCase(store());
  for (int round = 0; round < 10; ++round) {
    const std::string id = "item-" + std::to_string(round);
    Put(store(), "u1", Item(id, 1000 + round));
    std::atomic<bool> go{false};
    Status held, erased;
    std::thread hold([&] {
      while (!go) std::this_thread::yield();
      held = store().holds().CreateHold(Hold("hold-" + std::to_string(round), {"u1"}, "id eq '" + id + "'"));
    });
    std::thread erase([&] {
      while (!go) std::this_thread::yield();
      erased = store().interactions().Delete(Deletion::One(kTenant, "u1", id)).status();
    });
    go = true;
    hold.join();
    erase.join();
    ASSERT_TRUE(held.ok()) << held.message();
    if (erased.ok()) {
      EXPECT_FALSE(Stored(store(), "u1", id));
    } else {
      EXPECT_EQ(erased.code(), Code::kConflict) << erased.message();
      EXPECT_TRUE(Stored(store(), "u1", id));
    }
  }
}

// Ingest, a retention sweep and the admin delete on the same items at once, many times over: on
// PostgreSQL a deletion deletes its rows before it takes its turn at the tenant's log, which a writer
// of the same items holds while it waits for those rows (sql_deletion.cc): the deletion waits for the
// turn only briefly, then gives its rows back and deletes again holding the turn. None may fail, and
// the log must end saying of each item what the store says: its last leaf deletes it exactly when it
// is gone. (Written while deletions waited for the turn without a bound: one run in ten or twenty
// then failed, a writer losing four deadlocks in a row; and before a deletion was one statement on
// PostgreSQL, an item a writer committed between its statements was deleted without its leaf.)
TEST_P(DeletionTest, WritersAndDeletersOfTheSameItemsNeitherDeadlockNorFail) {
  constexpr int kItems = 20, kRounds = 15;
  auto key = [](int k) { return std::pair<std::string, std::string>{k % 2 ? "u1" : "u2", "item-" + std::to_string(k)}; };
  std::atomic<bool> go{false};
  std::vector<std::string> failures;
  std::mutex mu;
  auto check = [&](const char* who, const Status& s) {
    if (s.ok()) return;
    std::lock_guard lock(mu);
    failures.push_back(std::string(who) + ": " + s.message());
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {  // writers: every item, changed every round (each write an update)
    threads.emplace_back([&, w] {
      while (!go) std::this_thread::yield();
      std::vector<store::ItemOutcome> out;
      for (int r = 0; r < kRounds; ++r) {
        std::vector<store::ItemToWrite> items;
        for (int k = 0; k < kItems; ++k) {
          model::Interaction in = Item(key(k).second, 1000 + k);
          in.body = model::Body{"text", "round " + std::to_string(r) + " of writer " + std::to_string(w)};
          items.push_back(store::PrepareItem(kTenant, key(k).first, in));
        }
        check("a writer", store().interactions().Write(items, &out));
      }
    });
  }
  threads.emplace_back([&] {  // the sweep: batches of every item
    while (!go) std::this_thread::yield();
    for (int r = 0; r < kRounds; ++r) {
      Deletion batch;
      batch.tenant_id = kTenant;
      batch.scope = Deletion::Scope::kKeys;
      batch.on_hold = Deletion::OnHold::kSkip;
      batch.reason = Deletion::Reason::kRetention;
      for (int k = r % 3; k < kItems; k += 2) batch.keys.push_back({key(k).first, key(k).second});
      check("the sweep", store().interactions().Delete(batch).status());
    }
  });
  threads.emplace_back([&] {  // the admin: one item, then a whole user
    while (!go) std::this_thread::yield();
    for (int r = 0; r < kRounds; ++r) {
      check("the admin deleting an item", store().interactions().Delete(Deletion::One(kTenant, key(r % kItems).first, key(r % kItems).second)).status());
      if (r % 10 == 9) check("the admin deleting a user", store().interactions().Delete(Deletion::User(kTenant, "u2")).status());
    }
  });
  go = true;
  for (auto& t : threads) t.join();
  for (const std::string& f : failures) ADD_FAILURE() << f;

  std::map<std::pair<std::string, std::string>, store::StoredLeaf> last;
  uint64_t expected_index = 0;
  Status scanned = store().log().ScanLeaves(kTenant, 0, [&](const store::StoredLeaf& leaf) {
    EXPECT_EQ(leaf.index, expected_index++) << "the log's indices are dense";
    last[{leaf.leaf.user_id, leaf.leaf.interaction_id}] = leaf;
    return true;
  });
  ASSERT_TRUE(scanned.ok()) << scanned.message();
  for (int k = 0; k < kItems; ++k) {
    auto stored = store().interactions().Get(kTenant, key(k).first, key(k).second);
    auto it = last.find(key(k));
    ASSERT_NE(it, last.end()) << key(k).second << " was written, so the log names it";
    if (stored.ok()) {
      EXPECT_NE(it->second.leaf.kind, integrity::LeafKind::kDeleted) << key(k).second;
    } else {
      EXPECT_EQ(it->second.leaf.kind, integrity::LeafKind::kDeleted) << key(k).second;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, DeletionTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
