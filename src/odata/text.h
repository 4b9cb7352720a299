// Text helpers shared by the odata parsers: UTF-8 validation and the way a piece of user input is
// located and quoted in an error message.
//
// Every odata error names the offending token and its 1-based *character* position (what a person
// counts in their editor), so positions are counted in code points, not bytes. Quoted excerpts are cut
// at a code point boundary, so an error message is always valid UTF-8 however long the input was.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/utf8.h"

namespace aih::odata {

// UTF-8 validation is base's (base/utf8.h), named here for the parsers' callers.
using aih::FindInvalidUtf8;

// The 1-based character position of the byte at `byte_offset` in valid UTF-8 `text`; one past the last
// character when `byte_offset == text.size()` (where "the end of the filter" is reported).
size_t CharPosition(std::string_view text, size_t byte_offset);

// `text` cut to at most `max_chars` characters, with "..." appended when it was cut.
std::string Excerpt(std::string_view text, size_t max_chars = 64);

}  // namespace aih::odata
