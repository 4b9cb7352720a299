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

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or values beyond Unicode).
inline bool IsUtf8(std::string_view text) { return FindInvalidUtf8(text) == std::string_view::npos; }

// Whether `text` holds a control character: C0 (below U+0020), DEL, or C1 (U+0080..U+009F).
bool HasControlCharacter(std::string_view text);

// `text` as it may be quoted in a message: itself when it is short printable UTF-8, otherwise a
// placeholder, so that an error never echoes control bytes or invalid UTF-8 back to a client.
std::string Printable(std::string_view text);

}  // namespace aih
