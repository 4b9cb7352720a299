#include "api/export_resource.h"

#include <algorithm>
#include <memory>

#include "api/audit_record.h"
#include "api/page_writer.h"
#include "api/request_context.h"
#include "base/metrics.h"
#include "http/graph_error.h"
#include "model/interaction_writer.h"
#include "odata/query_options.h"

namespace aih::api {
namespace {

// A page larger than this is streamed in parts of about this size: a $top=1000 page is ~1.5 MB.
constexpr size_t kStreamPartBytes = 256 * 1024;

// The HTTP response as a page's sink: once the page is large, what is written goes out in chunks
// (http::ResponseStream), when the connection can stream; otherwise the page is one response.
class ResponseSink final : public PageSink {
 public:
  ResponseSink(const http::Request& request, const http::Response& head) : request_(request), head_(head) {}
  bool Offer(std::string& text) override {
    if (!request_.stream || !request_.stream->can_stream()) return true;
    if (!request_.stream->begun()) request_.stream->Begin(head_);
    std::string part;
    part.reserve(text.capacity());
    part.swap(text);
    return request_.stream->Write(std::move(part));  // false: the client has enough in hand (or is gone)
  }

 private:
  const http::Request& request_;
  const http::Response& head_;
};

// A page on its way to the client. A large page is streamed in parts (http::ResponseStream); when
// the client does not take them as fast as they are read, the page stops reading the store and
// continues from its last row once the client has caught up, so that a slow client holds neither a
// worker thread nor more than the server's stream buffer of the page.
struct PageInProgress {
  PageInProgress(Context& c, const http::Request& r, odata::QueryOptions o, bool all_users)
      : ctx(c),
        request(r),
        tenant_wide(all_users),
        options(std::move(o)),
        sink(r, response),
        writer(PageLayout{&options.select, all_users, ",", "", kStreamPartBytes}, sink) {}
  Context& ctx;
  const http::Request& request;  // valid until the response ends (ResponseStream)
  bool tenant_wide = false;
  odata::QueryOptions options;
  odata::CursorBinding binding;
  store::PageQuery query;
  std::string base;
  http::Response response;  // the head; its body is the page's last part
  ResponseSink sink;
  PageWriter writer;
  bool more = false;
  std::optional<int64_t> count;  // $count=true: the query's count, carried in the next page's cursor
  auth::Principal caller;
  std::string user_id;   // the user of a per-user export
  int64_t items = 0;     // written so far, over every turn
};

// The audit entry of an export request (store/audit_trail.h: queued, so that a page pays a queue
// push, not a commit): one per request, whatever its size, with what it asked and how many items it
// returned. `options` is null when the request's options did not parse.
void RecordExport(Context& ctx, const http::Request& request, const auth::Principal& caller, bool tenant_wide,
                  const std::string& user_id, const odata::QueryOptions* options, int status, int64_t items) {
  if (ctx.audit == nullptr || !ctx.audit->enabled()) return;
  const bool search = options && !options->search_text.empty();
  store::AuditEntry e = RequestAuditEntry(request, search ? "interactions.search" : "interactions.export",
                                          caller.tenant_id, status);
  SetAuditActor(e, caller);
  e.count = items;
  e.details = tenant_wide ? "{\"scope\":\"tenant\"" : "{\"scope\":\"user\",\"userId\":";
  if (!tenant_wide) model::AppendJsonString(e.details, user_id);
  if (options) {
    e.details += ",\"filter\":";
    model::AppendJsonString(e.details, options->filter ? options->filter->Canonical() : "");
    e.details += ",\"search\":";
    model::AppendJsonString(e.details, options->search_text);
    e.details += ",\"top\":" + std::to_string(options->top);
    e.details += options->skiptoken ? ",\"page\":\"next\"" : ",\"page\":\"first\"";
  }
  e.details += '}';
  ctx.audit->Record(std::move(e));
}

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
  PageWriter& writer = page->writer;
  bool stopped = false;
  Status status = page->ctx.store.interactions().Page(page->query, [&](const store::PageRow& row) {
    if (writer.written() == page->options.top) {
      page->more = true;
      return false;
    }
    stopped = !writer.Write(row);
    return !stopped;
  });
  auto [items, item_bytes] = writer.TakeCounts();
  CountExported(request, items, item_bytes);
  page->items += items;
  Status failed = !status.ok() ? status : writer.status();
  if (!failed.ok() || !stopped) {
    RecordExport(page->ctx, request, page->caller, page->tenant_wide, page->user_id, &page->options,
                 failed.ok() ? 200 : http::HttpStatusOf(failed.code()), page->items);
  }
  if (!failed.ok()) return Fail(request, failed);
  if (stopped) {
    // Paused: the same query from the last row sent, once the client has caught up (the store's
    // read-ahead may already have it).
    page->query.after = writer.last();
    request.stream->Resume([page] { return ContinuePage(page); });
    return http::Response();  // ignored: the rest comes from ContinuePage
  }
  std::string& body = writer.text();
  body += ']';
  if (page->more) {
    odata::CursorPosition last = writer.last();
    last.count = page->count;
    std::string token = page->ctx.cursors.Seal(last, page->binding);
    std::string link = page->base + std::string(request.path()) + "?" + page->options.NextQuery(token);
    body += ",\"@odata.nextLink\":";
    model::AppendJsonString(body, link);
  }
  body += '}';
  page->response.body = std::move(body);
  return std::move(page->response);
}

http::Response Export(Context& ctx, const http::Request& request, const std::string* user_ref) {
  auto principal = Authenticate(ctx, request);
  if (!principal.ok()) return Fail(request, principal.status());
  // A refused export is on record too, with who asked for what.
  const std::string asked_user = user_ref ? *user_ref : "";
  auto refuse = [&](const odata::QueryOptions* o, const Status& why) {
    RecordExport(ctx, request, *principal, user_ref == nullptr, asked_user, o, http::HttpStatusOf(why.code()), 0);
    return Fail(request, why);
  };
  auto options = odata::QueryOptions::Parse(request.query());
  if (!options.ok()) return refuse(nullptr, options.status());
  if (ctx.options.graph_profile == GraphProfile::kStrict) {
    if (auto refusal = StrictExportRefusal(*options)) {
      RecordExport(ctx, request, *principal, user_ref == nullptr, asked_user, &*options, refusal->http_status, 0);
      return http::ErrorResponse(request, refusal->http_status, refusal->code, refusal->message);
    }
  }
  auto scope = user_ref ? ctx.policy.AuthorizeUserExport(*principal, *user_ref)
                        : ctx.policy.AuthorizeTenantExport(*principal);
  if (!scope.ok()) return refuse(&*options, scope.status());
  auto base = BaseUrl(ctx, request);
  if (!base.ok()) return Fail(request, base.status());
  const std::string version = ApiVersion(request);

  auto page = std::make_shared<PageInProgress>(ctx, request, std::move(*options), user_ref == nullptr);
  page->base = std::move(*base);
  page->caller = *principal;
  page->user_id = user_ref ? scope->user_id : "";
  page->binding = odata::CursorBinding{principal->tenant_id, user_ref ? scope->user_id : "*",
                                       page->options.Fingerprint()};
  store::PageQuery& query = page->query;
  query.tenant_id = principal->tenant_id;
  scope->ApplyTo(query);
  query.filter = page->options.filter ? &*page->options.filter : nullptr;
  query.search = page->options.search.get();
  query.ascending = page->options.ascending;
  query.limit = page->options.top + 1;  // one more tells whether there is a next page
  if (page->options.skiptoken) {
    auto position = ctx.cursors.Open(*page->options.skiptoken, page->binding);
    if (!position.ok()) return refuse(&page->options, position.status());
    query.after = std::move(*position);
  }

  std::string& body = page->writer.text();
  body.reserve(std::min<size_t>(static_cast<size_t>(page->options.top) * 1600 + 512, kStreamPartBytes + 64 * 1024));
  body += "{\"@odata.context\":";
  model::AppendJsonString(body, page->base + "/" + version + "/$metadata#Collection(microsoft.graph.aiInteraction)");
  if (page->options.count) {
    // Counted once, on the first page: later pages carry it in their cursor (a count costs the
    // whole result, a page only its rows).
    if (query.after && query.after->count) {
      page->count = *query.after->count;
    } else {
      auto count = ctx.store.interactions().Count(query);
      if (!count.ok()) return refuse(&page->options, count.status());
      page->count = *count;
    }
    body += ",\"@odata.count\":" + std::to_string(*page->count);
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
