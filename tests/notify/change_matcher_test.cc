// Which changes a subscription is told about: change type, owner, and $filter, including deletions,
// whose interaction is gone.
#include <gtest/gtest.h>

#include "model/interaction_reader.h"
#include "notify/change_matcher.h"
#include "odata/filter.h"

namespace aih::notify {
namespace {

constexpr int64_t kJan15 = 17'369'352'000'000'000;  // 2025-01-15T10:00:00Z in ticks

store::Subscription Sub(const std::string& types, const std::string& user = "", const std::string& filter = "") {
  store::Subscription s;
  s.id = "s";
  s.user_id = user;
  s.filter = filter;
  for (auto t : {store::ChangeType::kCreated, store::ChangeType::kUpdated, store::ChangeType::kDeleted}) {
    if (types.find(store::ToString(t)) != std::string::npos) s.change_types |= store::ChangeTypeBit(t);
  }
  return s;
}

store::Change Change(store::ChangeType type, const std::string& user = "u1", const std::string& id = "1736935200000") {
  store::Change c;
  c.seq = 1;
  c.tenant_id = "t";
  c.user_id = user;
  c.interaction_id = id;
  c.type = type;
  c.ticks = kJan15;
  return c;
}

model::Interaction Interaction(const std::string& app_class) {
  auto item = model::ReadItem(R"({"id":"1736935200000","appClass":")" + app_class +
                              R"(","interactionType":"userPrompt","createdDateTime":"2025-01-15T10:00:00Z"})");
  EXPECT_TRUE(item.ok()) << item.status().message();
  return item->interaction;
}

TEST(ChangeMatcher, ChangeTypeAndOwner) {
  auto m = *ChangeMatcher::For(Sub("created,deleted", "u1"));
  EXPECT_TRUE(m.Covers(Change(store::ChangeType::kCreated)));
  EXPECT_FALSE(m.Covers(Change(store::ChangeType::kUpdated)));
  EXPECT_TRUE(m.Covers(Change(store::ChangeType::kDeleted)));
  EXPECT_FALSE(m.Covers(Change(store::ChangeType::kCreated, "u2")));
  auto tenant = *ChangeMatcher::For(Sub("updated"));
  EXPECT_TRUE(tenant.Covers(Change(store::ChangeType::kUpdated, "anyone")));
  EXPECT_FALSE(tenant.NeedsInteraction());
}

TEST(ChangeMatcher, FilterOnTheStoredInteraction) {
  auto m = *ChangeMatcher::For(Sub("created,updated", "", "appClass eq 'IPM.SkypeTeams.Message.Copilot.Word'"));
  EXPECT_TRUE(m.NeedsInteraction());
  auto word = Interaction("IPM.SkypeTeams.Message.Copilot.Word");
  auto teams = Interaction("IPM.SkypeTeams.Message.Copilot.Teams");
  EXPECT_TRUE(m.Matches(Change(store::ChangeType::kCreated), &word));
  EXPECT_FALSE(m.Matches(Change(store::ChangeType::kCreated), &teams));
  EXPECT_TRUE(m.Matches(Change(store::ChangeType::kUpdated), &word));
  // Gone before it was routed: judged on what is known, so undecided, so told.
  EXPECT_TRUE(m.Matches(Change(store::ChangeType::kCreated), nullptr));
  auto by_date = *ChangeMatcher::For(Sub("created", "", "createdDateTime lt 2025-01-01T00:00:00Z"));
  EXPECT_FALSE(by_date.MatchesWithoutInteraction(Change(store::ChangeType::kCreated)));
}

TEST(ChangeMatcher, DeletionsAreJudgedOnWhatIsKnown) {
  auto del = Change(store::ChangeType::kDeleted);
  // Decided by createdDateTime and id, which a deletion still carries.
  EXPECT_TRUE(ChangeMatcher::For(Sub("deleted", "", "createdDateTime ge 2025-01-01T00:00:00Z"))->Matches(del, nullptr));
  EXPECT_FALSE(ChangeMatcher::For(Sub("deleted", "", "createdDateTime lt 2025-01-01T00:00:00Z"))->Matches(del, nullptr));
  EXPECT_FALSE(ChangeMatcher::For(Sub("deleted", "", "id eq 'other'"))->Matches(del, nullptr));
  // Undecided (appClass is gone with the interaction): told, rather than missing a deletion.
  EXPECT_TRUE(ChangeMatcher::For(Sub("deleted", "", "appClass eq 'X'"))->Matches(del, nullptr));
  // Kleene logic: a known false decides an `and`, a known true decides an `or`.
  EXPECT_FALSE(ChangeMatcher::For(Sub("deleted", "", "appClass eq 'X' and createdDateTime lt 2025-01-01T00:00:00Z"))
                   ->Matches(del, nullptr));
  EXPECT_TRUE(ChangeMatcher::For(Sub("deleted", "", "appClass eq 'X' or id eq '1736935200000'"))->Matches(del, nullptr));
  EXPECT_TRUE(ChangeMatcher::For(Sub("deleted", "", "appClass eq 'X' or id eq 'other'"))->Matches(del, nullptr));
  EXPECT_FALSE(ChangeMatcher::For(Sub("deleted", "", "(appClass eq 'X' or locale eq 'en') and id eq 'other'"))
                   ->Matches(del, nullptr));
}

TEST(ChangeMatcher, ThreeValuedEvaluation) {
  auto f = odata::Filter::Parse("locale eq 'en' and createdDateTime ge 2025-01-01T00:00:00Z");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(EvaluateOnDeleted(f->root(), "x", kJan15).has_value());
  auto g = odata::Filter::Parse("locale eq 'en' or createdDateTime ge 2025-01-01T00:00:00Z");
  EXPECT_EQ(EvaluateOnDeleted(g->root(), "x", kJan15), std::optional<bool>(true));
}

TEST(ChangeMatcher, ADamagedStoredFilterIsAnError) {
  EXPECT_EQ(ChangeMatcher::For(Sub("created", "", "appClass eq")).status().code(), Code::kInternal);
}

}  // namespace
}  // namespace aih::notify
