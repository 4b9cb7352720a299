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
  // Liveness and readiness for load balancers and scripts: no credential, reads the store.
  router_.Add("GET", "/health", [this](const http::Request& r, const http::PathParams&) {
    auto version = context_.store.SchemaVersion();
    if (!version.ok()) return http::ErrorResponse(r, version.status(), 5);
    http::Response ok;
    ok.content_type = "application/json";
    ok.body = "{\"status\":\"ok\",\"schemaVersion\":" + std::to_string(*version) + "}";
    return ok;
  });
}

http::Response Service::Handle(const http::Request& request) const { return router_.Route(request); }

}  // namespace aih::api
