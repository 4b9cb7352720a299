// Percent-encoding of query strings (RFC 3986), as used by the query options and the nextLink.
//
// Decoding is strict: a malformed escape (`%zz`, a truncated `%4`) and bytes that do not decode to
// valid UTF-8 are refused with kBadRequest, so everything downstream sees well-formed text. Encoding
// leaves only the unreserved characters raw, so a link built from its output has no '{' '}' '+',
// spaces or quotes that a client could expand, mangle or form-decode.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::odata {

// Percent-decodes `text`; when `plus_is_space`, '+' becomes ' '. Fails on a malformed escape or when
// the decoded bytes are not valid UTF-8. The message locates the fault (a 1-based position in the
// encoded text, where the bad escape is visible); callers prefix the parameter's name.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Percent-encodes everything except unreserved characters (A-Z a-z 0-9 - . _ ~), in uppercase hex.
std::string PercentEncode(std::string_view text);

}  // namespace aih::odata
