// $search in the store, identical on every engine: what is indexed (search_document.h), in which
// languages, how a query matches (search_sql.h), that the index follows every write and delete in
// its transaction, and that a search is served from the full-text index, not a scan.
#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

#include <sqlite3.h>

#include "odata/filter.h"
#include "odata/search.h"
#include "store/page_sql.h"
#include "store/search_document.h"
#include "store/postgres/connection.h"
#include "store/postgres/database.h"
#include "store/postgres/session.h"
#include "store/postgres/search_window.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/prefix_terms.h"
#include "store/sqlite/session.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/search_rarity.h"
#include "store/sqlite/search_windows.h"
#include "store/sqlite/session.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

using store::PageQuery;

const char* kTenant = "tenant-s";

model::Interaction Item(const std::string& id, int64_t ms, const std::string& text,
                        const std::string& app = "IPM.SkypeTeams.Message.Copilot.BizChat") {
  model::Interaction in;
  in.id = id;
  in.app_class = app;
  in.interaction_type = model::InteractionType::kUserPrompt;
  in.created = model::Timestamp::FromUnixMillis(ms);
  in.body = model::Body{"text", text};
  return in;
}

class SearchTest : public StoreTest {
 protected:
  void Write(std::vector<model::Interaction> items, const std::string& user = "u1") {
    std::vector<store::ItemToWrite> batch;
    for (auto& in : items) batch.push_back(store::PrepareItem(kTenant, user, std::move(in)));
    std::vector<store::ItemOutcome> out;
    Status s = store().interactions().Write(batch, &out);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  // The ids a search finds, newest first (user "" for tenant-wide).
  std::vector<std::string> Find(const std::string& query, const std::string& user = "u1",
                                const std::string& filter = "") {
    auto search = odata::Search::Parse(query);
    EXPECT_TRUE(search.ok()) << query << ": " << search.status().message();
    if (!search.ok()) return {};
    std::optional<odata::Filter> f;
    if (!filter.empty()) {
      auto parsed = odata::Filter::Parse(filter);
      EXPECT_TRUE(parsed.ok()) << parsed.status().message();
      f = std::move(*parsed);
    }
    PageQuery q;
    q.tenant_id = kTenant;
    q.user_id = user;
    q.search = &*search;
    q.filter = f ? &*f : nullptr;
    q.limit = 1000;
    std::vector<std::string> ids;
    Status s = store().interactions().Page(q, [&](const store::PageRow& r) {
      ids.emplace_back(r.id);
      return true;
    });
    EXPECT_TRUE(s.ok()) << query << ": " << s.message();
    auto count = store().interactions().Count(q);
    EXPECT_TRUE(count.ok()) << count.status().message();
    if (count.ok()) {
      EXPECT_EQ(*count, static_cast<int64_t>(ids.size())) << query;
    }
    return ids;
  }
  using Ids = std::vector<std::string>;

  // The ids of every page of `q` in turn, each page following the last one's cursor; after each page
  // `between_pages(page)` runs (writes that no page may show twice or lose).
  // `read` reads a page (default: the store's Page).
  using PageReader = std::function<Status(const PageQuery&, const std::function<bool(const store::PageRow&)>&)>;
  Ids PageThrough(PageQuery q, const std::function<void(int page)>& between_pages, const PageReader& read = nullptr) {
    Ids seen;
    for (int page = 0; page < 10'000; ++page) {
      std::optional<odata::CursorPosition> last;
      int rows = 0;
      auto page_of = [&](const PageQuery& query, const std::function<bool(const store::PageRow&)>& emit) {
        return read ? read(query, emit) : store().interactions().Page(query, emit);
      };
      Status s = page_of(q, [&](const store::PageRow& r) {
        seen.emplace_back(r.id);
        last = odata::CursorPosition{r.ticks, std::string(r.id), std::string(r.user_id)};
        ++rows;
        return true;
      });
      EXPECT_TRUE(s.ok()) << s.message();
      if (!s.ok()) break;
      between_pages(page);
      if (rows < q.limit) break;
      q.after = last;
    }
    return seen;
  }
};

// The ids of `rows` (each with ms, id and user) of `user` (all when empty) that `found` holds for, in
// page order: by time, then id, then user; newest first unless `ascending`.
template <typename RowT, typename Found>
std::vector<std::string> ExpectedIds(const std::vector<RowT>& rows, const std::string& user, bool ascending,
                                     const Found& found) {
  std::vector<std::tuple<int64_t, std::string, std::string>> expected;
  for (const RowT& r : rows) {
    if ((user.empty() || r.user == user) && found(r)) {
      expected.emplace_back(model::Timestamp::FromUnixMillis(r.ms).ticks, r.id, r.user);
    }
  }
  std::sort(expected.begin(), expected.end());
  if (!ascending) std::reverse(expected.begin(), expected.end());
  std::vector<std::string> ids;
  for (const auto& e : expected) ids.push_back(std::get<1>(e));
  return ids;
}

TEST_P(SearchTest, FoundTheMomentTheWriteIsAcknowledged) {
  Write({Item("1", 1000, "What is the budget for Q3?"), Item("2", 2000, "Lunch plans")});
  EXPECT_EQ(Find("budget"), Ids{"1"});
  EXPECT_EQ(Find("BUDGET"), Ids{"1"});
  EXPECT_EQ(Find("lunch"), Ids{"2"});
  EXPECT_EQ(Find("nothing"), Ids{});
  // Another user's items are not in this user's search; tenant-wide finds both users'.
  Write({Item("3", 3000, "budget review")}, "u2");
  EXPECT_EQ(Find("budget"), Ids{"1"});
  EXPECT_EQ(Find("budget", ""), (Ids{"3", "1"}));
}

TEST_P(SearchTest, AnUpdateReplacesTheEntry) {
  Write({Item("1", 1000, "alpha draft")});
  EXPECT_EQ(Find("alpha"), Ids{"1"});
  Write({Item("1", 1000, "beta final")});
  EXPECT_EQ(Find("alpha"), Ids{});
  EXPECT_EQ(Find("beta"), Ids{"1"});
  // An unchanged re-send keeps it.
  Write({Item("1", 1000, "beta final")});
  EXPECT_EQ(Find("final"), Ids{"1"});
}

TEST_P(SearchTest, DeletionRemovesTheEntry) {
  Write({Item("1", 1000, "secret plan"), Item("2", 2000, "secret recipe"), Item("3", 3000, "secret sauce")});
  ASSERT_EQ(Find("secret"), (Ids{"3", "2", "1"}));
  auto one = store().interactions().Delete(kTenant, "u1", std::string("2"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(Find("secret"), (Ids{"3", "1"}));
  EXPECT_EQ(Find("recipe"), Ids{});
  auto all = store().interactions().Delete(kTenant, "u1", std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Find("secret"), Ids{});
  // A new item under a deleted id is found by its own text only.
  Write({Item("2", 2000, "fresh start")});
  EXPECT_EQ(Find("recipe"), Ids{});
  EXPECT_EQ(Find("fresh"), Ids{"2"});
}

TEST_P(SearchTest, EveryLanguage) {
  Write({Item("de", 1000, "Herr Müller fährt über die Straße nach Köln"),
         Item("fr", 2000, "Le café de l'Élysée est fermé à Noël"),
         Item("zh", 3000, "我们明天在北京开会讨论预算"),
         Item("ja", 4000, "東京タワーの近くでデータベースの会議があります"),
         Item("th", 5000, "ภาษาไทยเป็นภาษาที่สวยงาม"),
         Item("mix", 6000, "Das iPhone手机 in München kostet 999€ — データ"),
         Item("ru", 7000, "Привет, как дела?")});
  // German: umlauts and ß fold either way.
  EXPECT_EQ(Find("muller"), Ids{"de"});
  EXPECT_EQ(Find("MÜLLER"), Ids{"de"});
  EXPECT_EQ(Find("strasse"), Ids{"de"});
  EXPECT_EQ(Find("koln fahrt"), Ids{"de"});
  EXPECT_EQ(Find("münchen"), Ids{"mix"});
  // French accents.
  EXPECT_EQ(Find("elysee"), Ids{"fr"});
  EXPECT_EQ(Find("Noel ferme"), Ids{"fr"});
  EXPECT_EQ(Find("CAFÉ"), Ids{"fr"});
  // Chinese and Japanese: any substring of two or more characters.
  EXPECT_EQ(Find("北京"), Ids{"zh"});
  EXPECT_EQ(Find("开会讨论"), Ids{"zh"});
  EXPECT_EQ(Find("预算"), Ids{"zh"});
  EXPECT_EQ(Find("京开"), Ids{"zh"});
  EXPECT_EQ(Find("北开"), Ids{});  // both characters are there, but not side by side
  EXPECT_EQ(Find("東京"), Ids{"ja"});
  EXPECT_EQ(Find("タワー"), Ids{"ja"});
  EXPECT_EQ(Find("データ"), (Ids{"mix", "ja"}));
  EXPECT_EQ(Find("データベース"), Ids{"ja"});
  EXPECT_EQ(Find("会議"), Ids{"ja"});
  // Thai.
  EXPECT_EQ(Find("ภาษา"), Ids{"th"});
  EXPECT_EQ(Find("สวยงาม"), Ids{"th"});
  // Mixed scripts in one interaction, and in one word of the query.
  EXPECT_EQ(Find("iphone手机"), Ids{"mix"});
  EXPECT_EQ(Find("手机 münchen"), Ids{"mix"});
  EXPECT_EQ(Find("привет"), Ids{"ru"});
  EXPECT_EQ(Find("ДЕЛА"), Ids{"ru"});
}

TEST_P(SearchTest, PhrasesPrefixesAndBooleans) {
  Write({Item("1", 1000, "the quarterly budget report"), Item("2", 2000, "report on the budget"),
         Item("3", 3000, "budgeting tips"), Item("4", 4000, "holiday plans")});
  EXPECT_EQ(Find("\"budget report\""), Ids{"1"});
  EXPECT_EQ(Find("\"report budget\""), Ids{});
  EXPECT_EQ(Find("budget report"), (Ids{"2", "1"}));
  EXPECT_EQ(Find("budget AND report"), (Ids{"2", "1"}));
  EXPECT_EQ(Find("budget*"), (Ids{"3", "2", "1"}));
  EXPECT_EQ(Find("budget OR holiday"), (Ids{"4", "2", "1"}));
  EXPECT_EQ(Find("budget NOT quarterly"), Ids{"2"});
  EXPECT_EQ(Find("budget -quarterly"), Ids{"2"});
  EXPECT_EQ(Find("(holiday OR tips) -plans"), Ids{"3"});
  EXPECT_EQ(Find("budget* NOT (report OR tips)"), Ids{});
  EXPECT_EQ(Find("report AND NOT NOT quarterly"), Ids{"1"});
  // Operators and punctuation inside words are text, never syntax for the engine.
  Write({Item("5", 5000, "e-mail to o'brien: NEARBY caret^top a:b \"quoted\"")});
  EXPECT_EQ(Find("e-mail"), Ids{"5"});
  EXPECT_EQ(Find("o'brien"), Ids{"5"});
  EXPECT_EQ(Find("caret^top"), Ids{"5"});
  EXPECT_EQ(Find("a:b"), Ids{"5"});
  EXPECT_EQ(Find("nearby"), Ids{"5"});
}

TEST_P(SearchTest, PropertyRestrictions) {
  model::Interaction a = Item("1", 1000, "budget", "IPM.SkypeTeams.Message.Copilot.Teams");
  a.session_id = "s-1";
  a.from = model::FromIdentitySet{};
  a.from->user = model::UserIdentity{"0f3c-user", "Ana Müller", "aadUser", std::nullopt};
  model::Interaction b = Item("2", 2000, "budget", "IPM.SkypeTeams.Message.Copilot.Word");
  b.session_id = "s-2";
  b.interaction_type = model::InteractionType::kAiResponse;
  b.from = model::FromIdentitySet{};
  b.from->application = model::ApplicationIdentity{"copilot-app", "Copilot", "aadApplication"};
  Write({a, b});
  EXPECT_EQ(Find("budget appClass:IPM.SkypeTeams.Message.Copilot.Word"), Ids{"2"});
  EXPECT_EQ(Find("budget appClass:IPM.SkypeTeams.Message.Copilot*"), (Ids{"2", "1"}));
  EXPECT_EQ(Find("sessionId:s-1"), Ids{"1"});
  EXPECT_EQ(Find("budget -sessionId:s-1"), Ids{"2"});
  EXPECT_EQ(Find("interactionType:aiResponse"), Ids{"2"});
  EXPECT_EQ(Find("sessionId:s-1 OR interactionType:aiResponse"), (Ids{"2", "1"}));
  EXPECT_EQ(Find("from:muller"), Ids{"1"});
  EXPECT_EQ(Find("from:\"ana müller\""), Ids{"1"});
  EXPECT_EQ(Find("from:copilot"), Ids{"2"});
  EXPECT_EQ(Find("from:0f3c-user"), Ids{"1"});
  // The sender is found by from: only, not as text of the interaction.
  EXPECT_EQ(Find("muller"), Ids{});
  EXPECT_EQ(Find("from:budget"), Ids{});
}

TEST_P(SearchTest, WhatIsIndexed) {
  model::Interaction in = Item("1", 1000, "");
  in.body = model::Body{"html", "<p>Hello <b>Wor</b>ld</p><script>var hidden = 1;</script><div>caf&#233; &amp; "
                                "na&#xEF;ve&nbsp;Tom&amp;Jerry</div>"};
  in.attachments.push_back(model::Attachment{"a1", "reference", "https://x/y", "quarterly numbers", "Forecast.xlsx"});
  in.links.push_back(model::Link{"https://contoso.example/wiki/Roadmap", "webLink", "Roadmap page"});
  model::Mention m;
  m.mention_id = 0;
  m.mention_text = "Megan";
  m.mentioned = model::MentionedIdentitySet{};
  m.mentioned->user = model::UserIdentity{"u-9", "Megan Bowen", "aadUser", std::nullopt};
  in.mentions.push_back(m);
  Write({in});
  for (const char* q : {"hello", "world", "naive", "cafe", "jerry", "forecast", "xlsx", "quarterly", "contoso", "roadmap", "wiki",
                        "bowen", "megan", "\"roadmap page\""}) {
    EXPECT_EQ(Find(q), Ids{"1"}) << q;
  }
  EXPECT_EQ(Find("hidden"), Ids{});  // a script's code is not text
  EXPECT_EQ(Find("wor"), Ids{});     // an inline tag does not split a word
  EXPECT_EQ(Find("x1f600 OR 239 OR amp OR nbsp"), Ids{});  // references are decoded, not words
}

TEST_P(SearchTest, CombinedWithFilterAndCoverage) {
  Write({Item("1", 1000, "budget", "IPM.SkypeTeams.Message.Copilot.Teams"),
         Item("2", 2000, "budget", "IPM.SkypeTeams.Message.Copilot.Word"), Item("3", 3000, "other")});
  EXPECT_EQ(Find("budget", "u1", "appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'"), Ids{"2"});
  EXPECT_EQ(Find("budget", "u1", "createdDateTime lt 1970-01-01T00:00:01.5Z"), Ids{"1"});
  auto search = odata::Search::Parse("budget");
  ASSERT_TRUE(search.ok());
  PageQuery q;
  q.tenant_id = kTenant;
  q.search = &*search;
  q.hidden_app_classes = {"IPM.SkypeTeams.Message.Copilot.Word"};
  std::vector<std::string> ids;
  ASSERT_TRUE(store().interactions().Page(q, [&](const store::PageRow& r) {
    ids.emplace_back(r.id);
    return true;
  }).ok());
  EXPECT_EQ(ids, Ids{"1"});
}

TEST_P(SearchTest, PagesHaveNoDuplicatesOrGapsWhileWritesHappen) {
  std::vector<model::Interaction> items;
  for (int i = 0; i < 60; ++i) items.push_back(Item("k" + std::to_string(100 + i), 1000 + i, i % 3 ? "match me" : "skip"));
  Write(items);
  auto search = odata::Search::Parse("match");
  ASSERT_TRUE(search.ok());
  PageQuery q;
  q.tenant_id = kTenant;
  q.user_id = "u1";
  q.search = &*search;
  q.limit = 7;
  // Between pages: a newer match (before the cursor: not in this export), and an older one's text
  // changes (it still matches: it is read once, where it always was).
  const Ids seen = PageThrough(q, [&](int page) {
    Write({Item("new" + std::to_string(page), 5000 + page, "match me too"),
           Item("k101", 1001, "match me, edited " + std::to_string(page))});
  });
  std::vector<std::string> expected;
  for (int i = 59; i >= 0; --i) {
    if (i % 3) expected.push_back("k" + std::to_string(100 + i));
  }
  EXPECT_EQ(seen, expected);
}

// A store upgraded from before search has rows without a search document: opening it indexes them.
TEST_P(SearchTest, RowsFromBeforeSearchAreIndexedWhenTheStoreOpens) {
  std::vector<model::Interaction> items;
  for (int i = 0; i < 1234; ++i) items.push_back(Item("old" + std::to_string(i), 1000 + i, i % 2 ? "legacy Müller" : "other"));
  Write(std::move(items));
  // What migration 9 leaves of rows written before it: no document (on SQLite, the update trigger
  // takes them out of the index as it would never have had them).
  const std::string clear = "UPDATE interactions SET search_terms = NULL";
  if (GetParam() == "sqlite") {
    auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec(clear).ok());
  } else {
    auto conn = store::postgres::Connection::Open(location_);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec(clear).ok());
  }
  EXPECT_EQ(Find("legacy"), Ids{});
  store_.reset();
  auto reopened = store::OpenStore(location_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  store_ = std::move(*reopened);
  EXPECT_EQ(Find("legacy muller").size(), 617u);
  EXPECT_EQ(Find("legacy").front(), "old1233");
  EXPECT_EQ(Find("other").size(), 617u);
}

// SQLite: the items of a batch enter the FTS5 index together, as one segment written at commit.
// Through a trigger each item became a segment of its own (FTS5 flushes at the savepoint a trigger
// opens), which cost ingest two thirds of its rate. The index stays exact through updates, deletes and
// items with nothing to index (FTS5's integrity-check compares it with the rows).
TEST_P(SearchTest, ABatchIsIndexedAsOneSegment) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "FTS5 segments are SQLite's";
  std::vector<model::Interaction> items;
  for (int i = 0; i < 50; ++i) items.push_back(Item("b" + std::to_string(i), 1000 + i, i % 10 ? "word" + std::to_string(i) + " common" : "?!"));
  Write(std::move(items));
  auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
  ASSERT_TRUE(conn.ok());
  auto segments = CountOn(**conn, "SELECT count(DISTINCT segid) FROM interaction_search_idx");
  ASSERT_TRUE(segments.ok()) << segments.status().message();
  EXPECT_EQ(*segments, 1);
  EXPECT_EQ(Find("common").size(), 45u);

  Write({Item("b1", 1001, "changed"), Item("b2", 1002, "?!"), Item("b10", 1010, "now common")});
  auto deleted = store().interactions().Delete(kTenant, "u1", std::string("b3"));
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  deleted = store().interactions().Delete(kTenant, "u1", std::string("b20"));  // nothing indexed
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(Find("common").size(), 43u);
  EXPECT_EQ(Find("changed"), Ids{"b1"});
  Status check = (*conn)->Exec("INSERT INTO interaction_search (interaction_search) VALUES ('integrity-check')");
  EXPECT_TRUE(check.ok()) << check.message();
}

// FTS5 merges eight segments of a level, not its default four (schema.cc migration 18): fewer
// rewrites of each batch's segment as the index grows.
TEST_P(SearchTest, SegmentsMergeEightAtATime) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "FTS5 segments are SQLite's";
  auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
  ASSERT_TRUE(conn.ok());
  auto automerge = CountOn(**conn, "SELECT v FROM interaction_search_config WHERE k = 'automerge'");
  ASSERT_TRUE(automerge.ok()) << automerge.status().message();
  EXPECT_EQ(*automerge, 8);
}

// A rare term is read from its matches, a frequent one by walking the history in time order (SQLite
// tells them apart by counting the matches up to 2,000): the same items in the same order either way,
// and the first page of the rare one never walks the history, even without the planner's statistics
// (aihistory never runs ANALYZE).
TEST_P(SearchTest, RareAndFrequentTermsFindTheSameWay) {
  std::vector<model::Interaction> items;
  for (int i = 0; i < 2500; ++i) {
    items.push_back(Item("f" + std::to_string(i), 1000 + i, "filler " + std::string(i % 500 ? "" : "budget")));
  }
  Write(std::move(items));
  for (const std::string user : {"u1", ""}) {
    for (const auto& [query, newest, count] : {std::tuple{"filler", "f2499", 2500}, std::tuple{"budget", "f2000", 5},
                                                std::tuple{"filler budget", "f2000", 5}}) {
      auto search = odata::Search::Parse(query);
      ASSERT_TRUE(search.ok());
      PageQuery q;
      q.tenant_id = kTenant;
      q.user_id = user;
      q.search = &*search;
      q.limit = 3;
      std::vector<std::string> ids;
      ASSERT_TRUE(store().interactions().Page(q, [&](const store::PageRow& r) { return ids.emplace_back(r.id), true; }).ok());
      ASSERT_FALSE(ids.empty()) << query;
      EXPECT_EQ(ids.front(), newest) << query;
      EXPECT_EQ(ids.size(), std::min<size_t>(3, count)) << query;
      auto n = store().interactions().Count(q);
      ASSERT_TRUE(n.ok());
      EXPECT_EQ(*n, count) << query;
    }
  }
  if (GetParam() != "sqlite") return;
  auto search = odata::Search::Parse("budget");
  ASSERT_TRUE(search.ok());
  auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
  ASSERT_TRUE(conn.ok());
  for (const std::string user : {"u1", ""}) {
    PageQuery q;
    q.tenant_id = kTenant;
    q.user_id = user;
    q.search = &*search;
    store::PageSql page = store::BuildPageSql(q, false, store::sql::SqliteDialect(), /*from_matches=*/true);
    std::string plan;
    ASSERT_TRUE(QueryOn(**conn, "EXPLAIN QUERY PLAN " + page.sql, page.params,
                                     [&](const store::sql::Row& s) { plan += std::string(s.Text(3)) + "\n"; })
                    .ok());
    EXPECT_NE(plan.find("VIRTUAL TABLE INDEX"), std::string::npos) << plan;
    EXPECT_NE(plan.find("INTEGER PRIMARY KEY"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("USING INDEX interactions_"), std::string::npos) << plan;
  }
}

// A frequent term is read window by window of the history (sqlite/search_windows.h): pages come
// newest (or oldest) first with no duplicates or gaps, also when the rows' times are unrelated to the
// order they were written in, when the first windows hold no match, with a $filter and a property
// restriction, per user and tenant-wide, and while writes happen between pages.
TEST_P(SearchTest, FrequentTermsPageInOrderAcrossWindows) {
  constexpr int kItems = 6000;
  struct Row {
    int64_t ms;
    std::string id, user, text, app;
  };
  std::vector<Row> rows;
  for (int i = 0; i < kItems; ++i) {
    // Times a permutation of the write order (7919 is prime to kItems): rowids say nothing of time.
    const int t = static_cast<int>((static_cast<int64_t>(i) * 7919) % kItems);
    std::string text = "common";
    if (t % 3 == 0) text += " tri";
    if (t < 2100) text += " oldest";  // only in the oldest items: the newest windows hold none of it
    text += " v" + std::to_string(t % 40);  // "v*": more terms than a prefix is read as (prefix_terms.h)
    rows.push_back({1000 + t, "w" + std::to_string(i), "u" + std::to_string(1 + i % 3), text,
                    i % 2 ? "IPM.SkypeTeams.Message.Copilot.Word" : "IPM.SkypeTeams.Message.Copilot.Excel"});
  }
  for (const std::string user : {"u1", "u2", "u3"}) {
    std::vector<model::Interaction> batch;
    for (const Row& r : rows) {
      if (r.user == user) batch.push_back(Item(r.id, r.ms, r.text, r.app));
    }
    Write(std::move(batch), user);
  }
  struct Case {
    const char* search;
    std::string filter;
    std::function<bool(const Row&)> finds;
  };
  const std::vector<Case> cases = {
      {"common", "", [](const Row&) { return true; }},
      {"common -tri", "", [](const Row& r) { return (r.ms - 1000) % 3 != 0; }},
      {"comm* -tri", "", [](const Row& r) { return (r.ms - 1000) % 3 != 0; }},
      {"v* -tri", "", [](const Row& r) { return (r.ms - 1000) % 3 != 0; }},
      {"v1* OR oldest-v2*", "",  // a word with punctuation is a phrase, its last term the prefix
       [](const Row& r) {
         const int v = (r.ms - 1000) % 40;
         return v == 1 || (v >= 10 && v < 20) || (r.ms < 3100 && (v == 2 || (v >= 20 && v < 30)));
       }},
      {"oldest", "", [](const Row& r) { return r.ms < 3100; }},
      {"oldest appClass:IPM.SkypeTeams.Message.Copilot.Word", "",
       [](const Row& r) { return r.ms < 3100 && r.app == "IPM.SkypeTeams.Message.Copilot.Word"; }},
      {"common OR nowhere", "createdDateTime lt 1970-01-01T00:00:04Z",
       [](const Row& r) { return r.ms < 4000; }},
  };
  int edits = 0;
  for (const Case& c : cases) {
    for (const std::string user : {"u1", ""}) {
      for (const bool ascending : {false, true}) {
        auto search = odata::Search::Parse(c.search);
        ASSERT_TRUE(search.ok());
        std::optional<odata::Filter> filter;
        if (!c.filter.empty()) filter = std::move(*odata::Filter::Parse(c.filter));
        std::vector<std::string> want = ExpectedIds(rows, user, ascending, [&](const Row& r) { return c.finds(r); });

        PageQuery q;
        q.tenant_id = kTenant;
        q.user_id = user;
        q.search = &*search;
        q.filter = filter ? &*filter : nullptr;
        q.ascending = ascending;
        q.limit = 450;
        // Between the pages of a newest-first export: a matching item newer than any, before the
        // cursor, so not in this export.
        const Ids seen = PageThrough(q, [&](int) {
          if (ascending) return;
          ++edits;
          Write({Item("late" + std::to_string(edits), 900000 + edits, "common tri oldest nowhere")}, "u1");
        });
        EXPECT_EQ(seen, want) << c.search << " user '" << user << "' " << (ascending ? "asc" : "desc");
        // Keep the late items out of the next cases' expectations.
        for (int e = 1; e <= edits; ++e) {
          ASSERT_TRUE(store().interactions().Delete(kTenant, "u1", "late" + std::to_string(e)).ok());
        }
        edits = 0;
      }
    }
  }
}

// PostgreSQL reads a search's page from the history's newest rows first, then window by window or
// from the matches older than them (postgres/search_window.h). Pages of rare, medium (1%), fading
// (dense among the newest rows, sparse before) and frequent words, per user and tenant-wide, newest
// and oldest first, cross those boundaries with no duplicates or gaps, also when one falls inside a
// page and while writes happen between pages; the same on every engine. On PostgreSQL each word is
// also read with the steps shrunk, so that this small history spans many windows, and with the
// choice between windows and matches forced each way.
TEST_P(SearchTest, PagesCrossTheNewestRowsWithoutGapsOrDuplicates) {
  const int per_user = 2 * store::postgres::kNewestRows + 300;  // u1: the newest rows end twice over
  struct Row {
    int64_t ms;
    std::string id, user, text;
  };
  std::vector<Row> rows;
  for (int i = 0; i < per_user + per_user / 4; ++i) {
    const std::string user = i < per_user ? "u1" : "u2";
    // Both users' times interleave, and some share a millisecond (ties broken by id, then user).
    const int64_t ms = 1000 + (i < per_user ? i : (i - per_user) * 4) / 2;
    std::string text = "filler";
    if (i % 3 == 0) text += " frequent";
    if (i % 97 == 5) text += " medium";
    if (i % 1500 == 7 || i == per_user - 1) text += " seldom";  // the newest u1 row holds it too
    // One in three of u1's newest 150 rows, one in sixty before: the density the newest rows show
    // overstates the older rows', so windows fall short and grow.
    if (i < per_user && per_user - i <= 150 ? i % 3 == 0 : i % 60 == 0) text += " fading";
    rows.push_back({ms, "x" + std::to_string(i), user, text});
  }
  for (const std::string user : {"u1", "u2"}) {
    std::vector<model::Interaction> batch;
    for (const Row& r : rows) {
      if (r.user == user) batch.push_back(Item(r.id, r.ms, r.text));
    }
    Write(std::move(batch), user);
  }
  // How each page is read: the store's Page, and on PostgreSQL the steps themselves, shrunk (64
  // newest rows, walks and windows from 64 rows), the rest read each way in turn (once a match was
  // seen), and the cheapest by the costs of service.
  struct Reader {
    const char* name;
    std::optional<store::postgres::SearchSteps> steps;
  };
  std::vector<Reader> readers = {{"store", std::nullopt}};
  std::unique_ptr<store::postgres::Database> db;
  if (GetParam() == "postgresql") {
    auto opened = store::postgres::Database::Open(location_, store::postgres::Options{.pool_size = 2, .writers = 1});
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db = std::move(*opened);
    using Rest = store::postgres::SearchSteps::Rest;
    readers.push_back({"walks", store::postgres::SearchSteps{64, 64, Rest::kWalk}});
    readers.push_back({"windows", store::postgres::SearchSteps{64, 64, Rest::kWindows}});
    readers.push_back({"matches", store::postgres::SearchSteps{64, 64, Rest::kMatches}});
    readers.push_back({"cheapest", store::postgres::SearchSteps{64, 64, Rest::kCheapest}});
  }
  int most_walks = 0, most_windows = 0;  // in one page, with the "walks" and "windows" readers
  int late = 0;
  for (const Reader& reader : readers) {
    const std::vector<std::string> words = {"seldom", "medium", "fading", "frequent", "medium filler",
                                            "frequent OR seldom"};
    for (const std::string& word : words) {
      for (const std::string user : {"u1", ""}) {
        for (const bool ascending : {false, true}) {
          auto search = odata::Search::Parse(word);
          ASSERT_TRUE(search.ok());
          std::vector<std::string> want = ExpectedIds(rows, user, ascending, [&](const Row& r) {
            return word == "frequent OR seldom"
                       ? r.text.find("frequent") != std::string::npos || r.text.find("seldom") != std::string::npos
                       : r.text.find(word.substr(0, word.find(' '))) != std::string::npos;
          });

          PageQuery q;
          q.tenant_id = kTenant;
          q.user_id = user;
          q.search = &*search;
          q.ascending = ascending;
          q.limit = 101;
          PageReader read;
          if (reader.steps) {
            read = [&](const PageQuery& page, const std::function<bool(const store::PageRow&)>& emit) {
              store::postgres::SearchPageTrace trace;
              Status s = store::postgres::ReadSearchPage(*db, page, emit, *reader.steps, &trace);
              using Rest = store::postgres::SearchSteps::Rest;
              if (reader.steps->rest != Rest::kWalk && reader.steps->rest != Rest::kCheapest) {
                EXPECT_EQ(trace.walks, 0) << reader.name;
              }
              if (reader.steps->rest != Rest::kWindows && reader.steps->rest != Rest::kCheapest) {
                EXPECT_EQ(trace.windows, 0) << reader.name;
              }
              if (reader.steps->rest == Rest::kWalk) most_walks = std::max(most_walks, trace.walks);
              if (reader.steps->rest == Rest::kWindows) most_windows = std::max(most_windows, trace.windows);
              return s;
            };
          }
          // Between the pages of a newest-first export: a matching item newer than any (before the
          // cursor: not in this export), and an older match's text edited (x2139: it still matches
          // the same words).
          const Ids seen = PageThrough(
              q,
              [&](int) {
                if (ascending) return;
                ++late;
                Write({Item("late" + std::to_string(late), 9000000 + late, "frequent medium seldom fading filler"),
                       Item("x" + std::to_string(97 * 22 + 5), 1000 + (97 * 22 + 5) / 2,
                            "filler frequent medium edited " + std::to_string(late))},
                      "u1");
              },
              read);
          EXPECT_EQ(seen, want) << reader.name << ": " << word << " user '" << user << "' "
                                << (ascending ? "asc" : "desc");
          for (int e = 1; e <= late; ++e) {
            ASSERT_TRUE(store().interactions().Delete(kTenant, "u1", "late" + std::to_string(e)).ok());
          }
          late = 0;
        }
      }
    }
  }
  // The fading word's first page took several walks or windows, each sized from the density seen
  // before it.
  if (db) {
    EXPECT_GE(most_walks, 3);
    EXPECT_GE(most_windows, 3);
  }
}

// After the newest rows, the rest of a PostgreSQL page is read the way its density and the table's
// size say costs least (postgres/search_window.h): a sparse word from its matches, a word in 1% of
// the items by a window at a million rows but by walking on at ten million (where the GIN list a
// window reads is ten times longer and walking costs the same), one in 0.2% by a window there.
TEST(PostgresSearchSteps, TheCheapestWayByDensityAndTableSize) {
  using store::postgres::ChooseNextStep;
  using Rest = store::postgres::SearchSteps::Rest;
  // Nothing found yet, or a page already full: nothing tells the density.
  EXPECT_EQ(ChooseNextStep(0, 2048, 101, 1e6).way, Rest::kMatches);
  // One in 2,048 found (the benchmark's rare word is one in 10,007): its matches.
  EXPECT_EQ(ChooseNextStep(1, 2048, 100, 1e6).way, Rest::kMatches);
  EXPECT_EQ(ChooseNextStep(1, 2048, 100, 1e7).way, Rest::kMatches);
  // 1%.
  EXPECT_EQ(ChooseNextStep(20, 2048, 81, 1e6).way, Rest::kWindows);
  const auto at_ten_million = ChooseNextStep(20, 2048, 81, 1e7);
  EXPECT_EQ(at_ten_million.way, Rest::kWalk);
  // Half as many rows again as the page needs at that density, in steps of 1,024.
  EXPECT_GE(at_ten_million.rows, 81 * 2048 / 20 * 3 / 2);
  EXPECT_EQ(at_ten_million.rows % 1024, 0);
  // 0.2% at ten million.
  EXPECT_EQ(ChooseNextStep(4, 2048, 97, 1e7).way, Rest::kWindows);
  // A table whose size the planner does not know yet (-1) counts as the rows read so far: its
  // matches are those found, cheapest read directly.
  EXPECT_EQ(ChooseNextStep(20, 2048, 81, -1).way, Rest::kMatches);
}

// The statements of a PostgreSQL search page keep their shapes: the newest rows walked in the time
// index and stopped by their LIMIT (no full-text index, no sort), a window's end found in the time
// index alone, a window's rows read as the GIN index's bitmap ANDed with the time index's (whether
// or not the table has statistics), and the rest read from the GIN index's matches (no B-tree index
// of the history walked).
TEST_P(SearchTest, PostgresReadsTheNewestRowsThenTheMatches) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "the plan of PostgreSQL's search page";
  std::vector<model::Interaction> items;
  for (int i = 0; i < 3000; ++i) items.push_back(Item("f" + std::to_string(i), 1000 + i, "filler text " + std::to_string(i % 50)));
  items.push_back(Item("rare", 500, "the quarterly budget report"));
  Write(std::move(items));
  auto conn = store::postgres::Connection::Open(location_);
  ASSERT_TRUE(conn.ok()) << conn.status().message();
  // A window's statement, planned as the page plans it: under kWindowPlanSettings, in a transaction.
  // Windows are read for words found in more than a few rows in a thousand ("7": one row in fifty).
  // Whatever the planner's estimates, a window is read through bitmaps, never walked in time order
  // testing each row nor read whole; with statistics, a window bounded on both sides is the GIN
  // index's bitmap ANDed with the time index's range (one reaching the history's end may be the GIN
  // index's alone: the planner's choice by the matches it expects, all of which it then fetches).
  auto window_plans = [&](bool with_statistics) {
    for (const std::string user : {"u1", ""}) {
      for (const std::string query : {"7", "\"text 7\"", "7 -budget", "7 OR 東京*"}) {
        auto search = odata::Search::Parse(query);
        ASSERT_TRUE(search.ok());
        PageQuery q;
        q.tenant_id = kTenant;
        q.user_id = user;
        q.search = &*search;
        q.limit = 101;
        q.after = odata::CursorPosition{model::Timestamp::FromUnixMillis(2500).ticks, "f1500", "u1"};
        for (const bool to_the_end : {false, true}) {
          store::HistoryWindow w;
          w.to_the_end = to_the_end;
          w.last = odata::CursorPosition{model::Timestamp::FromUnixMillis(2200).ticks, "", ""};
          const store::PageSql page = store::postgres::BuildWindowPageSql(q, w);
          std::string plan;
          ASSERT_TRUE((*conn)->Exec("BEGIN").ok());
          ASSERT_TRUE((*conn)->Exec(store::postgres::kWindowPlanSettings).ok());
          EXPECT_TRUE(QueryOn(**conn, "EXPLAIN " + page.sql, page.params,
                                             [&](const store::sql::Row& r) { plan += r.String(0) + "\n"; })
                          .ok());
          ASSERT_TRUE((*conn)->Exec("ROLLBACK").ok());
          const std::string time_index = user.empty() ? "interactions_tenant_time" : "interactions_user_time";
          const std::string where = std::string(with_statistics ? "with" : "without") + " statistics, " + query +
                                    ", user '" + user + "'" + (to_the_end ? ", to the end" : "") + "\n";
          EXPECT_NE(plan.find("Bitmap Heap Scan on interactions"), std::string::npos) << where << plan;
          EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << where << plan;
          EXPECT_EQ(plan.find("Index Scan using"), std::string::npos) << where << plan;
          EXPECT_EQ(plan.find("Index Scan Backward"), std::string::npos) << where << plan;
          EXPECT_EQ(plan.find("Index Only Scan"), std::string::npos) << where << plan;
          if (!with_statistics || to_the_end) continue;
          EXPECT_NE(plan.find("BitmapAnd"), std::string::npos) << where << plan;
          EXPECT_NE(plan.find("Bitmap Index Scan on interactions_search"), std::string::npos) << where << plan;
          EXPECT_NE(plan.find("Bitmap Index Scan on " + time_index), std::string::npos) << where << plan;
        }
      }
    }
  };
  window_plans(false);
  ASSERT_TRUE((*conn)->Exec("ANALYZE interactions").ok());
  window_plans(true);
  ASSERT_TRUE((*conn)->Exec("SET enable_seqscan = off").ok());  // a small table is cheapest read whole
  // The newest rows are a small part of a long history; here, of 3,000 rows, a tenth of them (the
  // share of kNewestRows in a history of 20,000).
  constexpr int kNewest = 300;
  for (const std::string user : {"u1", ""}) {
    for (const std::string query : {"budget", "budget \"quarterly report\" OR 東京*", "budget -filler"}) {
      auto search = odata::Search::Parse(query);
      ASSERT_TRUE(search.ok());
      PageQuery q;
      q.tenant_id = kTenant;
      q.user_id = user;
      q.search = &*search;
      q.limit = 101;
      ASSERT_TRUE(store::postgres::ReadsSearchByWindow(q)) << query;
      auto plan_of = [&](const store::PageSql& page) {
        std::string plan;
        EXPECT_TRUE(QueryOn(**conn, "EXPLAIN " + page.sql, page.params,
                                           [&](const store::sql::Row& r) { plan += r.String(0) + "\n"; })
                        .ok());
        return plan;
      };
      const std::string time_index = user.empty() ? "interactions_tenant_time" : "interactions_user_time";
      const std::string newest =
          plan_of(store::BuildNewestRowsPageSql(q, kNewest, store::sql::PostgresDialect()));
      EXPECT_NE(newest.find("Index Scan Backward using " + time_index), std::string::npos) << newest;
      EXPECT_EQ(newest.find("interactions_search"), std::string::npos) << newest;
      EXPECT_EQ(newest.find("Sort"), std::string::npos) << newest;
      const std::string end = plan_of(store::BuildNewestRowsEndSql(q, kNewest, store::sql::PostgresDialect()));
      EXPECT_NE(end.find("Index Only Scan Backward using " + time_index), std::string::npos) << end;
      q.after = odata::CursorPosition{model::Timestamp::FromUnixMillis(2000).ticks, "f1000", "u1"};
      const std::string matches = plan_of(
          store::BuildPageSql(q, false, store::sql::PostgresDialect(), /*from_matches=*/true));
      EXPECT_NE(matches.find("Bitmap Index Scan on interactions_search"), std::string::npos) << matches;
      EXPECT_EQ(matches.find("interactions_tenant_"), std::string::npos) << matches;
      EXPECT_EQ(matches.find("interactions_user_"), std::string::npos) << matches;
      EXPECT_EQ(matches.find("interactions_pkey"), std::string::npos) << matches;
    }
  }
  // A search that no full-text match drives (an OR with a property restriction), or with a $filter
  // whose indexes serve it, is read as one statement.
  auto undriven = odata::Search::Parse("budget OR appClass:IPM.SkypeTeams.Message.Copilot.Word");
  ASSERT_TRUE(undriven.ok()) << undriven.status().message();
  auto filter = odata::Filter::Parse("appClass eq 'IPM.SkypeTeams.Message.Copilot.BizChat'");
  ASSERT_TRUE(filter.ok());
  auto budget = odata::Search::Parse("budget");
  ASSERT_TRUE(budget.ok());
  PageQuery q;
  q.tenant_id = kTenant;
  q.search = &*undriven;
  EXPECT_FALSE(store::postgres::ReadsSearchByWindow(q));
  q.search = &*budget;
  q.filter = &*filter;
  EXPECT_FALSE(store::postgres::ReadsSearchByWindow(q));
}

// A prefix is matched as the OR of the index's terms that start with it (sqlite/prefix_terms.h), read
// one seek per term; one with more terms than kMaxPrefixTerms, or with none, stays a prefix. Either
// way it finds what the prefix finds, on every engine.
TEST_P(SearchTest, PrefixesAreReadAsTheirTerms) {
  std::vector<model::Interaction> items = {
      Item("1", 1000, "forecast"), Item("2", 2000, "forecasts and forecasting"), Item("3", 3000, "format fore"),
      Item("4", 4000, "send the e-mail"), Item("5", 5000, "e-mails sent"), Item("6", 6000, "mail only")};
  std::string many;
  for (int i = 0; i < 40; ++i) many += " zz" + std::to_string(i);
  items.push_back(Item("7", 7000, many));
  Write(std::move(items));
  EXPECT_EQ(Find("forec*"), (Ids{"2", "1"}));
  EXPECT_EQ(Find("fore*"), (Ids{"3", "2", "1"}));
  EXPECT_EQ(Find("e-mai*"), (Ids{"5", "4"}));
  EXPECT_EQ(Find("zz*"), Ids{"7"});
  EXPECT_EQ(Find("zz3*"), Ids{"7"});
  EXPECT_EQ(Find("nomatch*"), Ids{});
  EXPECT_EQ(Find("fore* -forecasts"), (Ids{"3", "1"}));
  if (GetParam() != "sqlite") return;

  auto search = odata::Search::Parse("forec* OR fore* OR e-mai* OR zz* OR zz3* OR nomatch*");
  ASSERT_TRUE(search.ok());
  auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/true);
  ASSERT_TRUE(conn.ok());
  store::PrefixTerms terms;
  ASSERT_TRUE(store::sqlite::OnConnection(**conn, [&](store::sql::Session& s) {
                auto read = store::sqlite::ReadPrefixTerms(s, *search);
                if (read.ok()) terms = std::move(*read);
                return read.status();
              }).ok());
  using Terms = std::vector<std::string>;
  EXPECT_EQ(terms["forec"], (Terms{"forecast", "forecasting", "forecasts"}));
  EXPECT_EQ(terms["fore"], (Terms{"fore", "forecast", "forecasting", "forecasts"}));
  EXPECT_EQ(terms["mai"], (Terms{"mail", "mails"}));
  EXPECT_EQ(terms["zz3"], (Terms{"zz3", "zz30", "zz31", "zz32", "zz33", "zz34", "zz35", "zz36", "zz37", "zz38",
                                 "zz39"}));
  EXPECT_EQ(terms.count("zz"), 0u);  // 40 terms: matched as a prefix
  EXPECT_EQ(terms["nomatch"], Terms{});
  // The FTS5 query: a phrase's last place takes each term; the others stay prefixes.
  auto phrase = odata::Search::Parse("e-mai* OR zz* OR nomatch*");
  ASSERT_TRUE(phrase.ok());
  EXPECT_EQ(store::FullTextQuery(phrase->root(), store::FullTextEngine::kFts5, &terms),
            "((\"e mail\" OR \"e mails\") OR \"zz\"* OR \"nomatch\"*)");
}

// A store written at schema 18, before the index's vocabulary, is brought forward when opened, and its
// prefixes are then read as their terms.
TEST_P(SearchTest, AStoreFromBeforeTheVocabularyIsUpgraded) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "the vocabulary is FTS5's";
  Write({Item("1", 1000, "forecast"), Item("2", 2000, "forecasting")});
  store_.reset();
  {
    auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec("DROP TABLE interaction_search_vocab; PRAGMA user_version = 18").ok());
  }
  auto reopened = store::OpenStore(location_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  store_ = std::move(*reopened);
  EXPECT_EQ(*store().SchemaVersion(), store::sqlite::LatestSchemaVersion());
  EXPECT_EQ(Find("forec*"), (Ids{"2", "1"}));
  auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/true);
  ASSERT_TRUE(conn.ok());
  auto n = CountOn(**conn, "SELECT count(*) FROM interaction_search_vocab WHERE term >= 'forec'");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 2);
}

// The plan of a search page for a rare term: the full-text index finds the rows; the history of
// the user (or tenant) is not scanned. (A term on most rows may be served by walking the time index,
// which stops after a page: both cost what the page returns.)
TEST_P(SearchTest, ExplainUsesTheFullTextIndex) {
  std::vector<model::Interaction> items;
  for (int i = 0; i < 3000; ++i) items.push_back(Item("f" + std::to_string(i), 1000 + i, "filler text " + std::to_string(i % 50)));
  items.push_back(Item("rare", 500, "the quarterly budget report"));
  Write(std::move(items));
  for (const std::string user : {"u1", ""}) {
    auto search = odata::Search::Parse("budget \"quarterly report\" OR 東京*");
    ASSERT_TRUE(search.ok());
    PageQuery q;
    q.tenant_id = kTenant;
    q.user_id = user;
    q.search = &*search;
    q.limit = 101;
    std::string plan;
    if (GetParam() == "sqlite") {
      store::PageSql page = store::BuildPageSql(q, false, store::sql::SqliteDialect());
      auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
      ASSERT_TRUE(conn.ok());
      ASSERT_TRUE((*conn)->Exec("ANALYZE").ok());
      ASSERT_TRUE(QueryOn(**conn, "EXPLAIN QUERY PLAN " + page.sql, page.params,
                                       [&](const store::sql::Row& s) { plan += std::string(s.Text(3)) + "\n"; })
                      .ok());
      EXPECT_NE(plan.find("VIRTUAL TABLE INDEX"), std::string::npos) << plan;  // FTS5 MATCH
      EXPECT_NE(plan.find("INTEGER PRIMARY KEY"), std::string::npos) << plan;  // each hit's row by its rowid
      EXPECT_EQ(plan.find("SCAN interactions"), std::string::npos) << plan;
      EXPECT_EQ(plan.find("USING INDEX interactions_"), std::string::npos) << plan;
    } else {
      store::PageSql page = store::BuildPageSql(q, false, store::sql::PostgresDialect());
      auto conn = store::postgres::Connection::Open(location_);
      ASSERT_TRUE(conn.ok()) << conn.status().message();
      ASSERT_TRUE((*conn)->Exec("ANALYZE interactions").ok());
      // A few thousand rows fit in a few pages, which are cheapest read whole: ask for the plan of a
      // table too large for that.
      ASSERT_TRUE((*conn)->Exec("SET enable_seqscan = off").ok());
      ASSERT_TRUE(QueryOn(**conn, "EXPLAIN " + page.sql, page.params,
                                         [&](const store::sql::Row& r) { plan += r.String(0) + "\n"; })
                      .ok());
      EXPECT_NE(plan.find("Bitmap Index Scan on interactions_search"), std::string::npos) << plan;
      EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
      EXPECT_EQ(plan.find("interactions_tenant_time"), std::string::npos) << plan;
      EXPECT_EQ(plan.find("interactions_user_time"), std::string::npos) << plan;
    }
  }
}

// The stored-document spelling of a search (search_sql.h) finds exactly what FTS5 finds on the same
// store: words, phrases, prefixes of one to five letters, CJK pairs, from:, NOT, OR, property
// restrictions, an empty document, and a document cut at kMaxDocumentBytes (what was cut is found by
// neither).
TEST_P(SearchTest, TheStoredDocumentFindsWhatTheIndexFinds) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "the stored document is SQLite's spelling";
  std::vector<model::Interaction> items = {
      Item("1", 1000, "The quarterly budget forecast for Müller"),
      Item("2", 2000, "forecasting the budget; an e-mail to the board", "IPM.SkypeTeams.Message.Copilot.Word"),
      Item("3", 3000, "draft budget, not final"),
      Item("4", 4000, "我们明天在北京开会讨论预算"),
      Item("5", 5000, "東京のデータベース移行計画"),
      Item("6", 6000, "format fore forecast-draft mail", "IPM.SkypeTeams.Message.Copilot.Word"),
      Item("7", 7000, ""),
      Item("8", 8000, "e mail budgetary f"),
  };
  items[0].from = model::FromIdentitySet{std::nullopt, std::nullopt,
                                         model::UserIdentity{std::string("megan-1"), std::string("Megan Bowen"),
                                                             std::string("aadUser"), std::string(kTenant)}};
  items[2].from = model::FromIdentitySet{std::nullopt, std::nullopt,
                                         model::UserIdentity{std::string("adele-2"), std::string("Adele Vance"),
                                                             std::string("aadUser"), std::string(kTenant)}};
  // A body longer than the document holds: "truncatedhead" is indexed, "truncatedtail" was cut.
  std::string big = "truncatedhead";
  while (big.size() < store::kMaxDocumentBytes + 1000) big += " filler";
  big += " truncatedtail";
  items.push_back(Item("9", 9000, big));
  Write(std::move(items));

  auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/true);
  ASSERT_TRUE(conn.ok());
  auto found = [&](const odata::Search& search, store::FullTextEngine engine) {
    store::sql::Args params{std::string(kTenant)};
    const std::string condition = store::SearchCondition(search, engine, [&](std::string v) {
      params.emplace_back(std::move(v));
      return "?" + std::to_string(params.size());
    });
    std::set<std::string> ids;
    Status s = QueryOn(**conn, "SELECT id FROM interactions WHERE tenant_id = ?1 AND " + condition, params,
                                    [&](const store::sql::Row& row) { ids.emplace(row.Text(0)); });
    EXPECT_TRUE(s.ok()) << s.message();
    return ids;
  };
  for (const auto& [query, expected] : std::vector<std::pair<std::string, std::set<std::string>>>{
           {"budget", {"1", "2", "3"}},
           {"BUDGET muller", {"1"}},
           {"\"budget forecast\"", {"1"}},
           {"\"forecast budget\"", {}},
           {"e-mail", {"2", "8"}},
           {"f*", {"1", "2", "3", "6", "8", "9"}},
           {"fo*", {"1", "2", "6"}},
           {"for*", {"1", "2", "6"}},
           {"fore*", {"1", "2", "6"}},
           {"forec*", {"1", "2", "6"}},
           {"budge*", {"1", "2", "3", "8"}},
           {"e-mai*", {"2", "8"}},
           {"北京", {"4"}},
           {"北京 预算", {"4"}},
           {"京*", {"4", "5"}},  // 京开, 京の: pairs that start with it
           {"データベース", {"5"}},
           {"budget NOT draft", {"1", "2"}},
           {"budget -draft -board", {"1"}},
           {"draft OR 東京", {"3", "5", "6"}},
           {"(f* OR 北京) -budget", {"4", "6", "8", "9"}},
           {"from:megan", {"1"}},
           {"from:bow*", {"1"}},
           {"from:megan OR from:adele", {"1", "3"}},
           {"meg*", {}},
           {"budget appClass:IPM.SkypeTeams.Message.Copilot.Word", {"2"}},
           {"appClass:IPM.SkypeTeams.Message.Copilot.Word -draft", {"2"}},
           {"appClass:IPM.SkypeTeams.Message.Copilot.BizChat -budget", {"4", "5", "7", "8", "9"}},
           {"interactionType:userPrompt NOT f*", {"4", "5", "7"}},
           {"truncatedhead", {"9"}},
           {"truncatedtail", {}},
           {"truncated*", {"9"}},
       }) {
    auto search = odata::Search::Parse(query);
    ASSERT_TRUE(search.ok()) << query << ": " << search.status().message();
    const std::set<std::string> fts5 = found(*search, store::FullTextEngine::kFts5);
    EXPECT_EQ(fts5, expected) << query;  // the test's own expectation, so that agreeing means something
    EXPECT_EQ(found(*search, store::FullTextEngine::kStoredDocument), fts5) << query;
  }
}

// The statements run on `conn` while `work` runs, as SQLite expanded them (bound values written in).
std::vector<std::string> StatementsRun(store::sqlite::Connection& conn, const std::function<void()>& work) {
  std::vector<std::string> run;
  sqlite3_trace_v2(
      conn.handle(), SQLITE_TRACE_STMT,
      [](unsigned, void* ctx, void* stmt, void*) {
        char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(stmt));
        if (sql) static_cast<std::vector<std::string>*>(ctx)->emplace_back(sql);
        sqlite3_free(sql);
        return 0;
      },
      &run);
  work();
  sqlite3_trace_v2(conn.handle(), 0, nullptr, nullptr);
  return run;
}

// A prefix of more terms than kMaxPrefixTerms (`v*`) found in many items: telling it frequent reads
// the vocabulary up to the bound, never the prefix's FTS5 match lists (which FTS5 merges whole, for
// any range), and its windows test the rows' stored documents: the first page runs no FTS5 prefix
// at all. A rare one is told rare the same way. Past kMaxDocumentRows positions without a full page,
// the rest of the page is read against the match list, merged once: the same rows either way.
TEST_P(SearchTest, APrefixOfManyTermsIsReadWithoutMergingItsMatchLists) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "FTS5's prefixes";
  std::vector<model::Interaction> items;
  for (int i = 0; i < 3000; ++i) {
    std::string text = "v" + std::to_string(i % 40) + " filler";
    if (i < 5) text += " zz" + std::to_string(i * 10) + " zz" + std::to_string(i * 10 + 1) + " zz" +
                       std::to_string(i * 10 + 2) + " zz" + std::to_string(i * 10 + 3) + " zz" +
                       std::to_string(i * 10 + 4) + " zz" + std::to_string(i * 10 + 5) + " zz" +
                       std::to_string(i * 10 + 6) + " zz" + std::to_string(i * 10 + 7);  // 40 zz terms in 5 items
    items.push_back(Item("i" + std::to_string(i), 1000 + i, text));
  }
  Write(std::move(items));
  auto conn = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/true);
  ASSERT_TRUE(conn.ok());
  auto runs_fts5_prefix = [](const std::vector<std::string>& run, const std::string& prefix) {
    for (const std::string& sql : run) {
      if (sql.find("MATCH") != std::string::npos && sql.find("\"" + prefix + "\"*") != std::string::npos) return true;
    }
    return false;
  };
  for (const auto& [query, rare] : {std::pair{"v*", false}, std::pair{"zz*", true}}) {
    auto search = odata::Search::Parse(query);
    ASSERT_TRUE(search.ok());
    bool is_rare = !rare;
    const auto run = StatementsRun(**conn, [&] {
      ASSERT_TRUE(store::sqlite::OnConnection(**conn, [&](store::sql::Session& s) {
                    auto r = store::sqlite::IsRareSearch(s, *search);
                    if (r.ok()) is_rare = *r;
                    return r.status();
                  }).ok());
    });
    EXPECT_EQ(is_rare, rare) << query;
    EXPECT_FALSE(runs_fts5_prefix(run, std::string(query, std::string(query).size() - 1))) << query;
  }

  auto search = odata::Search::Parse("v* -v3");
  ASSERT_TRUE(search.ok());
  for (const std::string user : {"u1", ""}) {
    PageQuery q;
    q.tenant_id = kTenant;
    q.user_id = user;
    q.search = &*search;
    q.limit = 20;
    Ids expected;
    for (int i = 2999; static_cast<int>(expected.size()) < q.limit; --i) {
      if (i % 40 != 3) expected.push_back("i" + std::to_string(i));
    }
    Ids ids;
    // The page as SqliteInteractions reads a frequent search's: its prefixes' terms, then its windows,
    // in one snapshot.
    auto read_page = [&](int max_document_rows) {
      store::sqlite::ReadSnapshot snapshot(**conn);
      ASSERT_TRUE(snapshot.Begin().ok());
      store::PrefixTerms terms;
      ASSERT_TRUE(store::sqlite::OnConnection(**conn, [&](store::sql::Session& s) {
                    auto read = store::sqlite::ReadPrefixTerms(s, *q.search);
                    if (read.ok()) terms = std::move(*read);
                    return read.status();
                  }).ok());
      ASSERT_TRUE(store::sqlite::ReadSearchPageByWindows(
                      **conn, q, terms, [&](const store::PageRow& r) { return ids.emplace_back(r.id), true; },
                      max_document_rows)
                      .ok());
    };
    const auto run = StatementsRun(**conn, [&] { read_page(store::sqlite::kMaxDocumentRows); });
    EXPECT_EQ(ids, expected);
    EXPECT_FALSE(runs_fts5_prefix(run, "v"));

    // A prefix in few items, past the positions its documents are read for: the rest of the page
    // from its match list, once.
    auto sparse = odata::Search::Parse("zz*");
    ASSERT_TRUE(sparse.ok());
    q.search = &*sparse;
    for (const int budget : {store::sqlite::kMaxDocumentRows, 300}) {
      ids.clear();
      const auto sparse_run = StatementsRun(**conn, [&] { read_page(budget); });
      EXPECT_EQ(ids, (Ids{"i4", "i3", "i2", "i1", "i0"})) << budget;
      EXPECT_EQ(runs_fts5_prefix(sparse_run, "zz"), budget == 300) << budget;
    }
    q.search = &*search;
  }
}

// The rowid ranges a window's FTS5 matches are read from: split at gaps wider than asked, at most so
// many (the narrowest gaps read through), disjoint, as a power of two of them (empty ones added).
TEST(SearchWindowsTest, RowidRangesHoldEveryRowidInFewRanges) {
  using Ranges = std::vector<std::pair<int64_t, int64_t>>;
  EXPECT_EQ(store::sqlite::RowidRangesOf({}, 10, 16), Ranges{});
  EXPECT_EQ(store::sqlite::RowidRangesOf({5}, 10, 16), (Ranges{{5, 5}}));
  EXPECT_EQ(store::sqlite::RowidRangesOf({500, 2, 101, 1, 3, 100}, 10, 16),
            (Ranges{{1, 3}, {100, 101}, {500, 500}, {1, 0}}));
  EXPECT_EQ(store::sqlite::RowidRangesOf({500, 2, 101, 1, 3, 100}, 10, 2), (Ranges{{1, 101}, {500, 500}}));
  EXPECT_EQ(store::sqlite::RowidRangesOf({1, 3, 100, 101, 500}, 1000, 16), (Ranges{{1, 500}}));
}

INSTANTIATE_TEST_SUITE_P(Engines, SearchTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
