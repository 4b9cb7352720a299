// UTF-8: where text that came from outside stops being well-formed UTF-8, and that text made
// well-formed. Well-formed is Unicode's definition (table 3-7): no stray continuation bytes, no
// truncated or overlong sequences, no surrogates, nothing above U+10FFFF. Pure functions, any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace aih {

// The byte offset of the first byte that does not start a well-formed sequence, or
// std::string_view::npos if all of `text` is well-formed.
size_t FindInvalidUtf8(std::string_view text);

// `bytes` with every ill-formed sequence replaced by U+FFFD, one per maximal ill-formed prefix, as the
// WHATWG decoder does; well-formed text comes back unchanged. For echoing a client's bytes in JSON.
std::string ValidUtf8(std::string_view bytes);

}  // namespace aih
