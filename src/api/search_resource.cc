#include "api/search_resource.h"

#include "directory/identifiers.h"
#include "directory/tenants.h"
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

Result<AdminReply> SearchStatistics(Context& ctx, const http::Request& r, const http::PathParams& p) {
  auto tenant = directory::CanonicalGuid(p.at("tenant"), "tenant id");
  if (!tenant.ok()) return tenant.status();
  auto query_text = QueryParam(r, "$search");
  if (!query_text.ok()) return query_text.status().WithContext("$search");
  auto filter_text = QueryParam(r, "$filter");
  if (!filter_text.ok()) return filter_text.status().WithContext("$filter");
  if (query_text->empty()) {
    return Status::BadRequest("$search is required: the KQL query whose hits to count (docs/search.md)");
  }
  auto search = odata::Search::Parse(*query_text);
  if (!search.ok()) return search.status();
  std::optional<odata::Filter> filter;
  if (!filter_text->empty()) {
    auto parsed = odata::Filter::Parse(*filter_text);
    if (!parsed.ok()) return parsed.status().WithContext("$filter");
    filter = std::move(*parsed);
  }
  AIH_RETURN_IF_ERROR(directory::RequireTenant(ctx.store.directory(), *tenant));
  store::PageQuery query;
  query.tenant_id = *tenant;
  query.search = &*search;
  query.filter = filter ? &*filter : nullptr;
  auto facets = ctx.store.interactions().Facets(query);
  if (!facets.ok()) return facets.status();
  std::string out = "{\"contentQuery\":";
  AppendJsonString(out, *query_text);
  out += ",\"filter\":";
  AppendJsonString(out, *filter_text);
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

}  // namespace

void AddSearchRoutes(const AddAdminRoute& add, Context& context) {
  Context* c = &context;
  add("GET", "/admin/tenants/{tenant}/search/statistics",
      [c](const http::Request& r, const http::PathParams& p) { return SearchStatistics(*c, r, p); });
}

}  // namespace aih::api
