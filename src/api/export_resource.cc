#include "api/export_resource.h"

#include <algorithm>
#include <memory>

#include "api/request_context.h"
#include "base/metrics.h"
#include "model/interaction_writer.h"
#include "odata/query_options.h"

namespace aih::api {
namespace {

constexpr const char* kUserAnnotation = "@aihistory.userId";
// A page larger than this is streamed in parts of about this size: a $top=1000 page is ~1.5 MB.
constexpr size_t kStreamPartBytes = 256 * 1024;

// Appends one item of the page, re-serialised only when $select asks for a subset.
Status AppendItem(std::string& body, const store::PageRow& row, const odata::QueryOptions& options,
                  bool tenant_wide) {
  if (options.select.empty()) {
    if (tenant_wide) {
      body += model::PrependAnnotation(row.json, kUserAnnotation, row.user_id);
    } else {
      body += row.json;
    }
    return Status::Ok();
  }
  auto item = model::ReadStoredItem(row.json);  // keeps the stored etag
  if (!item.ok()) return Status::Internal("a stored interaction could not be re-read: " + item.status().message());
  std::string selected = model::WriteSelected(item->interaction, options.select);
  body += tenant_wide ? model::PrependAnnotation(selected, kUserAnnotation, row.user_id) : selected;
  return Status::Ok();
}

// A page on its way to the client. A large page is streamed in parts (http::ResponseStream); when
// the client does not take them as fast as they are read, the page stops reading the store and
// continues from its last row once the client has caught up, so that a slow client holds neither a
// worker thread nor more than the server's stream buffer of the page.
struct PageInProgress {
  PageInProgress(Context& c, const http::Request& r) : ctx(c), request(r) {}
  Context& ctx;
  const http::Request& request;  // valid until the response ends (ResponseStream)
  bool tenant_wide = false;
  odata::QueryOptions options;
  odata::CursorBinding binding;
  store::PageQuery query;
  std::string base;
  http::Response response;  // the head, then the part of the body being built
  int emitted = 0;
  bool more = false;
  odata::CursorPosition last;
};

// The interactions a turn of a page wrote out, for the metrics and the request's log line: one
// add per turn, never per item.
// (Registered when the routes are added, so that a scrape shows them from the start.)
struct ExportMetrics {
  metrics::Counter& items = metrics::Registry::Default().AddCounter(
      "aihistory_interactions_exported_total", "Interactions written into export pages.");
  metrics::Counter& bytes = metrics::Registry::Default().AddCounter(
      "aihistory_exported_bytes_total", "JSON bytes of the interactions written into export pages.");
};

ExportMetrics& TheExportMetrics() {
  static ExportMetrics metrics;
  return metrics;
}

void CountExported(const http::Request& request, int64_t items, int64_t bytes) {
  ExportMetrics& m = TheExportMetrics();
  m.items.Add(static_cast<uint64_t>(items));
  m.bytes.Add(static_cast<uint64_t>(bytes));
  request.facts.AddItems(items, bytes);
}

// Reads the rest of the page (or as much as the client takes for now) and returns its end.
http::Response ContinuePage(const std::shared_ptr<PageInProgress>& page) {
  const http::Request& request = page->request;
  std::string& body = page->response.body;
  bool paused = false;
  Status item_status;
  int64_t items = 0, item_bytes = 0;  // this turn's
  Status status = page->ctx.store.interactions().Page(page->query, [&](const store::PageRow& row) {
    if (page->emitted == page->options.top) {
      page->more = true;
      return false;
    }
    if (page->emitted++) body += ',';
    const size_t before = body.size();
    item_status = AppendItem(body, row, page->options, page->tenant_wide);
    ++items;
    item_bytes += static_cast<int64_t>(body.size() - before);
    if (!item_status.ok()) return false;
    page->last.ticks = row.ticks;
    page->last.id = row.id;
    page->last.user_id = row.user_id;
    if (body.size() >= kStreamPartBytes && request.stream && request.stream->can_stream()) {
      // Send what is ready while the rest of the page is read (see http::ResponseStream).
      if (!request.stream->begun()) request.stream->Begin(page->response);
      std::string part;
      part.reserve(body.capacity());
      part.swap(body);
      if (!request.stream->Write(std::move(part))) {
        paused = true;  // the client has enough in hand (or is gone)
        return false;
      }
    }
    return true;
  });
  CountExported(request, items, item_bytes);
  if (!status.ok()) return Fail(request, status);
  if (!item_status.ok()) return Fail(request, item_status);
  if (paused) {
    // The same query from the last row sent: the store's read-ahead may already have it.
    page->query.after = page->last;
    request.stream->Resume([page] { return ContinuePage(page); });
    return http::Response();  // ignored: the rest comes from ContinuePage
  }
  body += ']';
  if (page->more) {
    std::string token = page->ctx.cursors.Seal(page->last, page->binding);
    std::string link = page->base + std::string(request.path()) + "?" + page->options.NextQuery(token);
    body += ",\"@odata.nextLink\":";
    model::AppendJsonString(body, link);
  }
  body += '}';
  return std::move(page->response);
}

http::Response Export(Context& ctx, const http::Request& request, const std::string* user_ref) {
  auto principal = Authenticate(ctx, request);
  if (!principal.ok()) return Fail(request, principal.status());
  auto options = odata::QueryOptions::Parse(request.query());
  if (!options.ok()) return Fail(request, options.status());
  if (ctx.options.graph_profile == GraphProfile::kStrict) {
    if (auto refusal = StrictExportRefusal(*options)) {
      return http::ErrorResponse(request, refusal->http_status, refusal->code, refusal->message);
    }
  }
  auto scope = user_ref ? ctx.policy.AuthorizeUserExport(*principal, *user_ref)
                        : ctx.policy.AuthorizeTenantExport(*principal);
  if (!scope.ok()) return Fail(request, scope.status());
  auto base = BaseUrl(ctx, request);
  if (!base.ok()) return Fail(request, base.status());
  const std::string version = ApiVersion(request);

  auto page = std::make_shared<PageInProgress>(ctx, request);
  page->tenant_wide = user_ref == nullptr;
  page->options = std::move(*options);
  page->base = std::move(*base);
  page->binding = odata::CursorBinding{principal->tenant_id, user_ref ? scope->user_id : "*",
                                       page->options.Fingerprint()};
  store::PageQuery& query = page->query;
  query.tenant_id = principal->tenant_id;
  scope->ApplyTo(query);
  query.filter = page->options.filter ? &*page->options.filter : nullptr;
  query.ascending = page->options.ascending;
  query.limit = page->options.top + 1;  // one more tells whether there is a next page
  if (page->options.skiptoken) {
    auto position = ctx.cursors.Open(*page->options.skiptoken, page->binding);
    if (!position.ok()) return Fail(request, position.status());
    query.after = std::move(*position);
  }

  std::string& body = page->response.body;
  body.reserve(std::min<size_t>(static_cast<size_t>(page->options.top) * 1600 + 512, kStreamPartBytes + 64 * 1024));
  body += "{\"@odata.context\":";
  model::AppendJsonString(body, page->base + "/" + version + "/$metadata#Collection(microsoft.graph.aiInteraction)");
  if (page->options.count) {
    auto count = ctx.store.interactions().Count(query);
    if (!count.ok()) return Fail(request, count.status());
    body += ",\"@odata.count\":" + std::to_string(*count);
  }
  body += ",\"value\":[";
  return ContinuePage(page);
}

http::Response HistoryEntity(Context& ctx, const http::Request& request, const std::string& user_ref) {
  auto principal = Authenticate(ctx, request);
  if (!principal.ok()) return Fail(request, principal.status());
  auto scope = ctx.policy.AuthorizeUserExport(*principal, user_ref);
  if (!scope.ok()) return Fail(request, scope.status());
  auto base = BaseUrl(ctx, request);
  if (!base.ok()) return Fail(request, base.status());
  http::Response response;
  response.body = "{\"@odata.context\":";
  model::AppendJsonString(response.body, *base + "/" + ApiVersion(request) + "/$metadata#copilot/users('" +
                                             scope->user_id + "')/interactionHistory/$entity");
  response.body += ",\"id\":";
  model::AppendJsonString(response.body, scope->user_id);
  response.body += '}';
  return response;
}

}  // namespace

void AddExportRoutes(http::Router& router, Context& ctx) {
  TheExportMetrics();
  for (const char* version : {"v1.0", "beta"}) {
    std::string v = std::string("/") + version;
    router.Add("GET", v + "/copilot/users/{user}/interactionHistory/getAllEnterpriseInteractions",
               [&ctx](const http::Request& r, const http::PathParams& p) { return Export(ctx, r, &p.at("user")); });
    router.Add("GET", v + "/copilot/interactionHistory/getAllEnterpriseInteractions",
               [&ctx](const http::Request& r, const http::PathParams&) { return Export(ctx, r, nullptr); });
    router.Add("GET", v + "/copilot/users/{user}/interactionHistory",
               [&ctx](const http::Request& r, const http::PathParams& p) { return HistoryEntity(ctx, r, p.at("user")); });
  }
}

}  // namespace aih::api
