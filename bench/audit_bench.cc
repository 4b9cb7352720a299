// audit_bench: what the audit log costs the hot paths (docs/benchmarks.md).
//
//   audit_bench [--items N] [--connections C] [--batch B] [--rounds R] [--dir DIR]
//
// Per round, two fresh demo stores and servers, one with the audit log (the default) and one with
// `--audit-log false`, in alternating order: each ingests N interactions of the demo's licensed user
// over C keep-alive connections in batches of B (acknowledged, fsynced), then exports them all,
// $top=1000 page after page (each page one audit entry when on), and small pages of $top=10 for a
// fixed number of requests (where a per-request cost would show). Prints the medians of the rounds:
// interactions/s ingested, interactions/s exported, small pages/s, with the audit log on and off;
// then, in-process, the cost of queueing one entry and the rate the queue is written at.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "store/audit_trail.h"
#include "store/store.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "statistics.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace aih;

struct Options {
  int items = 20'000;
  int connections = 4;
  int batch = 500;
  int rounds = 3;
  int small_pages = 2'000;
  std::string dir;
};

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Server {
  testing::DemoTenant demo;
  std::unique_ptr<testing::ServerProcess> process;
  std::string writer, exporter;
};

Server Start(const std::string& dir, bool audit) {
  Server s;
  std::filesystem::create_directories(dir);
  s.demo = testing::DemoTenant::Create(dir);
  s.process = testing::ServerProcess::Start(
      dir, {"--workers", "32", "--throttle-rps", "0", "--retention-sweep-interval", "0", "--audit-log", audit ? "true" : "false"});
  if (!s.process) return s;
  testing::HttpClient client(s.process->port());
  s.writer = testing::FetchToken(client, s.demo.tenant_id, s.demo.writer_id, s.demo.writer_secret);
  s.exporter = testing::FetchToken(client, s.demo.tenant_id, s.demo.exporter_id, s.demo.exporter_secret);
  return s;
}

// Seconds to ingest o.items interactions, or -1.
double Ingest(const Options& o, const Server& s) {
  std::atomic<int> next{0}, failures{0};
  const int batches = (o.items + o.batch - 1) / o.batch;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back([&] {
      testing::HttpClient client(s.process->port());
      for (int b = next++; b < batches; b = next++) {
        std::string body = "[";
        for (int i = b * o.batch; i < std::min(o.items, (b + 1) * o.batch); ++i) {
          char created[32];
          std::snprintf(created, sizeof created, "2026-02-%02dT%02d:%02d:%02dZ", 1 + i / 86400 % 28, i / 3600 % 24,
                        i / 60 % 60, i % 60);
          body += (body.size() > 1 ? "," : "") + std::string("{\"@aihistory.userId\":\"") + s.demo.licensed_user +
                  "\",\"id\":\"a" + std::to_string(i) + "\",\"appClass\":\"" + s.demo.first_party_app_class +
                  "\",\"interactionType\":\"userPrompt\",\"sessionId\":\"s" + std::to_string(i / 20) +
                  "\",\"createdDateTime\":\"" + created +
                  "\",\"body\":{\"contentType\":\"text\",\"content\":\"Summarize the quarterly revenue forecast for "
                  "the board, item " + std::to_string(i) + ", with the risks and the open questions.\"}}";
        }
        body += "]";
        auto r = client.Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                             {{"Authorization", "Bearer " + s.writer}, {"Content-Type", "application/json"}}, body);
        if (r.status != 200 && failures++ == 0) std::fprintf(stderr, "ingest: %d %s\n", r.status, r.body.substr(0, 300).c_str());
      }
    });
  }
  for (auto& t : threads) t.join();
  return failures ? -1 : Since(start);
}

// Seconds to page through the user's items with $top=`top`, at most `max_pages` pages; *items counts them.
double Export(const Server& s, int top, int max_pages, int64_t* items) {
  testing::HttpClient client(s.process->port());
  std::string target = "/v1.0/copilot/users/" + s.demo.licensed_user +
                       "/interactionHistory/getAllEnterpriseInteractions?$top=" + std::to_string(top);
  *items = 0;
  const auto start = Clock::now();
  for (int pages = 0; pages < max_pages && !target.empty(); ++pages) {
    auto r = client.Send("GET", target, {{"Authorization", "Bearer " + s.exporter}});
    if (r.status != 200) {
      std::fprintf(stderr, "export: %d %s\n", r.status, r.body.substr(0, 300).c_str());
      return -1;
    }
    *items += static_cast<int64_t>(testing::JsonLength(r.body, "value"));
    std::string next = testing::JsonValue(r.body, "@odata.nextLink");
    if (next == "<missing>") {
      // Small pages: start again from the first page, so the run is a fixed number of requests.
      target = max_pages < 1'000'000 ? target.substr(0, target.find("?")) + "?$top=" + std::to_string(top) : "";
      continue;
    }
    target = next.substr(next.find("/v1.0/"));
  }
  return Since(start);
}

struct Round {
  double ingest[2] = {0, 0}, exported[2] = {0, 0}, small[2] = {0, 0};  // [0] audit on, [1] off
};

bool RunOne(const Options& o, const std::string& dir, bool audit, Round* round) {
  Server s = Start(dir, audit);
  if (!s.process || s.writer.empty() || s.exporter.empty()) return false;
  const int k = audit ? 0 : 1;
  const double ingest = Ingest(o, s);
  if (ingest < 0) return false;
  round->ingest[k] = o.items / ingest;
  int64_t items = 0;
  const double exported = Export(s, 1000, 1'000'000, &items);
  if (exported < 0) return false;
  round->exported[k] = static_cast<double>(items) / exported;
  const double small = Export(s, 10, o.small_pages, &items);
  if (small < 0) return false;
  round->small[k] = o.small_pages / small;
  std::fprintf(stderr, "audit %s: ingest %.0f/s, export %.0f/s, small pages %.0f/s\n", audit ? "on " : "off",
               round->ingest[k], round->exported[k], round->small[k]);
  return true;
}

// In-process, without HTTP's noise: what one Record (an export request's share) costs its caller, and
// how fast the background thread writes the queue into a SQLite store (fsynced batches of 1,000).
bool MeasureQueue(const std::string& dir, double* record_ns, double* written_per_s) {
  auto store = store::OpenStore(dir);
  if (!store.ok()) return false;
  SystemClock clock;
  store::AuditTrailOptions options;
  options.background = false;
  options.queue_capacity = 200'000;
  store::AuditTrail trail((*store)->audit(), clock, options);
  constexpr int kEntries = 200'000;
  store::AuditEntry e;
  e.tenant_id = "00000000-0000-4000-8000-000000000001";
  e.actor_kind = store::AuditActor::kApp;
  e.actor_id = "b85dc067-194d-4575-b29e-8644972c9883";
  e.action = "interactions.export";
  e.target = "/v1.0/copilot/users/8eab30c8-8338-4230-8829-84ffc0df0417/interactionHistory/getAllEnterpriseInteractions";
  e.request_id = "6f1c1a52-5a7e-4a36-9d0e-2b1c3f0e9a11";
  e.status = 200;
  e.count = 1000;
  e.details = R"({"scope":"user","userId":"8eab30c8-8338-4230-8829-84ffc0df0417","filter":"","search":"","top":1000,"page":"next"})";
  auto start = Clock::now();
  for (int i = 0; i < kEntries; ++i) trail.Record(e);
  *record_ns = 1e9 * Since(start) / kEntries;
  start = Clock::now();
  if (!trail.Flush().ok()) return false;
  *written_per_s = kEntries / Since(start);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", a.c_str());
      return 2;
    }
    if (a == "--items") o.items = std::max(1, std::atoi(argv[++i]));
    else if (a == "--connections") o.connections = std::max(1, std::atoi(argv[++i]));
    else if (a == "--batch") o.batch = std::max(1, std::atoi(argv[++i]));
    else if (a == "--rounds") o.rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--small-pages") o.small_pages = std::max(1, std::atoi(argv[++i]));
    else if (a == "--dir") o.dir = argv[++i];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (o.dir.empty()) o.dir = testing::MakeTempDir("aih-audit-bench");
  std::vector<Round> rounds(static_cast<size_t>(o.rounds));
  for (int r = 0; r < o.rounds; ++r) {
    // Alternate which goes first, so that neither always meets a warmer disk cache.
    for (bool audit : r % 2 == 0 ? std::vector<bool>{true, false} : std::vector<bool>{false, true}) {
      const std::string dir = o.dir + "/r" + std::to_string(r) + (audit ? "-on" : "-off");
      if (!RunOne(o, dir, audit, &rounds[static_cast<size_t>(r)])) return 1;
      std::filesystem::remove_all(dir);
    }
  }
  auto med = [&](auto field, int k) {
    std::vector<double> v;
    for (const Round& r : rounds) v.push_back(field(r)[k]);
    return bench::Median(v);
  };
  auto ingest = [](const Round& r) { return r.ingest; };
  auto exported = [](const Round& r) { return r.exported; };
  auto small = [](const Round& r) { return r.small; };
  std::printf("audit log cost, medians of %d rounds (%d interactions, %d connections, batches of %d; SQLite)\n",
              o.rounds, o.items, o.connections, o.batch);
  std::printf("%-34s %14s %14s %8s\n", "", "audit on", "audit off", "on/off");
  std::printf("%-34s %14.0f %14.0f %7.1f%%\n", "ingest (interactions/s)", med(ingest, 0), med(ingest, 1),
              100 * med(ingest, 0) / med(ingest, 1));
  std::printf("%-34s %14.0f %14.0f %7.1f%%\n", "export, $top=1000 (interactions/s)", med(exported, 0), med(exported, 1),
              100 * med(exported, 0) / med(exported, 1));
  std::printf("%-34s %14.0f %14.0f %7.1f%%\n", "export, $top=10 (requests/s)", med(small, 0), med(small, 1),
              100 * med(small, 0) / med(small, 1));
  double record_ns = 0, written = 0;
  if (!MeasureQueue(o.dir + "/queue", &record_ns, &written)) return 1;
  std::printf("%-34s %14.0f ns per entry (the caller's cost)\n", "audit queue: Record", record_ns);
  std::printf("%-34s %14.0f entries/s (the background thread)\n", "audit queue: written to SQLite", written);
  std::filesystem::remove_all(o.dir);
  return 0;
}
