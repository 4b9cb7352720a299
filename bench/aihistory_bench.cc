// The aihistory benchmark: the real server on loopback against the limits of its own database,
// measured in the same run on the same rows, printed as one table (docs/benchmarks.md).
//
//   ingest   interactions/s acknowledged over HTTP, batches of 1,000 seeded interactions (~1.5 KB)
//            vs. raw SQLite inserts of the same rows into the same table, 1,000 per fsynced commit
//   export   interactions/s and MB/s paging one user of N interactions with $top=1000 over one
//            keep-alive connection vs. a raw index-ordered SQLite scan of the same rows
//   latency  p50/p99 of a filtered $top=100 page under 32 concurrent connections
//   memory   the server's peak RSS (VmHWM) after all of the above
//
// Usage: aihistory_bench [--export-items N] [--ingest-items N] [--connections C] [--dir DIR]
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "model/interaction_writer.h"
#include "seed/synthetic_history.h"
#include "store/interaction_store.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"

using namespace aih;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

struct Options {
  int export_items = 1'000'000;
  int ingest_items = 200'000;
  int ingest_connections = 4;
  int latency_connections = 32;
  int latency_requests = 6400;
  std::string dir;
};

// Seeded interactions for one owner, as write batches (JSON arrays of 1,000) and as store rows.
struct Workload {
  std::vector<std::string> batches;
  std::vector<store::ItemToWrite> rows;  // exactly what the server will store, for the raw limits
  uint64_t bytes = 0;
};

Workload MakeWorkload(const std::string& tenant, const std::string& owner, const std::string& app_class, int items,
                      uint64_t seed, bool keep_rows) {
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
    if (++in_batch == 1000) {
      w.batches.push_back(batch + "]");
      batch.clear();
      in_batch = 0;
    }
    if (keep_rows) w.rows.push_back(store::PrepareItem(tenant, owner, std::move(item.interaction)));
  }
  if (in_batch) w.batches.push_back(batch + "]");
  return w;
}

// Sends every batch over `connections` keep-alive connections; returns seconds taken.
double Ingest(int port, const std::string& token, const std::vector<std::string>& batches, int connections) {
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      testing::HttpClient client(port);
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

// Pages the whole export of `user`; returns seconds, counting items and bytes received.
double ExportAll(int port, const std::string& token, const std::string& user, uint64_t* items, uint64_t* bytes) {
  testing::HttpClient client(port);
  std::string target = "/v1.0/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions?$top=1000";
  *items = *bytes = 0;
  auto start = Clock::now();
  while (!target.empty()) {
    auto r = client.Send("GET", target, {{"Authorization", "Bearer " + token}});
    if (r.status != 200) {
      std::fprintf(stderr, "export failed: %d %s\n", r.status, r.body.substr(0, 300).c_str());
      break;
    }
    *bytes += r.body.size();
    // Count items by their leading property; the nextLink is the last member of the page.
    for (size_t p = 0; (p = r.body.find("{\"id\":", p)) != std::string::npos; p += 6) ++*items;
    size_t link = r.body.rfind("\"@odata.nextLink\":\"");
    if (link == std::string::npos) break;
    size_t begin = r.body.find("/v1.0/", link);
    target = r.body.substr(begin, r.body.find('"', begin) - begin);
  }
  return Seconds(start);
}

struct Latency {
  double p50_ms = 0, p99_ms = 0, rps = 0;
};

Latency FilteredPages(int port, const std::string& token, const std::string& user, const std::string& app_class,
                      int connections, int requests) {
  std::vector<double> samples;
  std::mutex mu;
  std::atomic<int> next{0};
  std::string target = "/v1.0/copilot/users/" + user + "/interactionHistory/getAllEnterpriseInteractions?$top=100&$filter=appClass%20eq%20'" +
                       app_class + "'%20and%20createdDateTime%20ge%202026-01-01T00:00:00Z";
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      testing::HttpClient client(port);
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

long PeakRssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--export-items") o.export_items = std::atoi(argv[i + 1]);
    else if (a == "--ingest-items") o.ingest_items = std::atoi(argv[i + 1]);
    else if (a == "--connections") o.latency_connections = std::atoi(argv[i + 1]);
    else if (a == "--dir") o.dir = argv[i + 1];
    else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
  }
  if (o.dir.empty()) o.dir = testing::MakeTempDir("aih-bench");
  std::string data = o.dir + "/server";
  std::fprintf(stderr, "bench data in %s\n", o.dir.c_str());

  auto demo = testing::DemoTenant::Create(data);
  auto server = testing::ServerProcess::Start(data, {"--workers", "32"});
  if (!server) return 1;
  testing::HttpClient client(server->port());
  std::string writer = testing::FetchToken(client, demo.tenant_id, demo.writer_id, demo.writer_secret);
  std::string exporter = testing::FetchToken(client, demo.tenant_id, demo.exporter_id, demo.exporter_secret);
  const std::string& user = demo.licensed_user;
  const std::string& app = demo.first_party_app_class;

  // Ingest, and the raw insert limit on the same rows.
  std::fprintf(stderr, "generating %d interactions...\n", o.ingest_items);
  Workload ingest = MakeWorkload(demo.tenant_id, user, app, o.ingest_items, 7, /*keep_rows=*/true);
  std::fprintf(stderr, "ingest over HTTP...\n");
  double ingest_s = Ingest(server->port(), writer, ingest.batches, o.ingest_connections);
  std::fprintf(stderr, "raw SQLite insert...\n");
  double raw_insert_s = RawInsert(o.dir + "/raw-insert.db", ingest.rows);
  double avg_item = static_cast<double>(ingest.bytes) / o.ingest_items;
  ingest.rows.clear();
  ingest.rows.shrink_to_fit();
  ingest.batches.clear();

  // Fill the export user up to export_items (not timed), then export, and the raw scan limit.
  for (int done = o.ingest_items, round = 0; done < o.export_items; ++round) {
    int n = std::min(200'000, o.export_items - done);
    std::fprintf(stderr, "filling %d/%d...\n", done + n, o.export_items);
    Workload more = MakeWorkload(demo.tenant_id, user, app, n, 100 + round, false);
    Ingest(server->port(), writer, more.batches, o.ingest_connections);
    done += n;
  }
  std::fprintf(stderr, "export...\n");
  uint64_t export_items = 0, export_bytes = 0;
  double export_s = ExportAll(server->port(), exporter, user, &export_items, &export_bytes);
  long rss_after_export = PeakRssKb(server->pid());
  uint64_t scan_rows = 0, scan_bytes = 0;
  double scan_s = RawScan(data + "/aihistory.db", demo.tenant_id, user, &scan_rows, &scan_bytes);

  std::fprintf(stderr, "latency under %d connections...\n", o.latency_connections);
  Latency lat = FilteredPages(server->port(), exporter, user, app, o.latency_connections, o.latency_requests);
  long rss_peak = PeakRssKb(server->pid());

  double ingest_rate = o.ingest_items / ingest_s, raw_insert_rate = o.ingest_items / raw_insert_s;
  double export_rate = export_items / export_s, scan_rate = scan_rows / scan_s;
  std::printf("\n| measure | aihistory | limit (same run) | ratio | target |\n|---|---|---|---|---|\n");
  std::printf("| ingest, interactions/s (batches of 1,000, %.0f B each, %d connections) | %.0f | %.0f raw SQLite insert | %.0f%% | >= 70%% |\n",
              avg_item, o.ingest_connections, ingest_rate, raw_insert_rate, 100 * ingest_rate / raw_insert_rate);
  std::printf("| export, interactions/s ($top=1000, one connection, %llu items) | %.0f | %.0f raw SQLite index scan | %.0f%% | >= 50%% |\n",
              static_cast<unsigned long long>(export_items), export_rate, scan_rate, 100 * export_rate / scan_rate);
  std::printf("| export, MB/s | %.1f | %.1f | | |\n", export_bytes / export_s / 1e6, scan_bytes / scan_s / 1e6);
  std::printf("| filtered $top=100 page, %d connections: p50 / p99 ms | %.2f / %.2f (%.0f pages/s) | | | |\n",
              o.latency_connections, lat.p50_ms, lat.p99_ms, lat.rps);
  std::printf("| server peak RSS after exporting %llu items, MB | %.0f | | | < 300 |\n",
              static_cast<unsigned long long>(export_items), rss_after_export / 1024.0);
  std::printf("| server peak RSS after the latency run, MB | %.0f | | | |\n", rss_peak / 1024.0);
  server->Terminate();
  return 0;
}
