// ValidUtf8: text that came from a client, made safe to put into a JSON body or a header we send.
//
// Header values and path segments are bytes; an error body that echoes them must still be valid
// JSON, which is UTF-8. Every ill-formed sequence (a stray continuation byte, a truncated or
// overlong sequence, a surrogate, a code point above U+10FFFF) becomes U+FFFD, as the WHATWG
// decoder does; well-formed text comes back unchanged. Pure function, any thread.
#pragma once

#include <string>
#include <string_view>

namespace aih::http {

std::string ValidUtf8(std::string_view bytes);

}  // namespace aih::http
