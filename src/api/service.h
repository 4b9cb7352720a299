// Service: the whole HTTP API of aihistory behind one Handle() call.
//
// It owns the router and the resources (export, ingest, and the ones later issues add), and the
// wiring between them and the store, the authenticator and the access policy. Handle() is what the
// http::Server calls for every request; tests call it directly.
#pragma once

#include <memory>
#include <string>

#include "api/graph_profile.h"
#include "api/throttle.h"
#include "auth/authenticator.h"
#include "policy/access_policy.h"
#include "http/message.h"
#include "http/router.h"
#include "model/interaction_reader.h"
#include "base/clock.h"
#include "notify/notification_options.h"
#include "odata/cursor.h"
#include "store/audit_trail.h"
#include "store/store.h"

namespace aih::auth {
class TokenIssuer;  // auth/token_issuer.h
}

namespace aih::api {

class ReadinessProbe;  // api/health_resource.h
class StoreSizeGauge;  // api/metrics_resource.h

struct ServiceOptions {
  // Base of absolute links (nextLink, @odata.context), e.g. "https://history.example.com". Empty:
  // the scheme and Host the client called.
  std::string public_url;
  model::ReaderLimits reader_limits;
  // The admin API's credential (admin_resource.h). Empty: LoadAdminKey(store) (the store's own key).
  std::string admin_key;
  // Requests per (tenant, app) on every authenticated route (throttle.h); validated by the caller.
  ThrottleOptions throttle;
  // Change notifications: the /subscriptions rules and the receivers' HTTP client (subscriptions_resource.h).
  notify::NotificationOptions notifications;
  // permissive (a superset of Graph) or strict (refuse what Graph refuses, as Graph does; graph_profile.h).
  GraphProfile graph_profile = GraphProfile::kPermissive;
  // Non-empty: GET /metrics on this service, for this bearer token only (metrics_resource.h). Empty:
  // no /metrics here (serve may give it a listener of its own).
  std::string metrics_token;
  // OTLP ingest (otlp_resource.h): a GenAI call whose content was not captured is recorded with empty
  // bodies (true) or only counted (false).
  bool otlp_record_contentless = false;
  // The audit log: how reads are queued, its retention (store/audit_trail.h).
  store::AuditTrailOptions audit;
};

// What every resource needs.
struct Context {
  ServiceOptions options;
  store::Store& store;
  auth::Authenticator& authenticator;
  policy::AccessPolicy& policy;
  odata::CursorSigner cursors;
  Throttle throttle;
  // Where reads, exports and changes are recorded (store/audit_trail.h); set by the Service.
  store::AuditTrail* audit = nullptr;
};

class Service {
 public:
  // `token_issuer`, when given, serves the token endpoint and discovery (token_resource.h).
  Service(ServiceOptions options, store::Store& store, auth::Authenticator& authenticator,
          policy::AccessPolicy& policy, odata::CursorSigner cursors, auth::TokenIssuer* token_issuer = nullptr);
  ~Service();

  http::Response Handle(const http::Request& request) const;

  // Where later resources (token, admin, subscriptions) add their routes.
  http::Router& router() { return router_; }
  Context& context() { return context_; }

 private:
  Context context_;
  http::Router router_;
  SystemClock clock_;
  std::unique_ptr<store::AuditTrail> audit_;  // before the routes that record into it
  std::unique_ptr<ReadinessProbe> readiness_;  // /health/ready: bounded store checks
  std::unique_ptr<StoreSizeGauge> store_size_;  // aihistory_store_size_bytes
};

}  // namespace aih::api
