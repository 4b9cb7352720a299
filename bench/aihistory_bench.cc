// The aihistory benchmark: the real server on loopback against the limits of its own database,
// measured in the same run on the same rows, printed as one table (docs/benchmarks.md).
//
//   ingest   interactions/s acknowledged over HTTP, batches of 1,000 seeded interactions (~1.5 KB)
//            vs. raw inserts of the same rows into the same table, 1,000 per fsynced commit
//            (SQLite), or a raw binary COPY of them, 1,000 per commit (PostgreSQL); then one
//            interaction per request over 64 connections (clients that send each as it happens),
//            against the same limit
//   export   interactions/s and MB/s paging one user of N interactions with $top=1000 over one
//            keep-alive connection vs. a raw index-ordered scan of the same rows
//   latency  p50/p99 of a filtered $top=100 page under 32 concurrent connections
//   memory   the server's peak RSS (VmHWM): over ingest, then of a fresh server over the export
//            alone, then after the latency run
//   scale    (PostgreSQL) the same with two servers over the one database: ingest through one client
//            pool spread over both, export with pages alternating between them, latency
//
// Usage: aihistory_bench [--export-items N] [--ingest-items N] [--connections C] [--dir DIR]
//                        [--single-items N]   (one per request; 20,000; 0: none)
//                        [--export-rounds N]  (export and raw scan alternate N times; medians, 3)
//                        [--postgres URL]     (a server the bench may create two schemas on)
//                        [--reuse DIR]        (SQLite: only the export rounds, on the data an
//                                              earlier run left in DIR)
#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <functional>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>

#include "model/interaction_writer.h"
#include "postgres_limits.h"
#include "process_stats.h"
#include "seed/synthetic_history.h"
#include "store/interaction_store.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "statistics.h"

using namespace aih;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

struct Options {
  int export_items = 1'000'000;
  int ingest_items = 200'000;
  int ingest_connections = 4;
  int single_items = 20'000;  // ingested one per request, over single_connections
  int single_connections = 64;
  int latency_connections = 32;
  int latency_requests = 6400;
  int export_rounds = 3;
  std::string dir;
  bool reuse = false;  // --reuse DIR: only the export rounds, on the data an earlier run left in DIR
};

// Seeded interactions for one owner, as write batches (JSON arrays of `per_batch`) and as store rows.
struct Workload {
  std::vector<std::string> batches;
  std::vector<store::ItemToWrite> rows;  // exactly what the server will store, for the raw limits
  uint64_t bytes = 0;
};

Workload MakeWorkload(const std::string& tenant, const std::string& owner, const std::string& app_class, int items,
                      uint64_t seed, bool keep_rows, int per_batch = 1000) {
  Workload w;
  seed::SyntheticOptions so;
  so.seed = seed;
  so.users = 1;
  so.interactions_per_user = items;
  so.app_classes = {app_class};
  seed::SyntheticHistory history(so);
  auto generated = history.InteractionsOf(0);
  std::string batch;
  int in_batch = 0;
  for (auto& item : generated) {
    item.interaction.etag = item.interaction.id;
    std::string json = model::WriteInteraction(item.interaction);
    w.bytes += json.size();
    batch += in_batch ? "," : "[";
    batch += model::PrependAnnotation(json, "@aihistory.userId", owner);
    if (++in_batch == per_batch) {
      w.batches.push_back(batch + "]");
      batch.clear();
      in_batch = 0;
    }
    if (keep_rows) w.rows.push_back(store::PrepareItem(tenant, owner, std::move(item.interaction)));
  }
  if (in_batch) w.batches.push_back(batch + "]");
  return w;
}

// Sends every batch over `connections` keep-alive connections, spread over the servers at `ports`
// (one client pool for all of them); returns seconds taken.
double Ingest(const std::vector<int>& ports, const std::string& token, const std::vector<std::string>& batches,
              int connections) {
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      testing::HttpClient client(ports[static_cast<size_t>(c) % ports.size()]);
      for (size_t i; (i = next++) < batches.size();) {
        auto r = client.Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                             {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, batches[i]);
        if (r.status != 200) {
          if (failures++ == 0) std::fprintf(stderr, "ingest failed: %d %s\n", r.status, r.body.substr(0, 300).c_str());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failures) std::fprintf(stderr, "%d ingest batches failed\n", failures.load());
  return Seconds(start);
}

// The raw insert limit: the same rows into the same schema, 1,000 per fsynced commit, one writer.
double RawInsert(const std::string& path, const std::vector<store::ItemToWrite>& rows) {
  auto conn = store::sqlite::Connection::Open(path, false);
  if (!conn.ok() || !store::sqlite::Migrate(**conn).ok()) return -1;
  auto& c = **conn;
  auto start = Clock::now();
  for (size_t i = 0; i < rows.size(); i += 1000) {
    c.Exec("BEGIN");
    for (size_t k = i; k < rows.size() && k < i + 1000; ++k) {
      const auto& r = rows[k];
      auto stmt = c.Prepare(
          "INSERT INTO interactions (tenant_id, user_id, id, created_ticks, app_class, interaction_type,"
          " conversation_type, locale, session_id, request_id, content_hash, version, json)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12)");
      stmt->Bind(1, std::string_view(r.tenant_id));
      stmt->Bind(2, std::string_view(r.user_id));
      stmt->Bind(3, std::string_view(r.interaction.id));
      stmt->Bind(4, r.interaction.created.ticks);
      stmt->Bind(5, std::string_view(r.interaction.app_class));
      stmt->Bind(6, std::string_view(model::ToString(r.interaction.interaction_type)));
      stmt->Bind(7, r.interaction.conversation_type);
      stmt->Bind(8, r.interaction.locale);
      stmt->Bind(9, r.interaction.session_id);
      stmt->Bind(10, r.interaction.request_id);
      stmt->Bind(11, static_cast<int64_t>(r.content_hash));
      stmt->BindBlob(12, r.json);
      stmt->Run();
    }
    c.Exec("COMMIT");
  }
  return Seconds(start);
}

// The raw scan limit: the export's index-ordered read of one user's rows, reading every blob.
double RawScan(const std::string& path, const std::string& tenant, const std::string& user, uint64_t* rows, uint64_t* bytes) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT json, user_id, id, created_ticks FROM interactions WHERE tenant_id = ?1 AND user_id = ?2"
                     " ORDER BY created_ticks DESC, id DESC",
                     -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, tenant.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, user.c_str(), -1, SQLITE_STATIC);
  *rows = *bytes = 0;
  std::string sink;
  auto start = Clock::now();
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const char* p = static_cast<const char*>(sqlite3_column_blob(stmt, 0));
    int n = sqlite3_column_bytes(stmt, 0);
    sink.assign(p, static_cast<size_t>(n));  // the copy the export would make
    ++*rows;
    *bytes += static_cast<uint64_t>(n);
  }
  double s = Seconds(start);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return s;
}

// Reads an export page as it arrives: counts its items by their leading property (matches that
// straddle two pieces included) and keeps the page's tail, where the nextLink is its last member.
// Inspecting the page on the way, not after it, keeps the client's work off the pause between one
// page's last byte and the next page's request.
class PageScanner {
 public:
  void Feed(std::string_view piece) {
    constexpr size_t kKeep = kItemStart.size() - 1;  // a match straddling two pieces starts in these
    if (head_.size() < kHeadBytes) head_.append(piece.substr(0, kHeadBytes - head_.size()));
    bytes_ += piece.size();
    std::string joint = carry_;  // shorter than the pattern: what it matches straddles into `piece`
    joint.append(piece.substr(0, kKeep));
    items_ += Count(joint) + Count(piece);
    carry_ = piece.size() >= kKeep ? std::string(piece.substr(piece.size() - kKeep))
                                   : joint.substr(joint.size() > kKeep ? joint.size() - kKeep : 0);
    if (piece.size() >= kTailBytes) {
      tail_.assign(piece.substr(piece.size() - kTailBytes));
    } else {
      tail_.append(piece);
      if (tail_.size() > 2 * kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
    }
  }
  uint64_t items() const { return items_; }
  const std::string& head() const { return head_; }  // the start of the page, for error messages
  uint64_t bytes() const { return bytes_; }
  // The path and query of the page's nextLink; "" on the last page.
  std::string NextTarget() const {
    size_t link = tail_.rfind("\"@odata.nextLink\":\"");
    if (link == std::string::npos) return "";
    size_t begin = tail_.find("/v1.0/", link);
    return tail_.substr(begin, tail_.find('"', begin) - begin);
  }

 private:
  static constexpr std::string_view kItemStart = "{\"id\":";
  static constexpr size_t kTailBytes = 16384;  // more than any nextLink of the bench's queries
  static constexpr size_t kHeadBytes = 300;
  static uint64_t Count(std::string_view text) {
    uint64_t n = 0;
    for (size_t p = 0; (p = text.find(kItemStart, p)) != std::string_view::npos; p += kItemStart.size()) ++n;
    return n;
  }
  std::string carry_, tail_, head_;
  uint64_t items_ = 0, bytes_ = 0;
};

// Pages the whole export of `user`, each page from the next server of `ports` in turn (a cursor
// from one server works on any other); returns seconds, counting items and bytes received.
double ExportAll(const std::vector<int>& ports, const std::string& token, const std::string& user, uint64_t* items,
                 uint64_t* bytes) {
  std::vector<std::unique_ptr<testing::HttpClient>> clients;
  for (int port : ports) clients.push_back(std::make_unique<testing::HttpClient>(port));
  size_t turn = 0;
  std::string target = "/v1.0/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions?$top=1000";
  *items = *bytes = 0;
  auto start = Clock::now();
  while (!target.empty()) {
    PageScanner page;
    auto r = clients[turn++ % clients.size()]->Stream("GET", target, {{"Authorization", "Bearer " + token}},
                                                      [&page](std::string_view piece) { page.Feed(piece); });
    if (r.status != 200 || !r.complete) {
      std::fprintf(stderr, "export failed: %d%s %s\n", r.status, r.complete ? "" : " (response broken off)",
                   page.head().c_str());
      break;
    }
    *items += page.items();
    *bytes += page.bytes();
    target = page.NextTarget();
  }
  return Seconds(start);
}

struct Latency {
  double p50_ms = 0, p99_ms = 0, rps = 0;
};

Latency FilteredPages(const std::vector<int>& ports, const std::string& token, const std::string& user, const std::string& app_class,
                      int connections, int requests) {
  std::vector<double> samples;
  std::mutex mu;
  std::atomic<int> next{0};
  std::string target = "/v1.0/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions?$top=100&$filter=appClass%20eq%20'" +
                       app_class + "'%20and%20createdDateTime%20ge%202026-01-01T00:00:00Z";
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      testing::HttpClient client(ports[static_cast<size_t>(c) % ports.size()]);
      std::vector<double> mine;
      while (next++ < requests) {
        auto t0 = Clock::now();
        auto r = client.Send("GET", target, {{"Authorization", "Bearer " + token}});
        mine.push_back(Seconds(t0) * 1000);
        if (r.status != 200) std::fprintf(stderr, "page failed: %d\n", r.status);
      }
      std::lock_guard<std::mutex> lock(mu);
      samples.insert(samples.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  double total = Seconds(start);
  std::sort(samples.begin(), samples.end());
  Latency l;
  if (!samples.empty()) {
    l.p50_ms = samples[samples.size() / 2];
    l.p99_ms = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
    l.rps = static_cast<double>(samples.size()) / total;
  }
  return l;
}

// Changes not yet routed by the server's change router, in the SQLite store at `path`.
int64_t SqlitePendingChanges(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM changes", -1, &stmt, nullptr);
  int64_t pending = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return pending;
}

// Waits (up to 10 minutes) until the server has routed every change of the ingest: the change
// router drains the feed in the background, and the export should be measured without it.
void WaitForChangeFeed(const std::function<int64_t()>& pending_changes) {
  for (int i = 0; i < 6000; ++i) {
    int64_t pending = pending_changes();
    if (pending <= 0) break;
    if (i % 50 == 0) std::fprintf(stderr, "waiting for the change router: %lld changes pending\n", static_cast<long long>(pending));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Where the server keeps its data, and the limits of that database.
struct Engine {
  std::string name;                // "SQLite" or "PostgreSQL"
  std::string store;               // --store
  std::string credentials_dir;     // where demo-setup writes the demo credentials
  std::function<double(const std::vector<store::ItemToWrite>&)> raw_insert;   // seconds
  std::function<double(const std::string&, const std::string&, uint64_t*, uint64_t*)> raw_scan;  // seconds
  std::function<int64_t()> pending_changes;
  const char* insert_limit = "";
  const char* scan_limit = "";
};

Engine SqliteEngine(const std::string& dir) {
  Engine e;
  e.name = "SQLite";
  e.store = e.credentials_dir = dir + "/server";
  e.raw_insert = [dir](const std::vector<store::ItemToWrite>& rows) { return RawInsert(dir + "/raw-insert.db", rows); };
  e.raw_scan = [db = e.store + "/aihistory.db"](const std::string& tenant, const std::string& user, uint64_t* rows,
                                               uint64_t* bytes) { return RawScan(db, tenant, user, rows, bytes); };
  e.pending_changes = [db = e.store + "/aihistory.db"] { return SqlitePendingChanges(db); };
  e.insert_limit = "raw SQLite insert";
  e.scan_limit = "raw SQLite index scan";
  return e;
}

Engine PostgresEngine(const std::string& server_url, const std::string& dir) {
  Engine e;
  e.name = "PostgreSQL";
  e.credentials_dir = dir + "/server";
  std::filesystem::create_directories(e.credentials_dir);
  auto store = bench::CreateBenchSchema(server_url, "aih_bench_server");
  auto raw = bench::CreateBenchSchema(server_url, "aih_bench_raw");
  if (!store.ok() || !raw.ok()) {
    std::fprintf(stderr, "cannot prepare the benchmark schemas: %s\n",
                 (!store.ok() ? store.status() : raw.status()).message().c_str());
    std::exit(1);
  }
  e.store = *store;
  e.raw_insert = [url = *raw](const std::vector<store::ItemToWrite>& rows) {
    auto s = bench::PostgresRawCopy(url, rows);
    if (!s.ok()) std::fprintf(stderr, "raw COPY failed: %s\n", s.status().message().c_str());
    return s.ok() ? *s : -1.0;
  };
  e.raw_scan = [url = *store](const std::string& tenant, const std::string& user, uint64_t* rows, uint64_t* bytes) {
    auto s = bench::PostgresRawSelect(url, tenant, user, rows, bytes);
    if (!s.ok()) std::fprintf(stderr, "raw SELECT failed: %s\n", s.status().message().c_str());
    return s.ok() ? *s : -1.0;
  };
  e.pending_changes = [url = *store] { return bench::PostgresPendingChanges(url); };
  e.insert_limit = "raw PostgreSQL COPY";
  e.scan_limit = "raw PostgreSQL index-ordered SELECT";
  return e;
}

// The servers of the run: one, or (PostgreSQL) several over the same store. They share a public
// URL, as the servers of one deployment must (tokens name it as their issuer).
class Servers {
 public:
  Servers(std::string store, std::vector<std::string> args) : store_(std::move(store)), args_(std::move(args)) {}
  bool Start(size_t n) {
    Stop();
    for (size_t i = 0; i < n; ++i) {
      auto server = testing::ServerProcess::Start(store_, args_);
      if (!server) return false;
      servers_.push_back(std::move(server));
    }
    return true;
  }
  void Stop() {
    for (auto& s : servers_) s->Terminate();
    servers_.clear();
  }
  std::vector<int> ports(size_t n) const {
    std::vector<int> out;
    for (size_t i = 0; i < n && i < servers_.size(); ++i) out.push_back(servers_[i]->port());
    return out;
  }
  pid_t pid(size_t i = 0) const { return servers_[i]->pid(); }

 private:
  std::string store_;
  std::vector<std::string> args_;
  std::vector<std::unique_ptr<testing::ServerProcess>> servers_;
};

std::string Token(int port, const testing::DemoTenant& demo, bool writer) {
  testing::HttpClient client(port);
  return writer ? testing::FetchToken(client, demo.tenant_id, demo.writer_id, demo.writer_secret)
                : testing::FetchToken(client, demo.tenant_id, demo.exporter_id, demo.exporter_secret);
}

double PerThousand(double seconds, double items) { return 1000 * seconds / (items / 1000.0); }

// The export and its raw scan limit, measured in alternating rounds so that both see the same
// machine (this VM's host moves single runs by 20-30%); each figure is the median over the rounds.
struct ExportMeasure {
  uint64_t items = 0, bytes = 0, scan_rows = 0, scan_bytes = 0;
  double export_s = 0, scan_s = 0, server_cpu_s = 0, client_cpu_s = 0;
  long peak_rss_kb = 0;
};

ExportMeasure MeasureExport(const Engine& engine, const Servers& servers, const std::string& token,
                            const std::string& tenant, const std::string& user, int rounds) {
  ExportMeasure m;
  std::vector<double> export_s, scan_s, server_cpu, client_cpu;
  for (int round = 0; round < rounds; ++round) {
    std::fprintf(stderr, "export, round %d of %d...\n", round + 1, rounds);
    double server_before = bench::CpuSeconds(servers.pid()), client_before = bench::CpuSeconds(getpid());
    export_s.push_back(ExportAll(servers.ports(1), token, user, &m.items, &m.bytes));
    server_cpu.push_back(bench::CpuSeconds(servers.pid()) - server_before);
    client_cpu.push_back(bench::CpuSeconds(getpid()) - client_before);
    if (round == 0) m.peak_rss_kb = bench::PeakRssKb(servers.pid());  // the fresh server's first export
    std::fprintf(stderr, "%s, round %d of %d...\n", engine.scan_limit, round + 1, rounds);
    scan_s.push_back(engine.raw_scan(tenant, user, &m.scan_rows, &m.scan_bytes));
  }
  m.export_s = bench::Median(export_s);
  m.scan_s = bench::Median(scan_s);
  m.server_cpu_s = bench::Median(server_cpu);
  m.client_cpu_s = bench::Median(client_cpu);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string postgres;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--export-items") o.export_items = std::atoi(argv[i + 1]);
    else if (a == "--ingest-items") o.ingest_items = std::atoi(argv[i + 1]);
    else if (a == "--single-items") o.single_items = std::max(0, std::atoi(argv[i + 1]));
    else if (a == "--connections") o.latency_connections = std::atoi(argv[i + 1]);
    else if (a == "--dir") o.dir = argv[i + 1];
    else if (a == "--reuse") o.dir = argv[i + 1], o.reuse = true;
    else if (a == "--export-rounds") o.export_rounds = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--postgres") postgres = argv[i + 1];
    else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
  }
  if (o.reuse && !postgres.empty()) {
    std::fprintf(stderr, "--reuse works on a SQLite data directory only\n");
    return 2;
  }
  if (o.dir.empty()) o.dir = testing::MakeTempDir("aih-bench");
  std::fprintf(stderr, "bench data in %s\n", o.dir.c_str());
  Engine engine = postgres.empty() ? SqliteEngine(o.dir) : PostgresEngine(postgres, o.dir);
  const bool scale_out = !postgres.empty();

  auto demo = o.reuse ? testing::DemoTenant::Load(engine.credentials_dir)
                      : testing::DemoTenant::Create(engine.store, engine.credentials_dir);
  Servers servers(engine.store, {"--workers", "32", "--public-url", "http://aihistory.bench"});
  if (!servers.Start(1)) return 1;
  std::string writer = Token(servers.ports(1)[0], demo, true);
  std::string exporter = Token(servers.ports(1)[0], demo, false);
  const std::string& user = demo.licensed_user;
  const std::string& app = demo.first_party_app_class;

  if (o.reuse) {  // for working on the export: its rounds alone, on the data already there
    ExportMeasure ex = MeasureExport(engine, servers, exporter, demo.tenant_id, user, o.export_rounds);
    std::printf("export of %llu items, median of %d rounds: %.0f/s vs %.0f/s raw scan (%.0f%%); server CPU %.2f ms, "
                "client CPU %.2f ms, raw scan %.2f ms (wall) per 1,000; fresh server peak RSS %.0f MB\n",
                static_cast<unsigned long long>(ex.items), o.export_rounds, ex.items / ex.export_s,
                ex.scan_rows / ex.scan_s, 100 * (ex.items / ex.export_s) / (ex.scan_rows / ex.scan_s),
                PerThousand(ex.server_cpu_s, ex.items), PerThousand(ex.client_cpu_s, ex.items),
                PerThousand(ex.scan_s, ex.scan_rows), ex.peak_rss_kb / 1024.0);
    return 0;
  }

  // Ingest, and the raw insert limit on the same rows.
  std::fprintf(stderr, "generating %d interactions...\n", o.ingest_items);
  Workload ingest = MakeWorkload(demo.tenant_id, user, app, o.ingest_items, 7, /*keep_rows=*/true);
  std::fprintf(stderr, "ingest over HTTP...\n");
  double ingest_cpu_before = bench::CpuSeconds(servers.pid());
  double ingest_s = Ingest(servers.ports(1), writer, ingest.batches, o.ingest_connections);
  double ingest_cpu = bench::CpuSeconds(servers.pid()) - ingest_cpu_before;
  std::fprintf(stderr, "%s...\n", engine.insert_limit);
  double raw_insert_s = engine.raw_insert(ingest.rows);
  double avg_item = static_cast<double>(ingest.bytes) / o.ingest_items;
  ingest.rows.clear();
  ingest.rows.shrink_to_fit();
  ingest.batches.clear();

  // One interaction per request, from many clients at once: each request is one job of the group
  // commit, so what a job costs beside its rows shows here.
  double single_s = 0, single_cpu = 0;
  if (o.single_items > 0) {
    Workload single = MakeWorkload(demo.tenant_id, user, app, o.single_items, 9, false, /*per_batch=*/1);
    std::fprintf(stderr, "ingest over HTTP, one per request...\n");
    const double cpu_before = bench::CpuSeconds(servers.pid());
    single_s = Ingest(servers.ports(1), writer, single.batches, o.single_connections);
    single_cpu = bench::CpuSeconds(servers.pid()) - cpu_before;
  }

  // Several servers over one database: the same ingest with one client pool spread over two.
  double ingest2_s = 0;
  int ingest2_items = 0;
  if (scale_out) {
    WaitForChangeFeed(engine.pending_changes);
    if (!servers.Start(2)) return 1;
    Workload more = MakeWorkload(demo.tenant_id, user, app, o.ingest_items, 8, false);
    std::fprintf(stderr, "ingest over HTTP, two servers...\n");
    ingest2_s = Ingest(servers.ports(2), writer, more.batches, o.ingest_connections);
    ingest2_items = o.ingest_items;
  }

  // Fill the export user up to export_items (not timed), then export, and the raw scan limit.
  for (int done = o.ingest_items + o.single_items + ingest2_items, round = 0; done < o.export_items; ++round) {
    int n = std::min(200'000, o.export_items - done);
    std::fprintf(stderr, "filling %d/%d...\n", done + n, o.export_items);
    Workload more = MakeWorkload(demo.tenant_id, user, app, n, 100 + round, false);
    Ingest(servers.ports(2), writer, more.batches, o.ingest_connections);
    done += n;
  }
  WaitForChangeFeed(engine.pending_changes);
  long rss_ingest = bench::PeakRssKb(servers.pid());

  // A fresh server for the export, so that its peak RSS is the export's own, not the ingest's.
  if (!servers.Start(scale_out ? 2 : 1)) return 1;
  ExportMeasure ex = MeasureExport(engine, servers, exporter, demo.tenant_id, user, o.export_rounds);
  const uint64_t export_items = ex.items, export_bytes = ex.bytes, scan_rows = ex.scan_rows, scan_bytes = ex.scan_bytes;
  const double export_s = ex.export_s, scan_s = ex.scan_s, export_cpu = ex.server_cpu_s, client_cpu = ex.client_cpu_s;
  const long rss_after_export = ex.peak_rss_kb;
  uint64_t export2_items = 0, export2_bytes = 0;
  double export2_s = 0;
  if (scale_out) {
    std::fprintf(stderr, "export, pages alternating between two servers...\n");
    export2_s = ExportAll(servers.ports(2), exporter, user, &export2_items, &export2_bytes);
  }

  std::fprintf(stderr, "latency under %d connections...\n", o.latency_connections);
  Latency lat = FilteredPages(servers.ports(1), exporter, user, app, o.latency_connections, o.latency_requests);
  long rss_peak = bench::PeakRssKb(servers.pid());
  Latency lat2;
  if (scale_out) {
    std::fprintf(stderr, "latency under %d connections, two servers...\n", o.latency_connections);
    lat2 = FilteredPages(servers.ports(2), exporter, user, app, o.latency_connections, o.latency_requests);
  }
  servers.Stop();

  double ingest_rate = o.ingest_items / ingest_s, raw_insert_rate = o.ingest_items / raw_insert_s;
  double export_rate = export_items / export_s, scan_rate = scan_rows / scan_s;
  const char* insert_target = scale_out ? ">= 60%" : ">= 70%";
  std::printf("\n%s store\n\n| measure | aihistory | limit (same run) | ratio | target |\n|---|---|---|---|---|\n",
              engine.name.c_str());
  std::printf("| ingest, interactions/s (batches of 1,000, %.0f B each, %d connections) | %.0f | %.0f %s | %.0f%% | %s |\n",
              avg_item, o.ingest_connections, ingest_rate, raw_insert_rate, engine.insert_limit,
              100 * ingest_rate / raw_insert_rate, insert_target);
  if (scale_out) {
    double rate2 = ingest2_items / ingest2_s;
    std::printf("| ingest, two servers sharing the %d connections | %.0f | %.0f %s | %.0f%% | |\n",
                o.ingest_connections, rate2, raw_insert_rate, engine.insert_limit, 100 * rate2 / raw_insert_rate);
  }
  std::printf("| ingest, server CPU ms per 1,000 items | %.2f | %.2f (wall) | | |\n", PerThousand(ingest_cpu, o.ingest_items),
              PerThousand(raw_insert_s, o.ingest_items));
  if (o.single_items > 0) {
    const double single_rate = o.single_items / single_s;
    std::printf("| ingest, one interaction per request, %d connections (%d items) | %.0f | %.0f %s | %.0f%% | |\n",
                o.single_connections, o.single_items, single_rate, raw_insert_rate, engine.insert_limit,
                100 * single_rate / raw_insert_rate);
    std::printf("| the same, server CPU ms per 1,000 items | %.2f | | | |\n", PerThousand(single_cpu, o.single_items));
  }
  std::printf("| export, interactions/s ($top=1000, one connection, %llu items) | %.0f | %.0f %s | %.0f%% | >= 50%% |\n",
              static_cast<unsigned long long>(export_items), export_rate, scan_rate, engine.scan_limit,
              100 * export_rate / scan_rate);
  std::printf("| export, MB/s | %.1f | %.1f | | |\n", export_bytes / export_s / 1e6, scan_bytes / scan_s / 1e6);
  std::printf("| export, CPU ms per 1,000 items: server / client | %.2f / %.2f | %.2f (wall) | | |\n",
              PerThousand(export_cpu, export_items), PerThousand(client_cpu, export_items), PerThousand(scan_s, scan_rows));
  if (scale_out) {
    double rate2 = export2_items / export2_s;
    std::printf("| export, pages alternating between two servers (%llu items) | %.0f | %.0f %s | %.0f%% | |\n",
                static_cast<unsigned long long>(export2_items), rate2, scan_rate, engine.scan_limit, 100 * rate2 / scan_rate);
  }
  std::printf("| filtered $top=100 page, %d connections: p50 / p99 ms | %.2f / %.2f (%.0f pages/s) | | | |\n",
              o.latency_connections, lat.p50_ms, lat.p99_ms, lat.rps);
  if (scale_out) {
    std::printf("| the same, two servers: p50 / p99 ms | %.2f / %.2f (%.0f pages/s) | | | |\n", lat2.p50_ms,
                lat2.p99_ms, lat2.rps);
  }
  std::printf("| server peak RSS over ingest and fill, MB | %.0f | | | |\n", rss_ingest / 1024.0);
  std::printf("| server peak RSS exporting %llu items (fresh server), MB | %.0f | | | < 300 |\n",
              static_cast<unsigned long long>(export_items), rss_after_export / 1024.0);
  std::printf("| server peak RSS after export and the latency run, MB | %.0f | | | |\n", rss_peak / 1024.0);
  return 0;
}
