#include "api/ingest_resource.h"

#include "api/request_context.h"
#include "base/metrics.h"
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
void CountIngested(const http::Request& request, const std::vector<store::ItemToWrite>& writes) {
  IngestMetrics& m = TheIngestMetrics();
  m.batches.Observe(static_cast<double>(writes.size()));
  int64_t total = 0;
  for (const auto& w : writes) total += static_cast<int64_t>(w.json.size());
  m.items.Add(writes.size());
  m.bytes.Add(static_cast<uint64_t>(total));
  request.facts.AddItems(static_cast<int64_t>(writes.size()), total);
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

struct ItemReport {
  std::string user_id;
  std::string id;
  Status status;  // refused when failed
  store::ItemOutcome outcome;
};

void AppendReport(std::string& out, size_t index, const ItemReport& r) {
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

  std::vector<ItemReport> reports(batch->items.size());
  std::vector<const model::WriteItem*> checked;  // the items to authorize, in order
  std::vector<size_t> checked_index;             // checked[k] is item checked_index[k]
  for (size_t i = 0; i < batch->items.size(); ++i) {
    model::ParsedItem& parsed = batch->items[i];
    ItemReport& report = reports[i];
    report.status = parsed.status;
    model::WriteItem& item = parsed.item;
    report.user_id = item.user_id;
    report.id = item.interaction.id;
    if (!report.status.ok()) continue;
    if (path_user) {
      if (item.user_id.empty()) {
        item.user_id = *path_user;
      } else if (item.user_id != *path_user) {
        report.status = Status::BadRequest("@aihistory.userId '" + item.user_id +
                                           "' differs from the user in the path '" + *path_user + "'");
        continue;
      }
    } else if (item.user_id.empty()) {
      report.status = Status::BadRequest(
          "the item does not name its owner: add \"@aihistory.userId\", or post to "
          "/copilot/users/{userId}/interactionHistory/interactions");
      continue;
    }
    checked.push_back(&item);
    checked_index.push_back(i);
  }

  // The directory's decisions for the whole batch at once (each source and owner looked up once).
  std::vector<Result<std::string>> owners = ctx.policy.AuthorizeItems(*principal, checked);
  std::vector<store::ItemToWrite> writes;
  std::vector<size_t> write_index;  // writes[i] is item write_index[i]
  writes.reserve(checked.size());
  for (size_t k = 0; k < checked.size(); ++k) {
    const size_t i = checked_index[k];
    ItemReport& report = reports[i];
    model::WriteItem& item = batch->items[i].item;
    Result<std::string>& owner = owners[k];
    if (!owner.ok()) {
      // The directory could not answer (PostgreSQL restarting, ...): nothing is wrong with the item,
      // so the whole request fails with 503 and Retry-After, to be retried as is (writes are
      // idempotent), rather than report the item "refused" as if the client had to change it.
      const Code code = owner.status().code();
      if (code == Code::kUnavailable || code == Code::kStorageFull || code == Code::kInternal) {
        return Fail(request, owner.status());
      }
      report.status = owner.status();
      continue;
    }
    store::ItemToWrite w = store::PrepareItem(principal->tenant_id, *owner, std::move(item.interaction));
    report.user_id = w.user_id;
    report.id = w.interaction.id;
    writes.push_back(std::move(w));
    write_index.push_back(i);
  }

  if (writes.empty()) {
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

  std::vector<store::ItemOutcome> outcomes;
  Status written = ctx.store.interactions().Write(writes, &outcomes);
  if (!written.ok()) return Fail(request, written);
  CountIngested(request, writes);
  size_t counts[4] = {0, 0, 0, 0};  // stored, unchanged, updated, refused
  for (size_t k = 0; k < writes.size(); ++k) reports[write_index[k]].outcome = outcomes[k];
  for (const auto& r : reports) {
    if (!r.status.ok()) ++counts[3];
    else ++counts[static_cast<int>(r.outcome.result)];
  }

  http::Response response;
  std::string& b = response.body;
  b.reserve(reports.size() * 96 + 128);
  b += "{\"stored\":" + std::to_string(counts[0]) + ",\"unchanged\":" + std::to_string(counts[1]) +
       ",\"updated\":" + std::to_string(counts[2]) + ",\"refused\":" + std::to_string(counts[3]) + ",\"value\":[";
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
