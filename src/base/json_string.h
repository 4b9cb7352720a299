// Writing a JSON string literal: the one escaper every module uses (model's canonical JSON, auth's
// tokens, the log's lines).
#pragma once

#include <string>
#include <string_view>

namespace aih {

// Appends `text` as a JSON string literal (with quotes), escaping as RFC 8259 requires: '"', '\\'
// and control characters (\n, \t, ... or \u00XX); everything else, UTF-8 included, is copied as is.
// `text` should be valid UTF-8 (bytes >= 0x80 are copied unchanged).
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace aih
