// The verifiable log's benchmark (docs/integrity.md; the numbers go to docs/benchmarks.md), in
// process, on the store layer:
//
//   ingest   interactions/s through InteractionStore::Write, batches of 1,000 synthetic interactions
//            (bench: seed/synthetic_history.h), each batch one transaction: an A/B in one run, into
//            two stores of the same engine, one with the log as shipped and one with it turned off
//            (sql::DisableLogForBenchmark), the two written in turns, a user's history at a time, so
//            that both see the same machine load. The log's cost is the ratio.
//   proofs   p50/p99 latency of an inclusion proof of a random leaf and of a consistency proof
//            between a random size and the whole log
//   verify   interactions/s of the audit `aihistory verify` runs (api/log_audit.h)
//   space    (SQLite) the store's file before and after deleting its older half (by createdDateTime,
//            in retention's batches of 1,000 keys through the one deletion path) and giving the space
//            back (Store::ReclaimSpace, as the sweep does); the deletion rate
//
// Usage: integrity_bench [--items N] [--dir DIR] [--postgres URL --postgres-without-log URL2]
//        (default 100,000 interactions; with --postgres the ingest, proofs and verify also run on
//        PostgreSQL, into two empty databases, without the space part). Memory holds one user's
//        history at a time (10,000 interactions a user).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "api/log_audit.h"
#include "seed/synthetic_history.h"
#include "store/deletion.h"
#include "store/sql/sql_log.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

using namespace aih;
using Steady = std::chrono::steady_clock;

namespace {

double Seconds(Steady::time_point since) { return std::chrono::duration<double>(Steady::now() - since).count(); }

const char* kTenant = "00000000-0000-4000-8000-0000000000be";
constexpr int kPerUser = 10'000;

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), s.message().c_str());
  std::exit(1);
}

std::unique_ptr<store::Store> Open(const std::string& location) {
  auto s = store::OpenStore(location);
  if (!s.ok()) Die(location, s.status());
  return std::move(*s);
}

struct Key {
  std::string user_id, id;
  int64_t ticks = 0;
};

struct Ingest {
  double with_log_s = 0, without_log_s = 0;
  std::vector<Key> keys;  // every interaction written
};

double WriteAll(store::Store& s, const std::vector<std::vector<store::ItemToWrite>>& batches) {
  const auto began = Steady::now();
  std::vector<store::ItemOutcome> outcomes;
  for (const auto& batch : batches) {
    Status st = s.interactions().Write(batch, &outcomes);
    if (!st.ok()) Die("write", st);
  }
  return Seconds(began);
}

// Writes `items` synthetic interactions into both stores, a user's history at a time: first into one,
// then the same batches into the other, the first store alternating, the log off for `without`.
Ingest IngestBoth(store::Store& with, store::Store& without, int items) {
  seed::SyntheticOptions so;
  so.seed = 11;
  so.tenant_id = kTenant;
  so.users = std::max(1, items / kPerUser);
  so.interactions_per_user = items / so.users;
  seed::SyntheticHistory history(so);
  Ingest out;
  for (int u = 0; u < so.users; ++u) {
    std::vector<std::vector<store::ItemToWrite>> batches(1);
    for (auto& item : history.InteractionsOf(u)) {
      if (batches.back().size() == 1000) batches.emplace_back();
      out.keys.push_back({history.users()[u].id, item.interaction.id, item.interaction.created.ticks});
      batches.back().push_back(store::PrepareItem(kTenant, history.users()[u].id, std::move(item.interaction)));
    }
    auto with_log = [&] { out.with_log_s += WriteAll(with, batches); };
    auto without_log = [&] {
      store::sql::DisableLogForBenchmark(true);
      out.without_log_s += WriteAll(without, batches);
      store::sql::DisableLogForBenchmark(false);
    };
    if (u % 2 == 0) {
      with_log();
      without_log();
    } else {
      without_log();
      with_log();
    }
    std::fprintf(stderr, "\r%zu interactions written to each store", out.keys.size());
  }
  std::fprintf(stderr, "\n");
  return out;
}

struct Latency {
  double p50_ms = 0, p99_ms = 0;
};

template <typename F>
Latency Measure(int rounds, F f) {
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    const auto began = Steady::now();
    f(i);
    ms.push_back(Seconds(began) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[ms.size() * 99 / 100]};
}


// Deletes the older half of `keys` from the (closed) SQLite store at `location` as retention does,
// gives the space back, and reports the file's size before and after.
void Space(const std::string& location, std::vector<Key> keys) {
  auto before_n = store::sqlite::StoreFileBytes(location);
  if (!before_n.ok()) Die("size", before_n.status());
  const int64_t before = *before_n;
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.ticks < b.ticks; });
  keys.resize(keys.size() / 2);
  auto s = Open(location);
  const auto began = Steady::now();
  int64_t deleted = 0;
  for (size_t at = 0; at < keys.size(); at += store::Deletion::kMaxKeys) {
    store::Deletion d;
    d.tenant_id = kTenant;
    d.scope = store::Deletion::Scope::kKeys;
    d.reason = store::Deletion::Reason::kRetention;
    d.on_hold = store::Deletion::OnHold::kSkip;
    d.actor = "retention";
    for (size_t i = at; i < std::min(keys.size(), at + store::Deletion::kMaxKeys); ++i) {
      d.keys.push_back({keys[i].user_id, keys[i].id});
    }
    auto done = s->interactions().Delete(d);
    if (!done.ok()) Die("delete", done.status());
    deleted += done->deleted;
  }
  const double delete_s = Seconds(began);
  const auto reclaiming = Steady::now();
  int64_t pages = 0;
  for (;;) {
    auto freed = s->ReclaimSpace(256);
    if (!freed.ok()) Die("reclaim", freed.status());
    if (*freed == 0) break;
    pages += *freed;
  }
  const double reclaim_s = Seconds(reclaiming);
  s.reset();  // closing checkpoints the write-ahead log into the file
  auto after_n = store::sqlite::StoreFileBytes(location);
  if (!after_n.ok()) Die("size", after_n.status());
  const int64_t after = *after_n;
  std::printf("sqlite     delete the older half         %10.0f interactions/s (%lld in %.1f s)\n", deleted / delete_s,
              static_cast<long long>(deleted), delete_s);
  std::printf("sqlite     space given back              %lld pages in %.1f s\n", static_cast<long long>(pages), reclaim_s);
  std::printf("sqlite     file                          %.1f MB before, %.1f MB after: %.1f%% smaller\n", before / 1e6,
              after / 1e6, 100.0 * (before - after) / before);
}

void Run(const std::string& engine, const std::string& location, const std::string& without_location, int items,
         bool space) {
  auto s = Open(location);
  Ingest ingest;
  {
    auto without = Open(without_location);
    ingest = IngestBoth(*s, *without, items);
  }
  const double n = static_cast<double>(ingest.keys.size());
  std::printf("%-10s ingest with the log        %10.0f interactions/s\n", engine.c_str(), n / ingest.with_log_s);
  std::printf("%-10s ingest without the log     %10.0f interactions/s: with the log %.0f%% of it\n", engine.c_str(),
              n / ingest.without_log_s, 100 * ingest.without_log_s / ingest.with_log_s);
  store::LogStore& log = s->log();
  const uint64_t size = *log.Size(kTenant);
  std::mt19937_64 random(5);
  const Latency inclusion = Measure(1000, [&](int) {
    auto proof = log.InclusionProof(kTenant, random() % size, size);
    if (!proof.ok()) Die("inclusion proof", proof.status());
  });
  const Latency consistency = Measure(1000, [&](int) {
    auto proof = log.ConsistencyProof(kTenant, 1 + random() % size, size);
    if (!proof.ok()) Die("consistency proof", proof.status());
  });
  std::printf("%-10s inclusion proof            p50 %.3f ms  p99 %.3f ms (%llu leaves)\n", engine.c_str(),
              inclusion.p50_ms, inclusion.p99_ms, static_cast<unsigned long long>(size));
  std::printf("%-10s consistency proof          p50 %.3f ms  p99 %.3f ms\n", engine.c_str(), consistency.p50_ms,
              consistency.p99_ms);
  const auto began = Steady::now();
  auto report = api::AuditLog(*s, kTenant);
  const double verify_s = Seconds(began);
  if (!report.ok()) Die("verify", report.status());
  if (!report->problems.empty()) {
    std::fprintf(stderr, "verify found %zu problems, the first: %s\n", report->problems.size(),
                 report->problems.front().c_str());
    std::exit(1);
  }
  std::printf("%-10s verify                     %10.0f interactions/s (%llu in %.1f s)\n", engine.c_str(),
              report->items / verify_s, static_cast<unsigned long long>(report->items), verify_s);
  std::fflush(stdout);
  s.reset();
  if (space) Space(location, std::move(ingest.keys));
}

}  // namespace

int main(int argc, char** argv) {
  int items = 100'000;
  std::string dir = std::filesystem::temp_directory_path() / "aih-integrity-bench";
  std::string postgres, postgres_without;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--items") items = std::atoi(argv[i + 1]);
    else if (a == "--dir") dir = argv[i + 1];
    else if (a == "--postgres") postgres = argv[i + 1];
    else if (a == "--postgres-without-log") postgres_without = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  Run("sqlite", dir + "/with-log", dir + "/without-log", items, /*space=*/true);
  if (!postgres.empty()) {
    if (postgres_without.empty()) {
      std::fprintf(stderr, "--postgres needs --postgres-without-log URL too: a second, empty database\n");
      return 2;
    }
    Run("postgresql", postgres, postgres_without, items, /*space=*/false);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
