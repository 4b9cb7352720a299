#include "api/service.h"

#include "base/refusals.h"
#include "http/graph_error.h"

#include "api/admin_resource.h"
#include "api/export_resource.h"
#include "api/health_resource.h"
#include "api/ingest_resource.h"
#include "api/service_document.h"
#include "api/metadata_resource.h"
#include "api/metrics_resource.h"
#include "api/otlp_resource.h"
#include "api/subscriptions_resource.h"
#include "api/token_resource.h"

namespace aih::api {

Service::Service(ServiceOptions options, store::Store& store, auth::Authenticator& authenticator,
                 policy::AccessPolicy& policy, odata::CursorSigner cursors, auth::TokenIssuer* token_issuer)
    : context_{options, store, authenticator, policy, std::move(cursors), Throttle(options.throttle), nullptr} {
  audit_ = std::make_unique<store::AuditTrail>(store.audit(), clock_, options.audit);
  context_.audit = audit_.get();
  AddExportRoutes(router_, context_);
  AddIngestRoutes(router_, context_);
  AddOtlpRoutes(router_, context_);
  AddAdminRoutes(router_, context_);
  AddSubscriptionRoutes(router_, context_);
  AddServiceDocumentRoutes(router_, context_);
  if (token_issuer) AddTokenRoutes(router_, context_, *token_issuer);
  readiness_ = std::make_unique<ReadinessProbe>(store, clock_);
  AddHealthRoutes(router_, store, *readiness_);
  AddMetadataRoutes(router_);
  if (!options.metrics_token.empty()) AddMetricsRoute(router_, options.metrics_token);
  store_size_ = std::make_unique<StoreSizeGauge>(store);
  DeclareRefusals();
}

Service::~Service() = default;

http::Response Service::Handle(const http::Request& request) const {
  http::Response response = router_.Route(request);
  // Storage full (507): the store knows how long it has been refusing writes, so it sets the delay.
  if (response.status == 507) {
    CountRefusal("storage_full");
    std::erase_if(response.headers, [](const auto& header) { return header.first == "Retry-After"; });
    response.SetHeader("Retry-After", std::to_string(context_.store.storage().retry_after_seconds()));
  }
  return response;
}

}  // namespace aih::api
