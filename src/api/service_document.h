// The service documents: what `GET /` and `GET /v1.0` (and `/beta`) answer, instead of a 404, so that
// someone who points a browser or curl at the service learns what it is and where to go next. No
// credential is needed and nothing about any tenant is said.
//
//   GET /       {"service":"aihistory","description":…,"versions":["v1.0","beta"],"endpoints":{…},"documentation":…}
//   GET /v1.0   an OData service document as Graph's: {"@odata.context":…,"value":[{"name","kind","url"}…]},
//               listing what this service implements, plus "@aihistory.endpoints" with the full paths.
// Absolute links use the base URL of the request (api/request_context.h BaseUrl).
#pragma once

#include "api/service.h"
#include "http/router.h"

namespace aih::api {

void AddServiceDocumentRoutes(http::Router& router, Context& context);

}  // namespace aih::api
