// GraphProfile: how closely the export API holds to what Microsoft Graph itself accepts.
//
// aihistory accepts a superset of Graph's requests by default (permissive): more $filter properties
// and operators, one createdDateTime bound, $select and $orderby. A developer whose tool will run
// against Graph turns on the strict profile (`serve --graph-profile strict`): every request Graph is
// known to refuse is refused as Graph refuses it, with Graph's status, code and message, so the
// tool fails here rather than later on Graph. Each refusal, and where Graph's behaviour is recorded,
// is listed in docs/graph-profile.md. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "odata/query_options.h"

namespace aih::api {

enum class GraphProfile { kPermissive, kStrict };

// "permissive" or "strict"; kBadRequest naming both otherwise.
Result<GraphProfile> ParseGraphProfile(std::string_view text);

// A refusal as Graph writes it.
struct GraphRefusal {
  int http_status = 400;
  std::string code;     // BadRequest, InternalServerError
  std::string message;  // Graph's text
};

// What Graph answers instead of a page for these query options of getAllEnterpriseInteractions, or
// nullopt when Graph serves them.
std::optional<GraphRefusal> StrictExportRefusal(const odata::QueryOptions& options);

}  // namespace aih::api
