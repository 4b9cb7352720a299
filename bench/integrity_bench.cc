// The verifiable log's benchmark (docs/integrity.md; the numbers go to docs/benchmarks.md), in
// process, on the store layer:
//
//   ingest   interactions/s through InteractionStore::Write, batches of 1,000 seeded interactions,
//            each batch one transaction holding its rows and its log leaves (the log as shipped);
//            and the log alone: the same batches' leaves appended with AppendToLog, 1,000 per
//            transaction, into another store on a connection that does not sync (a write shares its
//            commit with its rows). The ingest without the log is estimated as the time of the first
//            minus that of the second.
//   proofs   p50/p99 latency of an inclusion proof of a random leaf and of a consistency proof
//            between a random size and the whole log
//   verify   interactions/s of the audit `aihistory verify` runs (api/log_audit.h)
//
// Usage: integrity_bench [--items N] [--dir DIR] [--postgres URL]   (default 100,000 interactions;
//        with --postgres the ingest, proofs and verify also run on that database)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "api/log_audit.h"
#include "seed/synthetic_history.h"
#include "store/sql/sql_log.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/session.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

using namespace aih;
using Steady = std::chrono::steady_clock;

namespace {

double Seconds(Steady::time_point since) { return std::chrono::duration<double>(Steady::now() - since).count(); }

const char* kTenant = "00000000-0000-4000-8000-0000000000be";

std::vector<std::vector<store::ItemToWrite>> Batches(int items) {
  seed::SyntheticOptions so;
  so.seed = 11;
  so.users = 10;
  so.interactions_per_user = items / 10;
  seed::SyntheticHistory history(so);
  std::vector<std::vector<store::ItemToWrite>> batches(1);
  for (int u = 0; u < so.users; ++u) {
    for (auto& item : history.InteractionsOf(u)) {
      if (batches.back().size() == 1000) batches.emplace_back();
      batches.back().push_back(store::PrepareItem(kTenant, history.users()[u].id, std::move(item.interaction)));
    }
  }
  return batches;
}

double Ingest(store::Store& s, const std::vector<std::vector<store::ItemToWrite>>& batches) {
  const auto began = Steady::now();
  std::vector<store::ItemOutcome> outcomes;
  for (const auto& batch : batches) {
    Status st = s.interactions().Write(batch, &outcomes);
    if (!st.ok()) {
      std::fprintf(stderr, "write failed: %s\n", st.message().c_str());
      std::exit(1);
    }
  }
  return Seconds(began);
}

// The leaves the batches append, appended alone, a batch per transaction, on a connection of its
// own that does not sync its commits: the log's own work inside a write's transaction (hashing,
// statements, pages), not the commits, which the write shares with the rows.
double LogAlone(const std::string& directory, const std::vector<std::vector<store::ItemToWrite>>& batches) {
  {
    auto made = store::sqlite::SqliteStore::Open(directory);  // the schema
    if (!made.ok()) std::exit(1);
  }
  auto conn = store::sqlite::Connection::Open(directory + "/aihistory.db", /*read_only=*/false);
  if (!conn.ok() || !(*conn)->Exec("PRAGMA synchronous = OFF").ok()) std::exit(1);
  std::vector<std::vector<integrity::LogLeaf>> leaves;
  for (const auto& batch : batches) {
    leaves.emplace_back();
    for (const auto& item : batch) {
      leaves.back().push_back({integrity::LeafKind::kStored, item.tenant_id, item.user_id, item.interaction.id, 1,
                               item.interaction.id, integrity::Sha256(item.json)});
    }
  }
  const auto began = Steady::now();
  for (const auto& batch : leaves) {
    Status st = (*conn)->Exec("BEGIN IMMEDIATE");
    if (st.ok()) {
      st = store::sqlite::OnConnection(**conn, [&](store::sql::Session& session) {
        return store::sql::AppendToLog(session, batch);
      });
    }
    if (st.ok()) st = (*conn)->Exec("COMMIT");
    if (!st.ok()) {
      std::fprintf(stderr, "append failed: %s\n", st.message().c_str());
      std::exit(1);
    }
  }
  return Seconds(began);
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

void Run(const std::string& engine, const std::string& location, const std::string& log_alone_dir,
         const std::vector<std::vector<store::ItemToWrite>>& batches, int items) {
  auto s = store::OpenStore(location);
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", location.c_str(), s.status().message().c_str());
    std::exit(1);
  }
  const double with_log = Ingest(**s, batches);
  std::printf("%-10s ingest with the log        %10.0f interactions/s\n", engine.c_str(), items / with_log);
  if (!log_alone_dir.empty()) {
    const double log_s = LogAlone(log_alone_dir, batches);
    std::printf("%-10s the log alone              %10.0f leaves/s\n", engine.c_str(), items / log_s);
    std::printf("%-10s ingest without (estimate)  %10.0f interactions/s: with the log %.0f%% of it\n", engine.c_str(),
                items / (with_log - log_s), 100 * (with_log - log_s) / with_log);
  }
  store::LogStore& log = (**s).log();
  const uint64_t size = *log.Size(kTenant);
  std::mt19937_64 random(5);
  const Latency inclusion = Measure(1000, [&](int) {
    auto proof = log.InclusionProof(kTenant, random() % size, size);
    if (!proof.ok()) std::exit(1);
  });
  const Latency consistency = Measure(1000, [&](int) {
    auto proof = log.ConsistencyProof(kTenant, 1 + random() % size, size);
    if (!proof.ok()) std::exit(1);
  });
  std::printf("%-10s inclusion proof            p50 %.3f ms  p99 %.3f ms (%llu leaves)\n", engine.c_str(),
              inclusion.p50_ms, inclusion.p99_ms, static_cast<unsigned long long>(size));
  std::printf("%-10s consistency proof          p50 %.3f ms  p99 %.3f ms\n", engine.c_str(), consistency.p50_ms,
              consistency.p99_ms);
  const auto began = Steady::now();
  auto report = api::AuditLog(**s, kTenant);
  const double verify_s = Seconds(began);
  if (!report.ok() || !report->problems.empty()) {
    std::fprintf(stderr, "verify failed\n");
    std::exit(1);
  }
  std::printf("%-10s verify                     %10.0f interactions/s (%llu in %.1f s)\n", engine.c_str(),
              report->items / verify_s, static_cast<unsigned long long>(report->items), verify_s);
}

}  // namespace

int main(int argc, char** argv) {
  int items = 100'000;
  std::string dir = std::filesystem::temp_directory_path() / "aih-integrity-bench";
  std::string postgres;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--items") items = std::atoi(argv[i + 1]);
    else if (a == "--dir") dir = argv[i + 1];
    else if (a == "--postgres") postgres = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  std::fprintf(stderr, "generating %d interactions...\n", items);
  const auto batches = Batches(items);
  Run("sqlite", dir + "/store", dir + "/log-alone", batches, items);
  if (!postgres.empty()) Run("postgresql", postgres, "", batches, items);
  std::filesystem::remove_all(dir);
  return 0;
}
