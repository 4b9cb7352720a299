// Writing a JSON string literal (an internal header of src/auth).
//
// Tokens and JWKS documents are small and fixed in shape, so they are written by hand; this is the
// one place that escapes the strings in them. Text is expected to be UTF-8 and passes through as is;
// quotes, backslashes and control characters are escaped as RFC 8259 requires.
#pragma once

#include <string>
#include <string_view>

namespace aih::auth::internal {

// Appends `text` to `out` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace aih::auth::internal
