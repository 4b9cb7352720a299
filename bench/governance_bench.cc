// The retention sweep's benchmark (docs/governance.md; the numbers go to docs/benchmarks.md), in
// process, on the store layer, on SQLite and (with --postgres) on PostgreSQL:
//
//   ingest   interactions/s through InteractionStore::Write from --writers threads, batches of
//            --batch seeded interactions (each one transaction, sharing group commits), measured
//            three times on the same store: A without a sweep, B while a retention sweep deletes at
//            full speed (only the time both run is counted), A again. B / mean(A) is the figure the
//            issue asks >= 80% of.
//   sweep    interactions/s the sweep deletes while ingest runs, and alone (the rest of the due items)
//   space    the store's size before the due items are deleted and after: SQLite's file (the
//            sweep's incremental vacuum, then the checkpoint on close), PostgreSQL's database (which
//            only reuses the space: before and after a plain VACUUM)
//
// The store is seeded with --old interactions created in 2018 and a policy "delete after 365 days";
// the clock stands at 2026-01-01, so every seeded item is due and no ingested one (created from then on).
//
// Usage: governance_bench [--old N] [--ingest N] [--writers W] [--batch B] [--sweep-batch S]
//                         [--dir DIR] [--postgres URL] [--sqlite 0]
//        defaults: 200,000 old, 40,000 per ingest phase, 4 writers, batches of 100, sweep batches of 100;
//        --sqlite 0 measures PostgreSQL alone
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "policy/retention_sweep.h"
#include "postgres_limits.h"
#include "seed/synthetic_history.h"
#include "store/postgres/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

using namespace aih;
using Steady = std::chrono::steady_clock;

namespace {

double Seconds(Steady::time_point since) { return std::chrono::duration<double>(Steady::now() - since).count(); }

const char* const kTenant = "00000000-0000-4000-8000-0000000000b9";
constexpr int64_t kOldStartMs = 1514764800000;  // 2018-01-01T00:00:00Z
constexpr int64_t kNowMs = 1767225600000;       // 2026-01-01T00:00:00Z

struct Options {
  int old_items = 200'000;
  int ingest_items = 40'000;
  int writers = 4;
  int batch = 100;
  int sweep_batch = 100;
  std::string dir;
  std::string postgres;
  bool sqlite = true;
};

void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), s.message().c_str());
  std::exit(1);
}

// `items` interactions over 20 users, created from `start_ms` on, in write batches of `batch`.
std::vector<std::vector<store::ItemToWrite>> Batches(int items, uint64_t seed, int64_t start_ms, int batch) {
  seed::SyntheticOptions so;
  so.seed = seed;
  so.tenant_id = kTenant;
  so.users = 20;
  so.interactions_per_user = std::max(1, items / so.users);
  so.start_unix_millis = start_ms;
  seed::SyntheticHistory history(so);
  std::vector<std::vector<store::ItemToWrite>> batches(1);
  for (int u = 0; u < so.users; ++u) {
    for (auto& item : history.InteractionsOf(u)) {
      if (static_cast<int>(batches.back().size()) == batch) batches.emplace_back();
      batches.back().push_back(store::PrepareItem(kTenant, history.users()[u].id, std::move(item.interaction)));
    }
  }
  return batches;
}

void WriteAll(store::Store& s, const std::vector<std::vector<store::ItemToWrite>>& batches) {
  std::vector<store::ItemOutcome> outcomes;
  for (const auto& b : batches) {
    Status st = s.interactions().Write(b, &outcomes);
    if (!st.ok()) Die("seed", st);
  }
}

// Writes `batches` from `writers` threads until they run out or `stop` is set; returns the items
// written and (in *seconds) the time taken.
int64_t Ingest(store::Store& s, const std::vector<std::vector<store::ItemToWrite>>& batches, int writers,
               const std::atomic<bool>& stop, double* seconds) {
  std::atomic<size_t> next{0};
  std::atomic<int64_t> written{0};
  const auto began = Steady::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      std::vector<store::ItemOutcome> outcomes;
      for (size_t i; !stop && (i = next++) < batches.size();) {
        Status st = s.interactions().Write(batches[i], &outcomes);
        if (!st.ok()) Die("ingest", st);
        written += static_cast<int64_t>(batches[i].size());
      }
    });
  }
  for (auto& t : threads) t.join();
  *seconds = Seconds(began);
  return written;
}


void Run(const std::string& engine, const std::string& location, const std::string& sqlite_dir, const Options& o) {
  std::fprintf(stderr, "%s: generating...\n", engine.c_str());
  const auto old_batches = Batches(o.old_items, 3, kOldStartMs, 1000);
  const auto a1 = Batches(o.ingest_items, 4, kNowMs, o.batch);
  const auto b = Batches(o.ingest_items, 5, kNowMs, o.batch);
  const auto a2 = Batches(o.ingest_items, 6, kNowMs, o.batch);
  int64_t old_total = 0;
  for (const auto& x : old_batches) old_total += static_cast<int64_t>(x.size());

  auto opened = store::OpenStore(location);
  if (!opened.ok()) Die(location, opened.status());
  std::unique_ptr<store::Store> s = std::move(*opened);
  Status st = s->directory().CreateTenant({kTenant, "Governance bench"});
  if (!st.ok()) Die("tenant", st);
  std::fprintf(stderr, "%s: seeding %lld old interactions...\n", engine.c_str(), static_cast<long long>(old_total));
  WriteAll(*s, old_batches);

  std::atomic<bool> never{false};
  double a1_s = 0;
  std::fprintf(stderr, "%s: ingest A (no sweep)...\n", engine.c_str());
  const int64_t a1_n = Ingest(*s, a1, o.writers, never, &a1_s);

  auto size_before = s->SizeBytes();
  if (!size_before.ok()) Die("size", size_before.status());

  store::RetentionPolicy policy;
  policy.tenant_id = kTenant;
  policy.id = "bench-delete-after-a-year";
  policy.display_name = "Delete after a year";
  policy.action = store::RetentionPolicy::Action::kDelete;
  policy.period_days = 365;
  policy.created_ms = kNowMs;
  st = s->retention().CreatePolicy(policy);
  if (!st.ok()) Die("policy", st);

  ManualClock clock(kNowMs);
  policy::SweepOptions sweep_options;
  sweep_options.holder = "governance-bench";
  sweep_options.batch = o.sweep_batch;

  // B: the sweep at full speed (one pass deletes every due item, batch after batch), ingest beside it;
  // whichever ends first stops the other.
  std::fprintf(stderr, "%s: ingest B (while the sweep deletes)...\n", engine.c_str());
  std::atomic<bool> sweep_done{false};
  policy::RetentionSweep sweep(*s, clock, sweep_options);
  policy::SweepReport during;
  double sweep_s = 0;
  std::thread sweeper([&] {
    const auto began = Steady::now();
    auto report = sweep.RunOnce();
    sweep_s = Seconds(began);
    if (!report.ok()) Die("sweep", report.status());
    during = *report;
    sweep_done = true;
  });
  double b_s = 0;
  const int64_t b_n = Ingest(*s, b, o.writers, sweep_done, &b_s);
  sweep.Stop();  // if the ingest ended first: the pass stops after its current batch
  sweeper.join();

  std::fprintf(stderr, "%s: ingest A again (no sweep)...\n", engine.c_str());
  double a2_s = 0;
  const int64_t a2_n = Ingest(*s, a2, o.writers, never, &a2_s);

  // The rest of the due items, the sweep alone (and its incremental vacuum on SQLite).
  std::fprintf(stderr, "%s: the sweep alone...\n", engine.c_str());
  policy::RetentionSweep rest(*s, clock, sweep_options);
  const auto rest_began = Steady::now();
  auto alone = rest.RunOnce();
  const double alone_s = Seconds(rest_began);
  if (!alone.ok()) Die("sweep", alone.status());

  const double a_rate = (a1_n + a2_n) / (a1_s + a2_s);
  const double b_rate = b_n / b_s;
  std::printf("\n%s: %lld due interactions of %lld stored; writers %d, batches of %d, sweep batches of %d\n",
              engine.c_str(), static_cast<long long>(old_total),
              static_cast<long long>(old_total + a1_n + b_n + a2_n), o.writers, o.batch, o.sweep_batch);
  std::printf("| ingest without the sweep (A, before and after) | %.0f, %.0f interactions/s |\n", a1_n / a1_s,
              a2_n / a2_s);
  std::printf("| ingest while the sweep deletes (B, %.1f s) | %.0f interactions/s: %.0f%% of A |\n", b_s, b_rate,
              100 * b_rate / a_rate);
  std::printf("| the sweep's deletions during B | %.0f interactions/s (%lld in %lld batches, %.1f s) |\n",
              during.deleted / sweep_s, static_cast<long long>(during.deleted),
              static_cast<long long>(during.batches), sweep_s);
  std::printf("| the sweep alone | %.0f interactions/s (%lld, %.1f s with the space given back) |\n",
              alone->deleted / alone_s, static_cast<long long>(alone->deleted), alone_s);
  if (during.deleted + alone->deleted != old_total) {
    std::fprintf(stderr, "the sweep deleted %lld of %lld due items\n",
                 static_cast<long long>(during.deleted + alone->deleted), static_cast<long long>(old_total));
    std::exit(1);
  }

  if (!sqlite_dir.empty()) {
    s.reset();  // the last connection's close checkpoints the WAL into the file, which shrinks
    auto after_n = store::sqlite::StoreFileBytes(sqlite_dir);
  if (!after_n.ok()) Die("size", after_n.status());
  const int64_t after = *after_n;
    std::printf("| SQLite file before / after deleting %.0f%% of the rows | %.1f MB / %.1f MB: %.0f%% smaller |\n",
                100.0 * old_total / (old_total + a1_n + b_n + a2_n), *size_before / 1e6, after / 1e6,
                100.0 * (*size_before - after) / *size_before);
  } else {
    auto after = s->SizeBytes();
    auto conn = store::postgres::Connection::Open(location);
    if (!conn.ok()) Die("connect", conn.status());
    st = (*conn)->Exec("VACUUM interactions");
    if (st.ok()) st = (*conn)->Exec("VACUUM changes");
    if (!st.ok()) Die("vacuum", st);
    auto vacuumed = s->SizeBytes();
    std::printf("| PostgreSQL database before / after the sweep / after VACUUM | %.1f / %.1f / %.1f MB (reused, not "
                "returned) |\n",
                *size_before / 1e6, after.ok() ? *after / 1e6 : -1.0, vacuumed.ok() ? *vacuumed / 1e6 : -1.0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each engine's table as soon as it is measured
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--old") o.old_items = std::atoi(argv[i + 1]);
    else if (a == "--ingest") o.ingest_items = std::atoi(argv[i + 1]);
    else if (a == "--writers") o.writers = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--batch") o.batch = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--sweep-batch") o.sweep_batch = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--dir") o.dir = argv[i + 1];
    else if (a == "--postgres") o.postgres = argv[i + 1];
    else if (a == "--sqlite") o.sqlite = std::atoi(argv[i + 1]) != 0;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (o.dir.empty()) o.dir = std::filesystem::temp_directory_path() / "aih-governance-bench";
  std::filesystem::remove_all(o.dir);
  std::filesystem::create_directories(o.dir);
  if (o.sqlite) Run("SQLite", o.dir + "/store", o.dir + "/store", o);
  if (!o.postgres.empty()) {
    auto url = bench::CreateBenchSchema(o.postgres, "aih_governance_bench");
    if (!url.ok()) Die("schema", url.status());
    Run("PostgreSQL", *url, "", o);
  }
  std::filesystem::remove_all(o.dir);
  return 0;
}
