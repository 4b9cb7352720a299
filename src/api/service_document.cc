#include "api/service_document.h"

#include "api/request_context.h"
#include "model/interaction_writer.h"

namespace aih::api {
namespace {

// The endpoints of one API version, relative to <base>/<version>.
constexpr const char* kEndpoints[][2] = {
    {"tenantExport", "/copilot/interactionHistory/getAllEnterpriseInteractions"},
    {"userExport", "/copilot/users/{userId}/interactionHistory/getAllEnterpriseInteractions"},
    {"tenantWrite", "/copilot/interactionHistory/interactions"},
    {"userWrite", "/copilot/users/{userId}/interactionHistory/interactions"},
    {"subscriptions", "/subscriptions"},
};

void Member(std::string& out, const char* name, const std::string& value, bool first = false) {
  if (!first) out += ',';
  model::AppendJsonString(out, name);
  out += ':';
  model::AppendJsonString(out, value);
}

std::string Endpoints(const std::string& base, const char* version) {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, path] : kEndpoints) {
    Member(out, name, base + "/" + version + path, first);
    first = false;
  }
  Member(out, "token", base + "/{tenantId}/oauth2/v2.0/token");
  Member(out, "openidConfiguration", base + "/{tenantId}/v2.0/.well-known/openid-configuration");
  Member(out, "health", base + "/health");
  return out + "}";
}

http::Response JsonResponse(std::string body) {
  http::Response response;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

http::Response Root(Context& ctx, const http::Request& request) {
  auto base = BaseUrl(ctx, request);
  if (!base.ok()) return Fail(request, base.status());
  std::string body = "{";
  Member(body, "service", "aihistory", true);
  Member(body, "description",
         "AI interaction history service with a Microsoft Graph compatible Interaction Export API "
         "(getAllEnterpriseInteractions), writes and change notifications");
  body += ",\"versions\":[\"v1.0\",\"beta\"],\"endpoints\":" + Endpoints(*base, "v1.0");
  Member(body, "documentation", "README.md and docs/ of the aihistory sources");
  return JsonResponse(body + "}");
}

http::Response VersionDocument(Context& ctx, const http::Request& request, const char* version) {
  auto base = BaseUrl(ctx, request);
  if (!base.ok()) return Fail(request, base.status());
  std::string body = "{";
  Member(body, "@odata.context", *base + "/" + version + "/$metadata", true);
  body += ",\"value\":[{\"name\":\"copilot\",\"kind\":\"Singleton\",\"url\":\"copilot\"},"
          "{\"name\":\"subscriptions\",\"kind\":\"EntitySet\",\"url\":\"subscriptions\"}]";
  body += ",\"@aihistory.endpoints\":" + Endpoints(*base, version);
  return JsonResponse(body + "}");
}

}  // namespace

void AddServiceDocumentRoutes(http::Router& router, Context& ctx) {
  router.Add("GET", "/", [&ctx](const http::Request& r, const http::PathParams&) { return Root(ctx, r); });
  for (const char* version : {"v1.0", "beta"}) {
    router.Add("GET", std::string("/") + version,
               [&ctx, version](const http::Request& r, const http::PathParams&) {
                 return VersionDocument(ctx, r, version);
               });
  }
}

}  // namespace aih::api
