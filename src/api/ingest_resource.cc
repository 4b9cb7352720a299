#include "api/ingest_resource.h"

#include "api/request_context.h"
#include "base/metrics.h"
#include "ingest/pipeline.h"
#include "model/interaction_writer.h"

namespace aih::api {
namespace {

// The ingest metrics, registered when the routes are added so that a scrape shows them from the start.
struct IngestMetrics {
  metrics::Counter& items = metrics::Registry::Default().AddCounter(
      "aihistory_interactions_ingested_total", "Interactions accepted by ingest requests (stored, updated or unchanged).");
  metrics::Counter& bytes = metrics::Registry::Default().AddCounter(
      "aihistory_ingested_bytes_total", "Canonical JSON bytes of the interactions accepted by ingest requests.");
  metrics::Histogram& batches = metrics::Registry::Default().AddHistogram(
      "aihistory_write_batch_items", "Interactions per accepted ingest request (one store write each).",
      metrics::SizeBuckets());
};

IngestMetrics& TheIngestMetrics() {
  static IngestMetrics metrics;
  return metrics;
}

// The interactions a request wrote (stored, updated or unchanged), for the metrics and its log line.
void CountIngested(const http::Request& request, const ingest::IngestResult& result) {
  IngestMetrics& m = TheIngestMetrics();
  m.batches.Observe(static_cast<double>(result.written));
  m.items.Add(result.written);
  m.bytes.Add(result.written_bytes);
  request.facts.AddItems(static_cast<int64_t>(result.written), static_cast<int64_t>(result.written_bytes));
}

// The media type of the body: JSON or NDJSON; anything else is 415.
Result<bool> IsNdjson(const http::Request& request) {
  std::string type(request.Header("content-type"));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type.empty() || type == "application/json") return false;
  if (type == "application/x-ndjson" || type == "application/ndjson" || type == "application/jsonl" ||
      type == "application/x-jsonlines") {
    return true;
  }
  return Status(Code::kUnsupportedMediaType, "Content-Type '" + type +
                                                 "' is not supported; send application/json or application/x-ndjson");
}

void AppendReport(std::string& out, size_t index, const ingest::ItemReport& r) {
  out += "{\"index\":" + std::to_string(index) + ",\"userId\":";
  if (r.user_id.empty()) out += "null"; else model::AppendJsonString(out, r.user_id);
  out += ",\"id\":";
  if (r.id.empty()) out += "null"; else model::AppendJsonString(out, r.id);
  if (!r.status.ok()) {
    out += ",\"status\":\"refused\",\"error\":{\"code\":";
    model::AppendJsonString(out, http::GraphCodeOf(r.status.code()));
    out += ",\"message\":";
    model::AppendJsonString(out, r.status.message());
    out += "}}";
    return;
  }
  out += ",\"status\":\"";
  out += store::ToString(r.outcome.result);
  out += "\",\"etag\":";
  model::AppendJsonString(out, r.outcome.etag);
  out += '}';
}

http::Response Ingest(Context& ctx, const http::Request& request, const std::string* path_user) {
  auto principal = Authenticate(ctx, request);
  if (!principal.ok()) return Fail(request, principal.status());
  Status allowed = ctx.policy.AuthorizeWriter(*principal);
  if (!allowed.ok()) return Fail(request, allowed);
  auto ndjson = IsNdjson(request);
  if (!ndjson.ok()) return Fail(request, ndjson.status());
  auto batch = model::ReadBatch(request.body, *ndjson, ctx.options.reader_limits);
  if (!batch.ok()) return Fail(request, batch.status());

  ingest::Attribution owner;
  if (path_user) {
    owner.user_id = *path_user;
    owner.binding = true;
  } else {
    owner.unnamed_refusal =
        "the item does not name its owner: add \"@aihistory.userId\", or post to "
        "/copilot/users/{userId}/interactionHistory/interactions";
  }
  auto ingested = ingest::Ingest(ctx.store.interactions(), ctx.policy, ingest::Writer::Application(*principal), owner,
                                 std::move(batch->items));
  // A directory that could not answer (or a failed store write) fails the whole request, with 503 or
  // 507 and Retry-After, to be retried as is, rather than report the items "refused" as if the client
  // had to change them.
  if (!ingested.ok()) return Fail(request, ingested.status());
  const std::vector<ingest::ItemReport>& reports = ingested->items;

  if (ingested->written == 0) {
    std::vector<http::ErrorDetail> details;
    for (size_t i = 0; i < reports.size() && details.size() < 100; ++i) {
      details.push_back({http::GraphCodeOf(reports[i].status.code()), reports[i].status.message(),
                         "value[" + std::to_string(i) + "]"});
    }
    std::string first = reports.empty() ? "" : reports[0].status.message();
    Status why = reports.size() == 1 ? reports[0].status
                                     : Status::BadRequest("no item was stored: every item was refused; value[0]: " + first);
    // A refusal of a single item keeps its own code (403 for a foreign appClass, ...).
    return http::ErrorResponse(request, why, 0, details);
  }
  CountIngested(request, *ingested);

  http::Response response;
  std::string& b = response.body;
  b.reserve(reports.size() * 96 + 128);
  b += "{\"stored\":" + std::to_string(ingested->stored) + ",\"unchanged\":" + std::to_string(ingested->unchanged) +
       ",\"updated\":" + std::to_string(ingested->updated) + ",\"refused\":" + std::to_string(ingested->refused) +
       ",\"value\":[";
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i) b += ',';
    AppendReport(b, i, reports[i]);
  }
  b += "]}";
  return response;
}

}  // namespace

void AddIngestRoutes(http::Router& router, Context& ctx) {
  TheIngestMetrics();
  for (const char* version : {"v1.0", "beta"}) {
    std::string v = std::string("/") + version;
    router.Add("POST", v + "/copilot/interactionHistory/interactions",
               [&ctx](const http::Request& r, const http::PathParams&) { return Ingest(ctx, r, nullptr); });
    router.Add("POST", v + "/copilot/users/{user}/interactionHistory/interactions",
               [&ctx](const http::Request& r, const http::PathParams& p) { return Ingest(ctx, r, &p.at("user")); });
  }
}

}  // namespace aih::api
