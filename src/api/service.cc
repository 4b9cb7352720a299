#include "api/service.h"

#include "api/export_resource.h"
#include "api/ingest_resource.h"

namespace aih::api {

Service::Service(ServiceOptions options, store::Store& store, auth::Authenticator& authenticator,
                 directory::AccessPolicy& policy, odata::CursorSigner cursors)
    : context_{std::move(options), store, authenticator, policy, std::move(cursors)} {
  AddExportRoutes(router_, context_);
  AddIngestRoutes(router_, context_);
}

http::Response Service::Handle(const http::Request& request) const { return router_.Route(request); }

}  // namespace aih::api
