// The Interaction Export API: getAllEnterpriseInteractions (per user and tenant-wide) and the
// interactionHistory entity (sections 1, 3 and 4 of the contract).
//
// A page is the stored canonical JSON of each item spliced between `[` `,` `]` (DESIGN decision 1);
// only $select re-serialises. Paging is by signed keyset cursor: the nextLink carries the last item
// returned, so writes during paging never shift what a client has already started reading.
#pragma once

#include "api/service.h"

namespace aih::api {

void AddExportRoutes(http::Router& router, Context& context);

}  // namespace aih::api
