#include "api/audit_resource.h"

#include "api/audit_record.h"
#include "api/request_context.h"
#include "directory/identifiers.h"
#include "model/interaction_writer.h"
#include "model/timestamp.h"
#include "odata/audit_filter.h"
#include "odata/percent_encoding.h"

namespace aih::api {
namespace {

using model::AppendJsonString;

constexpr int kDefaultAuditTop = 100;
constexpr int kMaxAuditTop = 1000;

// A query option by its name, sent as "$name" or percent-encoded "%24name".
Result<std::string> Option(const http::Request& r, const std::string& name) {
  auto plain = QueryParam(r, "$" + name);
  if (!plain.ok() || !plain->empty()) return plain;
  return QueryParam(r, "%24" + name);
}

Result<AdminReply> ListAudit(Context& ctx, const http::Request& r, const std::string& tenant) {
  auto filter_text = Option(r, "filter");
  if (!filter_text.ok()) return filter_text.status();
  auto filter = odata::AuditFilter::Parse(*filter_text);
  if (!filter.ok()) return filter.status();
  auto top_text = Option(r, "top");
  if (!top_text.ok()) return top_text.status();
  int top = kDefaultAuditTop;
  if (!top_text->empty()) {
    size_t used = 0;
    try {
      top = std::stoi(*top_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != top_text->size() || top < 1 || top > kMaxAuditTop) {
      return Status::BadRequest("$top must be a whole number from 1 to " + std::to_string(kMaxAuditTop));
    }
  }
  store::AuditQuery query;
  query.tenant_id = tenant;
  query.filter = *filter;
  query.limit = top + 1;
  const odata::CursorBinding binding{tenant.empty() ? "*" : tenant, "audit", filter->Fingerprint()};
  auto skiptoken = Option(r, "skiptoken");
  if (!skiptoken.ok()) return skiptoken.status();
  if (!skiptoken->empty()) {
    auto position = ctx.cursors.Open(*skiptoken, binding);
    if (!position.ok()) return position.status();
    query.after_seq = position->ticks;
  }
  auto base = BaseUrl(ctx, r);
  if (!base.ok()) return base.status();

  const bool ndjson = r.Header("accept").find("application/x-ndjson") != std::string_view::npos;
  AdminReply reply;
  reply.body = ndjson ? "" : "{\"value\":[";
  int shown = 0;
  int64_t last_seq = 0;
  bool more = false;
  AIH_RETURN_IF_ERROR(ctx.store.audit().Page(query, [&](const store::AuditEntry& e) {
    if (shown == top) {
      more = true;
      return false;
    }
    if (!ndjson && shown > 0) reply.body += ',';
    AppendAuditEntryJson(reply.body, e);
    if (ndjson) reply.body += '\n';
    ++shown;
    last_seq = e.seq;
    return true;
  }));
  std::string next;
  if (more) {
    next = *base + std::string(r.path()) + "?$top=" + std::to_string(top);
    if (!filter_text->empty()) next += "&$filter=" + odata::PercentEncode(*filter_text);
    next += "&$skiptoken=" + odata::PercentEncode(ctx.cursors.Seal(odata::CursorPosition{last_seq, "", ""}, binding));
  }
  if (ndjson) {
    reply.content_type = "application/x-ndjson";
    if (more) reply.headers.emplace_back("Link", "<" + next + ">; rel=\"next\"");
  } else {
    reply.body += ']';
    if (more) {
      reply.body += ",\"@odata.nextLink\":";
      AppendJsonString(reply.body, next);
    }
    reply.body += '}';
  }
  // Who read the audit log is on record too (queued, as every read).
  if (ctx.audit) {
    store::AuditEntry e = RequestAuditEntry(r, "auditLog.read", tenant, 200);
    SetAdminKeyActor(e);
    e.count = shown;
    e.details = "{\"filter\":";
    AppendJsonString(e.details, *filter_text);
    e.details += ",\"format\":";
    e.details += ndjson ? "\"ndjson\"}" : "\"json\"}";
    ctx.audit->Record(std::move(e));
  }
  return reply;
}

}  // namespace

void AddAuditRoutes(const AddAdminRoute& add, Context& ctx) {
  Context* c = &ctx;
  add("GET", "/admin/audit", [c](const http::Request& r, const http::PathParams&) { return ListAudit(*c, r, ""); });
  add("GET", "/admin/tenants/{tenant}/audit", [c](const http::Request& r, const http::PathParams& p) -> Result<AdminReply> {
    auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
    if (!tenant.ok()) return tenant.status();
    return ListAudit(*c, r, *tenant);
  });
}

}  // namespace aih::api
