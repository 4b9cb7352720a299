// QueryOptions: the OData system query options of getAllEnterpriseInteractions (section 3).
//
// Parse() takes the raw query string of the request (after '?', still percent-encoded) and returns
// the validated options, or kBadRequest naming the option and what was wrong:
//   $top      integer 1..1000 (default 100; above 1000 capped at 1000; not an integer or < 1: 400)
//   $filter   Filter grammar ('+' decoded as space in this value only)
//   $skiptoken opaque cursor text, checked later by Cursor::Open
//   $select   comma-separated top-level property names (extension)
//   $orderby  "createdDateTime desc" (default) or "createdDateTime asc"
//   $count    true|false
//   $search, $skip, $expand: refused as not supported; model=...: accepted and ignored.
// Names may arrive literal ($top) or encoded (%24top); unknown non-$ parameters are ignored like
// Graph does, unknown $-options are refused. A repeated option is refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "odata/filter.h"

namespace aih::odata {

struct QueryOptions {
  static constexpr int kDefaultTop = 100;
  static constexpr int kMaxTop = 1000;

  int top = kDefaultTop;
  std::optional<Filter> filter;
  std::string filter_text;               // as received, decoded: for building the nextLink
  std::vector<std::string> select;       // empty: all properties
  bool ascending = false;                // $orderby createdDateTime asc
  bool orderby_given = false;
  bool count = false;
  std::optional<std::string> skiptoken;  // decoded

  static Result<QueryOptions> Parse(std::string_view raw_query);

  // The part of the query that a cursor is bound to: filter, select, orderby (not top, not the token).
  std::string Fingerprint() const;

  // The query string of the next page: $filter, $top, $select, $orderby, $count as given, plus
  // $skiptoken=<token>. Values are percent-encoded so the link has no raw '{' '}' '+' or spaces.
  std::string NextQuery(std::string_view skiptoken) const;
};

// Percent-decodes `text`; when `plus_is_space`, '+' becomes ' '. Fails on a malformed escape.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);
// Percent-encodes everything except unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string PercentEncode(std::string_view text);

}  // namespace aih::odata
