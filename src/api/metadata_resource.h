// $metadata: the OData CSDL document of what aihistory implements (aiInteraction, its complex types
// and enums, aiInteractionHistory, the getAllEnterpriseInteractions function, subscription), served
// at /v1.0/$metadata and /beta/$metadata, where every response's @odata.context points.
//
// Like Graph, it is served without a credential: it describes the API, not anyone's data. The
// document is a constant (built once), so a request costs no store call. It must declare every
// property the writers emit (model/interaction_writer.h, the subscription and history entity
// JSON); tests/api/metadata_api_test.cc derives that check from their real output.
#pragma once

#include <string_view>

#include "http/router.h"

namespace aih::api {

// The CSDL XML document.
std::string_view MetadataDocument();

void AddMetadataRoutes(http::Router& router);

}  // namespace aih::api
