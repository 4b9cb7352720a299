// The OTLP ingest benchmark (docs/benchmarks.md): the real server on loopback, the same model calls
// ingested twice per round, each into a fresh server: once as OTLP/HTTP protobuf span batches of the
// size the SDKs' batch span processor sends (512 spans), once as the same interactions through the
// native write API (JSON batches of 1,024 items: the two interactions of each of 512 calls). It
// prints spans/s over OTLP and calls/s over the write API, and their ratio (the contract's target:
// OTLP at least 70 % of the native path).
//
// Usage: otlp_bench [--calls N] [--connections C] [--batch SPANS] [--rounds N] [--dir DIR]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "model/interaction_writer.h"
#include "otlp/interaction_mapping.h"
#include "otlp/protobuf_encoder.h"
#include "process_stats.h"
#include "seed/synthetic_history.h"
#include "support/demo_tenant.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "statistics.h"

using namespace aih;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int calls = 50'000;
  int connections = 4;
  int batch = 512;  // BatchSpanProcessor's maxExportBatchSize default
  int rounds = 3;
  std::string dir;
};

otlp::Attribute Attr(std::string key, std::string value) {
  otlp::AnyValue v;
  v.kind = otlp::AnyValue::Kind::kString;
  v.text = std::move(value);
  return {std::move(key), std::move(v)};
}

std::string Parts(const std::string& role, const std::string& text) {
  std::string out = "[{\"role\":\"" + role + "\",\"parts\":[{\"type\":\"text\",\"content\":";
  model::AppendJsonString(out, text);
  return out + "}]}]";
}

// The model calls of the bench: the seeded history's prompt and answer texts, one call per pair.
std::vector<otlp::Span> Calls(const std::string& owner, int calls) {
  seed::SyntheticOptions so;
  so.seed = 11;
  so.users = 1;
  so.interactions_per_user = calls * 2;
  seed::SyntheticHistory history(so);
  auto items = history.InteractionsOf(0);
  std::vector<otlp::Span> spans;
  for (size_t i = 0; i + 1 < items.size() && spans.size() < static_cast<size_t>(calls); i += 2) {
    const model::Interaction& prompt = items[i].interaction;
    const model::Interaction& answer = items[i + 1].interaction;
    otlp::Span span;
    const uint64_t n = spans.size() + 1;
    span.trace_id = std::string(8, '\x42');
    for (int b = 0; b < 8; ++b) span.trace_id += static_cast<char>((n >> (8 * b)) & 0xff);
    span.span_id = span.trace_id.substr(8);
    span.name = "chat gpt-4o";
    span.start_time_unix_nano = static_cast<uint64_t>(prompt.created.ticks) * 100;
    span.end_time_unix_nano = static_cast<uint64_t>(answer.created.ticks) * 100;
    span.attributes = {Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.provider.name", "openai"),
                       Attr("gen_ai.request.model", "gpt-4o"), Attr("gen_ai.response.model", "gpt-4o-2024-08-06"),
                       Attr("gen_ai.conversation.id", *prompt.session_id), Attr("user.id", owner),
                       Attr("server.address", "api.openai.com"),
                       Attr("gen_ai.input.messages", Parts("user", prompt.body->content.value_or(""))),
                       Attr("gen_ai.output.messages", Parts("assistant", answer.body->content.value_or("")))};
    spans.push_back(std::move(span));
  }
  return spans;
}

otlp::Attributes Resource(const std::string& app_class) {
  return {Attr("service.name", app_class), Attr("telemetry.sdk.language", "nodejs"),
          Attr("telemetry.sdk.name", "opentelemetry"), Attr("telemetry.sdk.version", "2.12.1")};
}

std::vector<std::string> OtlpBatches(const std::vector<otlp::Span>& spans, const std::string& app_class, int batch) {
  std::vector<std::string> out;
  for (size_t i = 0; i < spans.size(); i += static_cast<size_t>(batch)) {
    otlp::Telemetry t;
    t.resources.emplace_back();
    t.resources[0].resource = Resource(app_class);
    t.resources[0].spans.assign(spans.begin() + static_cast<long>(i),
                                spans.begin() + static_cast<long>(std::min(spans.size(), i + static_cast<size_t>(batch))));
    out.push_back(otlp::EncodeTracesProtobuf(t));
  }
  return out;
}

// The same calls as the native write API's items (what the mapping makes of them), in batches.
std::vector<std::string> NativeBatches(const std::vector<otlp::Span>& spans, const std::string& app_class,
                                       const std::string& writer, int batch) {
  otlp::Telemetry t;
  t.resources.emplace_back();
  t.resources[0].resource = Resource(app_class);
  t.resources[0].spans = spans;
  otlp::MappingOptions options;
  options.writer_app_id = writer;
  otlp::Mapping m = otlp::MapTraces(
      t, [&](const otlp::Attributes&) -> Result<std::string> { return app_class; }, options);
  std::vector<std::string> out;
  std::string body;
  int in = 0;
  for (const model::ParsedItem& item : m.items) {
    body += in ? "," : "[";
    body += model::PrependAnnotation(model::WriteInteraction(item.item.interaction), "@aihistory.userId",
                                     item.item.user_id);
    if (++in == 2 * batch) {
      out.push_back(body + "]");
      body.clear();
      in = 0;
    }
  }
  if (in) out.push_back(body + "]");
  return out;
}

double Send(int port, const std::string& token, const std::vector<std::string>& batches, int connections,
            const std::string& path, const std::string& type) {
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      testing::HttpClient client(port);
      for (size_t i; (i = next++) < batches.size();) {
        auto r = client.Send("POST", path, {{"Authorization", "Bearer " + token}, {"Content-Type", type}}, batches[i]);
        // A partial success is a failure here: every call of the bench is to be stored.
        const bool rejected = type == "application/x-protobuf" && !r.body.empty();
        if ((r.status != 200 || rejected) && failures++ == 0) {
          std::fprintf(stderr, "%s failed: %d %s\n", path.c_str(), r.status, r.body.substr(0, 300).c_str());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return failures ? -1 : seconds;
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

struct Round {
  double native_rate = 0, otlp_rate = 0;                // calls per second
  double native_server_cpu = 0, otlp_server_cpu = 0;    // server CPU ms per 1,000 calls
};

bool RunRound(const Options& o, const std::string& dir, Round* round) {
  {
    Server native = Start(dir + "/native");
    if (!native.process) return false;
    auto spans = Calls(native.demo.licensed_user, o.calls);
    auto batches = NativeBatches(spans, native.demo.first_party_app_class, native.demo.writer_id, o.batch);
    std::fprintf(stderr, "native write API: %zu calls in %zu batches...\n", spans.size(), batches.size());
    const double cpu = bench::CpuSeconds(native.process->pid());
    const double s = Send(native.process->port(), native.writer, batches, o.connections,
                          "/v1.0/copilot/interactionHistory/interactions", "application/json");
    if (s < 0) return false;
    round->native_server_cpu = 1e6 * (bench::CpuSeconds(native.process->pid()) - cpu) / static_cast<double>(spans.size());
    round->native_rate = static_cast<double>(spans.size()) / s;
  }
  {
    Server otlp = Start(dir + "/otlp");
    if (!otlp.process) return false;
    auto spans = Calls(otlp.demo.licensed_user, o.calls);
    auto batches = OtlpBatches(spans, otlp.demo.first_party_app_class, o.batch);
    std::fprintf(stderr, "OTLP protobuf: %zu spans in %zu batches...\n", spans.size(), batches.size());
    const double cpu = bench::CpuSeconds(otlp.process->pid());
    const double s = Send(otlp.process->port(), otlp.writer, batches, o.connections, "/v1/traces",
                          "application/x-protobuf");
    if (s < 0) return false;
    round->otlp_server_cpu = 1e6 * (bench::CpuSeconds(otlp.process->pid()) - cpu) / static_cast<double>(spans.size());
    round->otlp_rate = static_cast<double>(spans.size()) / s;
  }
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
    if (a == "--calls") o.calls = std::atoi(argv[++i]);
    else if (a == "--connections") o.connections = std::atoi(argv[++i]);
    else if (a == "--batch") o.batch = std::max(1, std::atoi(argv[++i]));
    else if (a == "--rounds") o.rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--dir") o.dir = argv[++i];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (o.dir.empty()) o.dir = testing::MakeTempDir("aih-otlp-bench");
  std::fprintf(stderr, "bench data in %s\n", o.dir.c_str());
  std::vector<Round> rounds(static_cast<size_t>(o.rounds));
  for (int i = 0; i < o.rounds; ++i) {
    std::fprintf(stderr, "round %d of %d\n", i + 1, o.rounds);
    if (!RunRound(o, o.dir + "/round-" + std::to_string(i + 1), &rounds[static_cast<size_t>(i)])) return 1;
  }
  const double native = bench::MedianOf(rounds, [](const Round& r) { return r.native_rate; });
  const double otlp = bench::MedianOf(rounds, [](const Round& r) { return r.otlp_rate; });
  std::printf("\n%d rounds, each figure the median over them; each round ingests %d model calls (%d interactions),\n"
              "%d connections, into a fresh server per path: OTLP protobuf batches of %d spans, and the write\n"
              "API's JSON batches of the same %d calls' %d interactions.\n\n",
              o.rounds, o.calls, 2 * o.calls, o.connections, o.batch, o.batch, 2 * o.batch);
  std::printf("| measure | value | target |\n|---|---|---|\n");
  std::printf("| native write API, calls/s (interactions/s) | %.0f (%.0f) | |\n", native, 2 * native);
  std::printf("| OTLP/HTTP protobuf, spans/s | %.0f (%.0f%%) | >= 70%% |\n", otlp, 100 * otlp / native);
  std::printf("| the ratio in each round | ");
  for (const Round& r : rounds) std::printf("%.0f%% ", 100 * r.otlp_rate / r.native_rate);
  std::printf("| |\n");
  std::printf("| server CPU ms per 1,000 calls, native / OTLP | %.1f / %.1f | |\n",
              bench::MedianOf(rounds, [](const Round& r) { return r.native_server_cpu; }),
              bench::MedianOf(rounds, [](const Round& r) { return r.otlp_server_cpu; }));
  return 0;
}
