// The eDiscovery view of $search, behind the admin key: where a tenant-wide search's hits are, before
// an investigator exports them (docs/search.md).
//
//   GET /admin/tenants/{t}/search/statistics?$search={KQL}[&$filter={filter}]
//       → 200 {"contentQuery","filter","indexedItemCount","userCount","appClassCount",
//              "users":[{"userId","itemCount"}],"appClasses":[{"appClass","itemCount"}]}
//
// Modelled on Graph's ediscoverySearch (its contentQuery) and the estimate of its statistics
// (indexedItemCount), with the counts per user and per appClass that Purview shows per location.
// It covers everything the tenant stores, as an eDiscovery search does (not an exporter's coverage:
// sources whose export is off and unlicensed users are counted too), and the figures are exactly what
// the tenant-wide export with the same $search and $filter returns for `aihistory export --all
// --search`. $search is required; a malformed $search or $filter is a 400 naming it, an unknown
// tenant a 404. Users and appClasses come most hits first.
//
//   GET /admin/tenants/{t}/search/export?$search={KQL}[&$filter={filter}]
//       → 200 application/x-ndjson: one stored interaction per line, with its owner first in
//         "@aihistory.userId", newest first
//
// Exactly the items the statistics count (what `aihistory export --all --search` writes), read in
// keyset pages of the tenant-wide order and streamed (chunked) as they are read: a client that reads
// slowly pauses the reading, never a worker; nothing holds the whole result. Same parameters and
// errors as the statistics.
#pragma once

#include "api/admin_route.h"
#include "api/service.h"

namespace aih::api {

void AddSearchRoutes(const AddAdminRoute& add, Context& context);

}  // namespace aih::api
