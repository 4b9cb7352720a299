// Retention: Purview's conflict rules as one pure function (policy/retention.h), and the sweep that
// applies them (policy/retention_sweep.h) on every engine, on the clock seam: "seven years later"
// is one call.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "policy/retention.h"
#include "policy/retention_sweep.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

using store::RetentionPolicy;
using Action = RetentionPolicy::Action;

constexpr int64_t kTicksPerDay = int64_t{864'000'000'000};
constexpr int64_t kDay = 86'400'000;  // ms

RetentionPolicy Policy(const std::string& id, Action action, int64_t days, const std::string& app_class = "") {
  RetentionPolicy p;
  p.tenant_id = "t";
  p.id = id;
  p.display_name = id;
  p.action = action;
  p.period_days = days;
  p.app_class = app_class;
  return p;
}

TEST(RetentionRules, RetentionWinsOverDeletionAndTheLongestRetentionWins) {
  RetentionPolicy delete1y = Policy("delete-1y", Action::kDelete, 365);
  RetentionPolicy retain7y = Policy("retain-7y", Action::kRetain, 7 * 365);
  RetentionPolicy retain3y = Policy("retain-3y", Action::kRetain, 3 * 365);
  auto d = policy::Decide({&delete1y, &retain3y, &retain7y}, 0);
  ASSERT_TRUE(d.delete_at_ticks.has_value());
  EXPECT_EQ(*d.delete_at_ticks, 7 * 365 * kTicksPerDay) << "kept until the longest retention ends";
  EXPECT_EQ(*d.retain_until_ticks, 7 * 365 * kTicksPerDay);
  EXPECT_EQ(d.policy_ids.size(), 3u);
}

TEST(RetentionRules, TheShortestDeletionWinsAmongDeletions) {
  RetentionPolicy delete5y = Policy("d5", Action::kDelete, 5 * 365);
  RetentionPolicy delete1y = Policy("d1", Action::kDelete, 365);
  RetentionPolicy rtd2y = Policy("rtd2", Action::kRetainThenDelete, 2 * 365);
  EXPECT_EQ(*policy::Decide({&delete5y, &delete1y}, 100).delete_at_ticks, 100 + 365 * kTicksPerDay);
  // Retain-then-delete both retains and deletes: its retention holds back the shorter deletion.
  EXPECT_EQ(*policy::Decide({&delete5y, &delete1y, &rtd2y}, 0).delete_at_ticks, 2 * 365 * kTicksPerDay);
}

TEST(RetentionRules, WithoutADeletingPolicyNothingIsEverDeleted) {
  RetentionPolicy retain = Policy("r", Action::kRetain, 10);
  EXPECT_FALSE(policy::Decide({&retain}, 0).delete_at_ticks.has_value());
  EXPECT_FALSE(policy::Decide({}, 0).delete_at_ticks.has_value());
}

TEST(RetentionRules, ScopeByAppClassPatternPartyAndUsers) {
  RetentionPolicy copilot = Policy("c", Action::kDelete, 1, "IPM.SkypeTeams.Message.Copilot.*");
  EXPECT_TRUE(policy::RetentionApplies(copilot, "u", "IPM.SkypeTeams.Message.Copilot.Word", true));
  EXPECT_FALSE(policy::RetentionApplies(copilot, "u", "IPM.SkypeTeams.Message.Copilot", true));
  EXPECT_FALSE(policy::RetentionApplies(copilot, "u", "Contoso.Agents.HR", false));
  RetentionPolicy third = Policy("t", Action::kDelete, 1);
  third.party = RetentionPolicy::Party::kThirdParty;
  EXPECT_FALSE(policy::RetentionApplies(third, "u", "X", true));
  EXPECT_TRUE(policy::RetentionApplies(third, "u", "X", false));
  RetentionPolicy some = Policy("s", Action::kDelete, 1);
  some.user_ids = {"u1", "u3"};
  EXPECT_TRUE(policy::RetentionApplies(some, "u3", "X", false));
  EXPECT_FALSE(policy::RetentionApplies(some, "u2", "X", false));
}

TEST(RetentionRules, PeriodsOfZeroOrTenThousandYearsAndBadPatternsAreRefused) {
  EXPECT_EQ(policy::ValidateRetentionPolicy(Policy("z", Action::kDelete, 0)).code(), Code::kBadRequest);
  EXPECT_EQ(policy::ValidateRetentionPolicy(Policy("n", Action::kDelete, -1)).code(), Code::kBadRequest);
  Status forever = policy::ValidateRetentionPolicy(Policy("f", Action::kRetain, 10000LL * 365));
  EXPECT_EQ(forever.code(), Code::kBadRequest);
  EXPECT_NE(forever.message().find("36525"), std::string::npos) << forever.message();
  EXPECT_TRUE(policy::ValidateRetentionPolicy(Policy("ok", Action::kDelete, policy::kMaxRetentionDays)).ok());
  EXPECT_EQ(policy::ValidateRetentionPolicy(Policy("p", Action::kDelete, 1, "IPM.*.Copilot")).code(), Code::kBadRequest);
  EXPECT_TRUE(policy::ValidateRetentionPolicy(Policy("p", Action::kDelete, 1, "IPM.SkypeTeams.*")).ok());
}

// ---- The sweep, on every engine ----

const char* kTenant = "aaaaaaaa-1111-4111-8111-000000000001";
const int64_t kStart = 1'767'225'600'000;  // 2026-01-01, ms

class RetentionSweepTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = OpenFreshStore(GetParam(), &location_);
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->directory().CreateTenant({kTenant, "Contoso"}).ok());
  }
  void TearDown() override {
    store_.reset();
    RemoveStoreLocation(location_);
  }
  void Put(const std::string& user, int n, int64_t created_ms, const std::string& prefix = "i") {
    std::vector<store::ItemToWrite> items;
    for (int i = 0; i < n; ++i) {
      model::Interaction in;
      in.id = prefix + std::to_string(i);
      in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
      in.created = model::Timestamp::FromUnixMillis(created_ms + i);
      in.body = model::Body{"text", "hello"};
      items.push_back(store::PrepareItem(kTenant, user, in));
    }
    std::vector<store::ItemOutcome> out;
    ASSERT_TRUE(store_->interactions().Write(items, &out).ok());
  }
  int64_t Count(const std::string& user = "") {
    store::PageQuery q;
    q.tenant_id = kTenant;
    q.user_id = user;
    return *store_->interactions().Count(q);
  }
  void AddPolicy(const RetentionPolicy& p) {
    RetentionPolicy copy = p;
    copy.tenant_id = kTenant;
    ASSERT_TRUE(store_->retention().CreatePolicy(copy).ok());
  }
  std::unique_ptr<store::Store> store_;
  std::string location_;
};

TEST_P(RetentionSweepTest, SevenYearsLaterTheDueItemsGoAndTheHeldOnesStay) {
  Put("u1", 30, kStart);
  Put("u2", 20, kStart);
  AddPolicy(Policy("delete-1y", Action::kDelete, 365));
  AddPolicy(Policy("retain-7y-u1", Action::kRetain, 7 * 365));
  ASSERT_TRUE(store_->retention().ListPolicies(kTenant)->size() == 2);
  // u1's retention only: a second policy naming users.
  {
    ASSERT_TRUE(store_->retention().DeletePolicy(kTenant, "retain-7y-u1").ok());
    RetentionPolicy r = Policy("retain-7y-u1", Action::kRetain, 7 * 365);
    r.user_ids = {"u1"};
    AddPolicy(r);
  }
  ManualClock clock(kStart + 100 * kDay);
  policy::RetentionSweep sweep(*store_, clock, {"server-a", 7, 60'000});
  auto early = sweep.RunOnce();
  ASSERT_TRUE(early.ok()) << early.status().message();
  EXPECT_EQ(early->deleted, 0) << "nothing is due after 100 days";

  clock.Set(kStart + 2 * 365 * kDay);
  auto after2y = sweep.RunOnce();
  ASSERT_TRUE(after2y.ok()) << after2y.status().message();
  EXPECT_EQ(after2y->deleted, 20) << "u2's items, deleted after a year; u1's retained for seven";
  EXPECT_GE(after2y->batches, 3) << "in bounded batches";
  EXPECT_EQ(Count("u1"), 30);
  EXPECT_EQ(Count("u2"), 0);
  auto changes = store_->changes().Peek(1000);
  ASSERT_EQ(changes->size(), 20u) << "each deletion is a deleted change";
  EXPECT_EQ((*changes)[0].type, store::ChangeType::kDeleted);

  // A legal hold on some of u1's items keeps them past the seven years.
  ASSERT_TRUE(store_->holds().CreateCase({kTenant, "case", "c", "", 1}).ok());
  store::LegalHold hold;
  hold.tenant_id = kTenant;
  hold.id = "hold";
  hold.case_id = "case";
  hold.display_name = "h";
  hold.user_ids = {"u1"};
  hold.content_query = "id eq 'i3' or id eq 'i4'";
  ASSERT_TRUE(store_->holds().CreateHold(hold).ok());
  clock.Set(kStart + 7 * 366 * kDay);
  auto after7y = sweep.RunOnce();
  ASSERT_TRUE(after7y.ok()) << after7y.status().message();
  EXPECT_EQ(after7y->deleted, 28);
  EXPECT_EQ(after7y->held, 2);
  EXPECT_EQ(Count("u1"), 2);
  ASSERT_TRUE(store_->holds().ReleaseHold(kTenant, "hold", clock.NowMillis()).ok());
  EXPECT_EQ(sweep.RunOnce()->deleted, 2) << "released, the hold lets retention resume";
  EXPECT_EQ(Count(), 0);
}

TEST_P(RetentionSweepTest, ARetainingPolicyAloneDeletesNothing) {
  Put("u1", 5, kStart);
  AddPolicy(Policy("retain", Action::kRetain, 1));
  ManualClock clock(kStart + 100 * 365 * kDay);
  policy::RetentionSweep sweep(*store_, clock, {"server-a", 100, 60'000});
  EXPECT_EQ(sweep.RunOnce()->deleted, 0);
  EXPECT_EQ(Count(), 5);
}

TEST_P(RetentionSweepTest, TwoServersSweepingAtOnceShareTheWorkWithoutErrors) {
  Put("u1", 300, kStart);
  AddPolicy(Policy("delete", Action::kDelete, 30));
  ManualClock clock(kStart + 365 * kDay);
  // A second store object opened on the same database: another server.
  auto other = store::OpenStore(location_);
  ASSERT_TRUE(other.ok()) << other.status().message();
  policy::RetentionSweep a(*store_, clock, {"server-a", 10, 60'000});
  policy::RetentionSweep b(**other, clock, {"server-b", 10, 60'000});
  Result<policy::SweepReport> ra = Status::Internal("not run"), rb = Status::Internal("not run");
  std::thread ta([&] { ra = a.RunOnce(); });
  std::thread tb([&] { rb = b.RunOnce(); });
  ta.join();
  tb.join();
  ASSERT_TRUE(ra.ok()) << ra.status().message();
  ASSERT_TRUE(rb.ok()) << rb.status().message();
  EXPECT_EQ(ra->tenants + rb->tenants, 1) << "one lease holder per tenant";
  EXPECT_EQ(ra->deleted + rb->deleted, 300);
  EXPECT_EQ(Count(), 0);
  // The lease runs out: the other server takes over.
  clock.Set(clock.NowMillis() + 61'000);
  Put("u1", 5, kStart, "late");
  auto second = b.RunOnce();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->tenants, 1);
  EXPECT_EQ(second->deleted, 5);
}

// A hold placed while a sweep is deleting the items it covers: the hold is ordered before or after each
// of the sweep's batches, so from the moment it is placed none of what it covers is deleted any more.
TEST_P(RetentionSweepTest, AHoldPlacedWhileTheSweepDeletesStopsItAtOnce) {
  const int kItems = 2000;
  Put("u1", kItems, kStart);
  AddPolicy(Policy("delete", Action::kDelete, 30));
  ASSERT_TRUE(store_->holds().CreateCase({kTenant, "case", "c", "", 1}).ok());
  ManualClock clock(kStart + 365 * kDay);
  // Another store object on the same database: the sweep of another server.
  auto other = store::OpenStore(location_);
  ASSERT_TRUE(other.ok()) << other.status().message();
  policy::RetentionSweep sweep(**other, clock, {"server-b", 5, 60'000});
  Result<policy::SweepReport> swept = Status::Internal("not run");
  std::thread sweeper([&] { swept = sweep.RunOnce(); });
  for (int i = 0; i < 6000 && Count("u1") > kItems * 9 / 10; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  store::LegalHold hold;
  hold.tenant_id = kTenant;
  hold.id = "hold";
  hold.case_id = "case";
  hold.display_name = "h";
  hold.user_ids = {"u1"};
  ASSERT_TRUE(store_->holds().CreateHold(hold).ok());
  const int64_t at_hold = Count("u1");
  sweeper.join();
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_GT(at_hold, 0) << "the hold came before the sweep's end";
  EXPECT_EQ(Count("u1"), at_hold) << "nothing the hold covers was deleted after it was placed";
  EXPECT_EQ(swept->held, at_hold);
  EXPECT_EQ(swept->deleted, kItems - at_hold);
}

// kill -9 in the middle of a sweep: nothing half-deleted (every item is either stored or gone with
// its deleted change), nothing held deleted, and the next sweep finishes the work.
TEST_P(RetentionSweepTest, AKilledSweepLeavesNothingHalfDeletedAndResumes) {
  const int kItems = 3000;
  Put("u1", kItems, kStart);
  Put("u2", 50, kStart);
  AddPolicy(Policy("delete", Action::kDelete, 30));
  ASSERT_TRUE(store_->holds().CreateCase({kTenant, "case", "c", "", 1}).ok());
  store::LegalHold hold;
  hold.tenant_id = kTenant;
  hold.id = "hold";
  hold.case_id = "case";
  hold.display_name = "h";
  hold.user_ids = {"u2"};
  ASSERT_TRUE(store_->holds().CreateHold(hold).ok());
  const int64_t now = kStart + 365 * kDay;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto own = store::OpenStore(location_);
    if (!own.ok()) _exit(3);
    ManualClock clock(now);
    policy::RetentionSweep sweep(**own, clock, {"doomed-server", 5, 60'000});
    for (;;) sweep.RunOnce();
  }
  // Kill it once some, not all, are gone.
  for (int i = 0; i < 6000 && Count("u1") > kItems * 3 / 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int wstatus = 0;
  waitpid(child, &wstatus, 0);
  const int64_t left = Count("u1");
  EXPECT_LT(left, kItems) << "the sweep had started";
  EXPECT_GT(left, 0) << "and was killed before it ended";
  auto changes = store_->changes().Peek(10000);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(static_cast<int64_t>(changes->size()), kItems - left) << "a deleted change for every item gone, no more";
  EXPECT_EQ(Count("u2"), 50) << "nothing held deleted";

  // The dead server's lease runs out; this one resumes and finishes.
  ManualClock later(now + 61'000);
  policy::RetentionSweep sweep(*store_, later, {"server-b", 100, 60'000});
  auto resumed = sweep.RunOnce();
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  EXPECT_EQ(resumed->deleted, left);
  EXPECT_EQ(resumed->held, 50);
  EXPECT_EQ(Count("u1"), 0);
  EXPECT_EQ(Count("u2"), 50);
}

INSTANTIATE_TEST_SUITE_P(Engines, RetentionSweepTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
