#include "api/search_resource.h"

#include <memory>

#include "api/audit_record.h"
#include "api/export_manifest.h"
#include "api/page_writer.h"
#include "api/request_context.h"
#include "directory/identifiers.h"
#include "directory/tenants.h"
#include "http/graph_error.h"
#include "model/interaction_writer.h"
#include "odata/filter.h"
#include "odata/search.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

void AppendBuckets(std::string& out, const char* key_name, const std::vector<store::SearchFacets::Bucket>& buckets) {
  out += "[";
  for (size_t i = 0; i < buckets.size(); ++i) {
    out += i ? ",{\"" : "{\"";
    out += key_name;
    out += "\":";
    AppendJsonString(out, buckets[i].key);
    out += ",\"itemCount\":" + std::to_string(buckets[i].count) + "}";
  }
  out += "]";
}

// What both routes ask: the tenant, the search and its optional filter, each checked.
struct SearchRequest {
  std::string tenant;
  std::string query_text, filter_text;
  std::optional<odata::Search> search;
  std::optional<odata::Filter> filter;
};

Result<std::unique_ptr<SearchRequest>> ParseSearchRequest(Context& ctx, const http::Request& r,
                                                          const http::PathParams& p, const char* purpose) {
  auto out = std::make_unique<SearchRequest>();
  auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
  if (!tenant.ok()) return tenant.status();
  out->tenant = std::move(*tenant);
  auto query_text = QueryParam(r, "$search");
  if (!query_text.ok()) return query_text.status().WithContext("$search");
  out->query_text = std::move(*query_text);
  auto filter_text = QueryParam(r, "$filter");
  if (!filter_text.ok()) return filter_text.status().WithContext("$filter");
  out->filter_text = std::move(*filter_text);
  if (out->query_text.empty()) {
    return Status::BadRequest(std::string("$search is required: the KQL query whose hits to ") + purpose +
                              " (docs/search.md)");
  }
  auto search = odata::Search::Parse(out->query_text);
  if (!search.ok()) return search.status();
  out->search = std::move(*search);
  if (!out->filter_text.empty()) {
    auto parsed = odata::Filter::Parse(out->filter_text);
    if (!parsed.ok()) return parsed.status().WithContext("$filter");
    out->filter = std::move(*parsed);
  }
  AIH_RETURN_IF_ERROR(directory::RequireTenant(ctx.store.directory(), out->tenant));
  return out;
}

// The audit entry of an eDiscovery read (store/audit_trail.h: queued, as every read), before its
// outcome and count are known: what was asked, by the admin key. Null when the trail is off.
std::unique_ptr<store::AuditEntry> SearchAuditEntry(Context& ctx, const http::Request& r, const http::PathParams& p,
                                                    const char* action,
                                                    const Result<std::unique_ptr<SearchRequest>>& asked) {
  if (ctx.audit == nullptr || !ctx.audit->enabled()) return nullptr;
  auto e = std::make_unique<store::AuditEntry>(
      RequestAuditEntry(r, action, asked.ok() ? (*asked)->tenant : p.at("tenant"), 200));
  SetAdminKeyActor(*e);
  if (asked.ok()) {
    e->details = "{\"search\":";
    AppendJsonString(e->details, (*asked)->query_text);
    e->details += ",\"filter\":";
    AppendJsonString(e->details, (*asked)->filter_text);
    e->details += '}';
  }
  return e;
}

void RecordSearchRead(Context& ctx, std::unique_ptr<store::AuditEntry> e, const Status& outcome, int64_t items) {
  if (!e) return;
  e->status = outcome.ok() ? e->status : http::HttpStatusOf(outcome.code());
  e->success = e->status < 400;
  e->count = items;
  ctx.audit->Record(std::move(*e));
}

// The request checked and its audit entry made (`*audit`, to record once the outcome is known); a
// refused request is on record as refused.
Result<std::unique_ptr<SearchRequest>> ParseAudited(Context& ctx, const http::Request& r, const http::PathParams& p,
                                                    const char* purpose, const char* action,
                                                    std::unique_ptr<store::AuditEntry>* audit) {
  auto asked = ParseSearchRequest(ctx, r, p, purpose);
  *audit = SearchAuditEntry(ctx, r, p, action, asked);
  if (!asked.ok()) RecordSearchRead(ctx, std::move(*audit), asked.status(), 0);
  return asked;
}

Result<AdminReply> SearchStatistics(Context& ctx, const http::Request& r, const http::PathParams& p) {
  std::unique_ptr<store::AuditEntry> audit;
  auto asked = ParseAudited(ctx, r, p, "count", "interactions.searchStatistics", &audit);
  if (!asked.ok()) return asked.status();
  const SearchRequest& a = **asked;
  store::PageQuery query;
  query.tenant_id = a.tenant;
  query.search = &*a.search;
  query.filter = a.filter ? &*a.filter : nullptr;
  auto facets = ctx.store.interactions().Facets(query);
  RecordSearchRead(ctx, std::move(audit), facets.status(), facets.ok() ? facets->total : 0);
  if (!facets.ok()) return facets.status();
  std::string out = "{\"contentQuery\":";
  AppendJsonString(out, a.query_text);
  out += ",\"filter\":";
  AppendJsonString(out, a.filter_text);
  out += ",\"indexedItemCount\":" + std::to_string(facets->total);
  out += ",\"userCount\":" + std::to_string(facets->users.size());
  out += ",\"appClassCount\":" + std::to_string(facets->app_classes.size());
  out += ",\"users\":";
  AppendBuckets(out, "userId", facets->users);
  out += ",\"appClasses\":";
  AppendBuckets(out, "appClass", facets->app_classes);
  out += "}";
  return AdminReply{200, std::move(out)};
}

constexpr const char* kNdjson = "application/x-ndjson";
// Rows read from the store per turn: a keyset page of the tenant-wide order.
constexpr int kExportRowsPerRead = 1000;
// The text offered to the connection at a time (about 1.5 KB an item).
constexpr size_t kExportPartBytes = 256 * 1024;

// The response as the sink of the search export's lines: once it holds a part's worth, it goes out
// in chunks (http::ResponseStream). Without a stream (HTTP/1.0; handlers called directly) everything
// is one body.
class SearchExportSink final : public PageSink {
 public:
  SearchExportSink(const http::Request& request, const http::Response& head) : request_(request), head_(head) {}
  bool Offer(std::string& text) override {
    if (!request_.stream || !request_.stream->can_stream()) return true;
    if (!request_.stream->begun()) request_.stream->Begin(head_);
    std::string part;
    part.swap(text);
    return request_.stream->Write(std::move(part));  // false: the client has enough in hand (or is gone)
  }

 private:
  const http::Request& request_;
  const http::Response& head_;
};

// A search export on its way to the client: read in keyset pages of the tenant-wide order, written as
// NDJSON lines; when the client does not take them as fast as they are read, it stops reading and
// continues from its last line once the client has caught up (no worker waits, and at most the
// server's stream buffer of it is held).
struct SearchExportInProgress {
  SearchExportInProgress(Context& c, const http::Request& r, std::unique_ptr<SearchRequest> a,
                         std::unique_ptr<store::AuditEntry> audit_entry)
      : ctx(c), request(r), asked(std::move(a)), audit(std::move(audit_entry)), sink(r, head),
        writer(PageLayout{nullptr, /*annotate_user=*/true, "", "\n", kExportPartBytes}, sink) {
    head.content_type = kNdjson;
  }
  // The export is on record however it ends: sent whole, failed, or left by its client (then the
  // last turn's continuation is dropped with the stream, and the count is what was sent).
  ~SearchExportInProgress() { RecordSearchRead(ctx, std::move(audit), outcome, writer.written()); }
  Context& ctx;
  const http::Request& request;  // valid until the response ends (http::ResponseStream)
  std::unique_ptr<SearchRequest> asked;
  std::unique_ptr<store::AuditEntry> audit;  // recorded when the export ends (null: the trail is off)
  Status outcome;  // ok unless a read failed
  store::PageQuery query;
  http::Response head;  // its body is the export's last part
  SearchExportSink sink;
  PageWriter writer;
};

http::Response ContinueSearchExport(const std::shared_ptr<SearchExportInProgress>& e) {
  PageWriter& writer = e->writer;
  for (;;) {
    const int before = writer.written();
    bool paused = false;
    Status status = e->ctx.store.interactions().Page(e->query, [&](const store::PageRow& row) {
      paused = !writer.Write(row);
      return !paused;
    });
    if (status.ok()) status = writer.status();
    const auto [items, bytes] = writer.TakeCounts();
    e->request.facts.AddItems(items, bytes);
    if (!status.ok()) {
      e->outcome = status;
      return Fail(e->request, status);  // after the head: the server cuts the response
    }
    const int rows = writer.written() - before;
    if (rows > 0) e->query.after = writer.last();
    if (paused) {
      e->request.stream->Resume([e] { return ContinueSearchExport(e); });
      return http::Response();  // ignored: the rest comes from the next turn
    }
    if (rows < e->query.limit) break;
  }
  http::Response end = e->head;
  end.body = std::move(writer.text());
  return end;
}

// GET .../search/export: every item the search finds, as NDJSON, in the tenant-wide export's order.
Result<AdminReply> SearchExport(Context& ctx, const http::Request& r, const http::PathParams& p) {
  std::unique_ptr<store::AuditEntry> audit;
  auto asked = ParseAudited(ctx, r, p, "export", "interactions.searchExport", &audit);
  if (!asked.ok()) return asked.status();
  auto scope = ExportQuery(ctx.store, (*asked)->tenant, "", /*all=*/true);
  if (!scope.ok()) {
    RecordSearchRead(ctx, std::move(audit), scope.status(), 0);
    return scope.status();
  }
  auto e = std::make_shared<SearchExportInProgress>(ctx, r, std::move(*asked), std::move(audit));
  e->query = std::move(*scope);
  e->query.search = &*e->asked->search;
  e->query.filter = e->asked->filter ? &*e->asked->filter : nullptr;
  e->query.limit = kExportRowsPerRead;
  http::Response response = ContinueSearchExport(e);
  AdminReply reply(response.status, std::move(response.body));
  reply.content_type = response.content_type;
  return reply;
}

}  // namespace

void AddSearchRoutes(const AddAdminRoute& add, Context& context) {
  Context* c = &context;
  add("GET", "/admin/tenants/{tenant}/search/statistics",
      [c](const http::Request& r, const http::PathParams& p) { return SearchStatistics(*c, r, p); });
  add("GET", "/admin/tenants/{tenant}/search/export",
      [c](const http::Request& r, const http::PathParams& p) { return SearchExport(*c, r, p); });
}

}  // namespace aih::api
