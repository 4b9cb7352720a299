// The change-notification benchmark (docs/benchmarks.md): the real server on loopback, 10 real
// receivers on loopback, the same seeded interactions ingested over HTTP twice, each time into a fresh
// server: once with no subscription, once with 10 active tenant-wide subscriptions (10 applications,
// each with its own receiver). It prints
//
//   ingest    interactions/s acknowledged without and with the subscriptions, and their ratio
//             (the contract's target: with them, at least 80 % of without)
//   delivery  notifications/s received by the 10 receivers, from the first write until the last
//             notification arrived, and how long the last one trailed the end of ingest
//
// Usage: notifications_bench [--items N] [--connections C] [--receivers R] [--rounds N] [--rich] [--dir DIR]
// (--rich makes the subscriptions ask for encrypted resource data; --rounds, 3 by default, repeats the
// pair of ingests and reports medians, as this VM's host moves single runs by 20-30%.)
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "base/base64.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "seed/synthetic_history.h"
#include "process_stats.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/webhook_receiver.h"
#include "statistics.h"

using namespace aih;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

struct Options {
  int items = 100'000;
  int connections = 4;
  int receivers = 10;
  bool rich = false;
  int rounds = 3;
  std::string dir;
};

// Seeded interactions of one owner as JSON write batches of 1,000.
std::vector<std::string> Batches(const std::string& owner, const std::string& app_class, int items) {
  seed::SyntheticOptions so;
  so.seed = 11;
  so.users = 1;
  so.interactions_per_user = items;
  so.app_classes = {app_class};
  seed::SyntheticHistory history(so);
  std::vector<std::string> batches;
  std::string batch;
  int in_batch = 0;
  for (auto& item : history.InteractionsOf(0)) {
    item.interaction.etag = item.interaction.id;
    batch += in_batch ? "," : "[";
    batch += model::PrependAnnotation(model::WriteInteraction(item.interaction), "@aihistory.userId", owner);
    if (++in_batch == 1000) {
      batches.push_back(batch + "]");
      batch.clear();
      in_batch = 0;
    }
  }
  if (in_batch) batches.push_back(batch + "]");
  return batches;
}

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
        if (r.status != 200 && failures++ == 0) {
          std::fprintf(stderr, "ingest failed: %d %s\n", r.status, r.body.substr(0, 300).c_str());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  return Seconds(start);
}

// base64 DER of a throwaway self-signed RSA-2048 certificate (rich subscriptions encrypt with it).
std::string Certificate() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* x = X509_new();
  X509_set_version(x, 2);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  unsigned char* der = nullptr;
  int n = i2d_X509(x, &der);
  std::string out = Base64Encode(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n)));
  OPENSSL_free(der);
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

struct Server {
  testing::DemoTenant demo;
  std::unique_ptr<testing::ServerProcess> process;
  std::string writer;
};

Server Start(const std::string& dir) {
  Server s;
  s.demo = testing::DemoTenant::Create(dir);
  s.process = testing::ServerProcess::Start(dir, {"--workers", "32"});
  if (!s.process) return s;
  testing::HttpClient client(s.process->port());
  s.writer = testing::FetchToken(client, s.demo.tenant_id, s.demo.writer_id, s.demo.writer_secret);
  return s;
}

// Registers an application with Read.All and subscribes it, tenant-wide, to created interactions.
bool Subscribe(Server& s, const std::string& url, const std::string& certificate) {
  testing::HttpClient client(s.process->port());
  const std::vector<std::pair<std::string, std::string>> admin = {{"X-Aihistory-Admin-Key", s.demo.admin_key},
                                                                  {"Content-Type", "application/json"}};
  auto app = client.Send("POST", "/admin/applications", admin,
                         "{\"displayName\":\"bench subscriber\",\"homeTenantId\":\"" + s.demo.tenant_id + "\"}");
  std::string id = testing::JsonValue(app.body, "clientId");
  client.Send("POST", "/admin/tenants/" + s.demo.tenant_id + "/consents", admin,
              "{\"clientId\":\"" + id + "\",\"roles\":[\"AiEnterpriseInteraction.Read.All\"]}");
  std::string token = testing::FetchToken(client, s.demo.tenant_id, id, testing::JsonValue(app.body, "clientSecret.secretText"));
  auto expires = std::chrono::system_clock::now() + std::chrono::minutes(55);
  std::string body = "{\"changeType\":\"created\",\"notificationUrl\":\"" + url +
                     "\",\"resource\":\"/copilot/interactionHistory/getAllEnterpriseInteractions\","
                     "\"expirationDateTime\":\"" +
                     model::Timestamp::FromUnixMillis(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          expires.time_since_epoch()).count())
                         .ToString() +
                     "\"";
  if (!certificate.empty()) {
    body += ",\"includeResourceData\":true,\"encryptionCertificate\":\"" + certificate +
            "\",\"encryptionCertificateId\":\"bench\"";
  }
  auto r = client.Send("POST", "/v1.0/subscriptions", {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                       body + "}");
  if (r.status != 201) std::fprintf(stderr, "subscribe failed: %d %s\n", r.status, r.body.c_str());
  return r.status == 201;
}

// One round: the same items into a fresh server without subscriptions, then into a fresh server
// with `receivers` of them; figures of the second are measured while it ingests.
struct Round {
  double plain_rate = 0, subscribed_rate = 0;
  double plain_server_cpu = 0, subscribed_server_cpu = 0, subscribed_bench_cpu = 0;  // ms per 1,000 items
  double delivered_rate = 0, trailing_s = 0;
  size_t missing = 0;
};

double MsPerThousand(double seconds, int items) { return 1e6 * seconds / items; }

bool RunRound(const Options& o, const std::string& dir, Round* round) {
  Server plain = Start(dir + "/plain");
  if (!plain.process) return false;
  std::fprintf(stderr, "generating %d interactions...\n", o.items);
  auto batches = Batches(plain.demo.licensed_user, plain.demo.first_party_app_class, o.items);
  std::fprintf(stderr, "ingest without subscriptions...\n");
  double cpu = bench::CpuSeconds(plain.process->pid());
  const double plain_s = Ingest(plain.process->port(), plain.writer, batches, o.connections);
  round->plain_server_cpu = MsPerThousand(bench::CpuSeconds(plain.process->pid()) - cpu, o.items);
  plain.process.reset();

  Server subscribed = Start(dir + "/subscribed");
  if (!subscribed.process) return false;
  batches = Batches(subscribed.demo.licensed_user, subscribed.demo.first_party_app_class, o.items);
  const std::string certificate = o.rich ? Certificate() : "";
  std::vector<std::unique_ptr<testing::WebhookReceiver>> receivers;
  for (int r = 0; r < o.receivers; ++r) {
    receivers.push_back(std::make_unique<testing::WebhookReceiver>(/*keep=*/false));
    if (!Subscribe(subscribed, receivers.back()->Url(), certificate)) return false;
  }
  auto received = [&] {
    size_t n = 0;
    for (auto& r : receivers) n += r->count();
    return n;
  };
  std::fprintf(stderr, "ingest with %d subscriptions...\n", o.receivers);
  const auto start = Clock::now();
  cpu = bench::CpuSeconds(subscribed.process->pid());
  const double bench_cpu = bench::CpuSeconds(getpid());
  const double subscribed_s = Ingest(subscribed.process->port(), subscribed.writer, batches, o.connections);
  round->subscribed_server_cpu = MsPerThousand(bench::CpuSeconds(subscribed.process->pid()) - cpu, o.items);
  round->subscribed_bench_cpu = MsPerThousand(bench::CpuSeconds(getpid()) - bench_cpu, o.items);
  const size_t expected = static_cast<size_t>(o.items) * receivers.size();
  std::fprintf(stderr, "waiting for %zu notifications (%zu so far)...\n", expected, received());
  const auto deadline = Clock::now() + std::chrono::minutes(30);
  while (received() < expected && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const double delivered_s = Seconds(start);
  const size_t got = received();

  round->plain_rate = o.items / plain_s;
  round->subscribed_rate = o.items / subscribed_s;
  round->delivered_rate = got / delivered_s;
  round->trailing_s = delivered_s - subscribed_s;
  round->missing = got < expected ? expected - got : 0;  // at least once: repeats may count too
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rich") {
      o.rich = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", a.c_str());
      return 2;
    }
    if (a == "--items") o.items = std::atoi(argv[++i]);
    else if (a == "--connections") o.connections = std::atoi(argv[++i]);
    else if (a == "--receivers") o.receivers = std::atoi(argv[++i]);
    else if (a == "--rounds") o.rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--dir") o.dir = argv[++i];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (o.dir.empty()) o.dir = testing::MakeTempDir("aih-notify-bench");
  std::fprintf(stderr, "bench data in %s\n", o.dir.c_str());

  std::vector<Round> rounds(static_cast<size_t>(o.rounds));
  size_t missing = 0;
  for (int i = 0; i < o.rounds; ++i) {
    std::fprintf(stderr, "round %d of %d\n", i + 1, o.rounds);
    if (!RunRound(o, o.dir + "/round-" + std::to_string(i + 1), &rounds[static_cast<size_t>(i)])) return 1;
    missing += rounds[static_cast<size_t>(i)].missing;
  }

  const double plain_rate = bench::MedianOf(rounds, [](const Round& r) { return r.plain_rate; });
  const double subscribed_rate = bench::MedianOf(rounds, [](const Round& r) { return r.subscribed_rate; });
  std::printf("\n%d rounds, each figure the median over them; each round ingests %d items (batches of 1,000, %d connections)\n"
              "into a fresh server without subscriptions, then into a fresh one with them.\n\n",
              o.rounds, o.items, o.connections);
  std::printf("| measure | value | target |\n|---|---|---|\n");
  std::printf("| ingest without subscriptions, interactions/s | %.0f | |\n", plain_rate);
  std::printf("| ingest with %d tenant-wide%s subscriptions, interactions/s | %.0f (%.0f%%) | >= 80%% |\n", o.receivers,
              o.rich ? " rich" : "", subscribed_rate, 100 * subscribed_rate / plain_rate);
  std::printf("| the ratio in each round | ");
  for (const Round& r : rounds) std::printf("%.0f%% ", 100 * r.subscribed_rate / r.plain_rate);
  std::printf("| |\n");
  std::printf("| server CPU ms per 1,000 items ingested, without / with subscriptions | %.1f / %.1f | |\n",
              bench::MedianOf(rounds, [](const Round& r) { return r.plain_server_cpu; }),
              bench::MedianOf(rounds, [](const Round& r) { return r.subscribed_server_cpu; }));
  std::printf("| the bench's own CPU ms per 1,000 items while ingesting with subscriptions (clients, %d receivers) | %.1f | |\n",
              o.receivers, bench::MedianOf(rounds, [](const Round& r) { return r.subscribed_bench_cpu; }));
  std::printf("| notifications delivered to %d receivers, per second (first write to last notification) | %.0f | |\n",
              o.receivers, bench::MedianOf(rounds, [](const Round& r) { return r.delivered_rate; }));
  std::printf("| last notification after the end of ingest, seconds | %.1f | |\n",
              bench::MedianOf(rounds, [](const Round& r) { return r.trailing_s; }));
  if (missing) std::printf("| MISSING notifications, all rounds | %zu | 0 |\n", missing);
  return missing ? 1 : 0;
}
