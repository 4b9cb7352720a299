#include "api/service.h"

#include "http/graph_error.h"

#include "api/admin_resource.h"
#include "api/export_resource.h"
#include "api/ingest_resource.h"
#include "api/service_document.h"
#include "api/subscriptions_resource.h"
#include "api/token_resource.h"

namespace aih::api {

Service::Service(ServiceOptions options, store::Store& store, auth::Authenticator& authenticator,
                 directory::AccessPolicy& policy, odata::CursorSigner cursors, auth::TokenIssuer* token_issuer)
    : context_{options, store, authenticator, policy, std::move(cursors), Throttle(options.throttle)} {
  AddExportRoutes(router_, context_);
  AddIngestRoutes(router_, context_);
  AddAdminRoutes(router_, context_);
  AddSubscriptionRoutes(router_, context_);
  AddServiceDocumentRoutes(router_, context_);
  if (token_issuer) AddTokenRoutes(router_, context_, *token_issuer);
  // Liveness and readiness for load balancers and scripts: no credential, reads the store. A store
  // whose storage is full still serves reads but takes no write: not ready (503), and it says why.
  router_.Add("GET", "/health", [this](const http::Request& r, const http::PathParams&) {
    auto version = context_.store.SchemaVersion();
    if (!version.ok()) return http::ErrorResponse(r, version.status(), 5);
    const bool full = context_.store.storage().full();
    http::Response health;
    health.status = full ? 503 : 200;
    health.content_type = "application/json";
    health.body = std::string("{\"status\":\"") + (full ? "degraded" : "ok") + "\",\"storage\":\"" +
                  (full ? "full" : "ok") + "\",\"schemaVersion\":" + std::to_string(*version) + "}";
    if (full) health.SetHeader("Retry-After", std::to_string(context_.store.storage().retry_after_seconds()));
    return health;
  });
}

http::Response Service::Handle(const http::Request& request) const {
  http::Response response = router_.Route(request);
  // Storage full (507): the store knows how long it has been refusing writes, so it sets the delay.
  if (response.status == 507) {
    std::erase_if(response.headers, [](const auto& header) { return header.first == "Retry-After"; });
    response.SetHeader("Retry-After", std::to_string(context_.store.storage().retry_after_seconds()));
  }
  return response;
}

}  // namespace aih::api
