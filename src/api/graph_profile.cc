#include "api/graph_profile.h"

namespace aih::api {
namespace {

// The OData names Graph's messages give operators ("operationKind 'Equal'").
const char* OperationKind(odata::Op op) {
  switch (op) {
    case odata::Op::kEq: return "Equal";
    case odata::Op::kNe: return "NotEqual";
    case odata::Op::kGt: return "GreaterThan";
    case odata::Op::kGe: return "GreaterThanOrEqual";
    case odata::Op::kLt: return "LessThan";
    case odata::Op::kLe: return "LessThanOrEqual";
  }
  return "Unknown";
}

// Graph filters on appClass (eq) and createdDateTime (a range), the two its reference documents; it
// refuses sessionId eq with this message (observed), and the same rule covers the rest.
bool GraphFilters(const odata::Comparison& c) {
  if (c.property == odata::Property::kAppClass) return c.op == odata::Op::kEq;
  return c.property == odata::Property::kCreatedDateTime;
}

struct Bounds {
  bool any = false, lower = false, upper = false;
};

std::optional<GraphRefusal> Walk(const odata::FilterNode& node, Bounds& bounds) {
  if (node.kind != odata::FilterNode::Kind::kComparison) {
    for (const auto& child : node.children) {
      if (auto refusal = Walk(*child, bounds)) return refusal;
    }
    return std::nullopt;
  }
  const odata::Comparison& c = node.comparison;
  if (!GraphFilters(c)) {
    return GraphRefusal{400, "BadRequest",
                        std::string("The entity property '") + odata::PropertyName(c.property) +
                            "' and operationKind '" + OperationKind(c.op) + "' is not allowed in $filter query."};
  }
  if (c.property == odata::Property::kCreatedDateTime) {
    bounds.any = true;
    if (c.op == odata::Op::kGt || c.op == odata::Op::kGe) bounds.lower = true;
    if (c.op == odata::Op::kLt || c.op == odata::Op::kLe) bounds.upper = true;
  }
  return std::nullopt;
}

}  // namespace

Result<GraphProfile> ParseGraphProfile(std::string_view text) {
  if (text == "permissive") return GraphProfile::kPermissive;
  if (text == "strict") return GraphProfile::kStrict;
  return Status::BadRequest("the Graph profile is 'permissive' or 'strict', not '" + std::string(text) + "'");
}

std::optional<GraphRefusal> StrictExportRefusal(const odata::QueryOptions& options) {
  // $select and $orderby are aihistory's extensions: Graph's reference documents $top and $filter only.
  if (!options.select.empty() || options.orderby_given) {
    return GraphRefusal{400, "BadRequest",
                        std::string("Query option '") + (options.select.empty() ? "$orderby" : "$select") +
                            "' is not allowed. getAllEnterpriseInteractions supports $top and $filter."};
  }
  if (options.search) {  // aihistory's extension too
    return GraphRefusal{400, "BadRequest",
                        "Query option '$search' is not allowed. getAllEnterpriseInteractions supports $top and $filter."};
  }
  if (!options.filter) return std::nullopt;
  Bounds bounds;
  if (auto refusal = Walk(options.filter->root(), bounds)) return refusal;
  // A createdDateTime filter with one bound fails on Graph with a 500 (observed): it needs both.
  if (bounds.any && !(bounds.lower && bounds.upper)) {
    return GraphRefusal{500, "InternalServerError", "Failed to execute request."};
  }
  return std::nullopt;
}

}  // namespace aih::api
