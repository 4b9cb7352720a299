// Service: the whole HTTP API of aihistory behind one Handle() call.
//
// It owns the router and the resources (export, ingest, and the ones later issues add), and the
// wiring between them and the store, the authenticator and the access policy. Handle() is what the
// http::Server calls for every request; tests call it directly.
#pragma once

#include <memory>
#include <string>

#include "auth/authenticator.h"
#include "directory/access_policy.h"
#include "http/message.h"
#include "http/router.h"
#include "model/interaction_reader.h"
#include "odata/cursor.h"
#include "store/store.h"

namespace aih::api {

struct ServiceOptions {
  // Base of absolute links (nextLink, @odata.context), e.g. "https://history.example.com". Empty:
  // the scheme and Host the client called.
  std::string public_url;
  model::ReaderLimits reader_limits;
};

// What every resource needs.
struct Context {
  ServiceOptions options;
  store::Store& store;
  auth::Authenticator& authenticator;
  directory::AccessPolicy& policy;
  odata::CursorSigner cursors;
};

class Service {
 public:
  Service(ServiceOptions options, store::Store& store, auth::Authenticator& authenticator,
          directory::AccessPolicy& policy, odata::CursorSigner cursors);

  http::Response Handle(const http::Request& request) const;

  // Where later resources (token, admin, subscriptions) add their routes.
  http::Router& router() { return router_; }
  Context& context() { return context_; }

 private:
  Context context_;
  http::Router router_;
};

}  // namespace aih::api
