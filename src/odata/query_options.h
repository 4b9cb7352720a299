// QueryOptions: the OData system query options of getAllEnterpriseInteractions (section 3).
//
// Parse() takes the raw query string of the request (after '?', still percent-encoded) and returns
// the validated options, or kBadRequest naming the option and what was wrong:
//   $top      integer 1..1000 (default 100; above 1000, however many digits, capped at 1000;
//             not an integer or < 1: 400)
//   $filter   Filter grammar ('+' decodes as a space in every option's value, as form encoding sends it)
//   $skiptoken opaque cursor text, checked later by CursorSigner::Open ($skipToken also accepted)
//   $select   comma-separated top-level property names (extension); spaces around names allowed,
//             duplicates collapsed, '*' means all
//   $orderby  "createdDateTime desc" (the default when absent) or "createdDateTime asc"; a bare
//             "createdDateTime" is ascending, as OData defines
//   $count    true|false (any case)
//   $search   Search grammar (search.h): KQL words, "phrases", AND/OR/NOT, prefix*, restrictions
//   $skip, $expand, $format, $levels, $apply, $compute, $deltatoken: refused as not
//   supported, saying what to do instead; model=...: accepted and ignored.
// Names may arrive literal ($top) or encoded (%24top); $-option names are matched ignoring case.
// Unknown non-$ parameters are ignored like Graph does (their values are not even decoded); unknown
// $-options are refused. A repeated option ($top twice, or $top and $TOP) is refused.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "odata/filter.h"
#include "odata/percent_encoding.h"
#include "odata/search.h"

namespace aih::odata {

struct QueryOptions {
  static constexpr int kDefaultTop = 100;
  static constexpr int kMaxTop = 1000;

  int top = kDefaultTop;
  std::optional<Filter> filter;
  std::string filter_text;               // as received, decoded: for building the nextLink
  std::shared_ptr<const Search> search;  // $search, if given (shared: a Search is not copyable)
  std::string search_text;               // as received, decoded: for building the nextLink
  std::vector<std::string> select;       // empty: all properties
  bool ascending = false;                // $orderby createdDateTime asc
  bool orderby_given = false;
  bool count = false;
  std::optional<std::string> skiptoken;  // decoded

  static Result<QueryOptions> Parse(std::string_view raw_query);

  // The part of the query that a cursor is bound to: the filter's Canonical() form, select, the
  // search's canonical tree and the direction (not top, count or the token), so a token keeps working across pages whatever the page
  // size, and stops working if the client changes what it asks for.
  std::string Fingerprint() const;

  // The query string of the next page: $filter and $search (as received), $top (always: the effective page
  // size, so the next page does not depend on a server default), $select, $orderby, $count as given,
  // then $skiptoken=<token>. Names carry a literal '$'; values are percent-encoded so the link has no
  // raw '{' '}' '+' or spaces. Parse(NextQuery(t)) gives the same options with skiptoken t.
  std::string NextQuery(std::string_view skiptoken) const;
};

}  // namespace aih::odata
