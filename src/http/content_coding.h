// Content codings of request bodies: gzip, which OTLP exporters (and other clients) use.
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::http {

// Inflates a gzip body (one member or several, concatenated). kTooLarge when it inflates to more
// than `max_bytes` (the body limit applies to what the handler sees, so a small bomb is refused as
// early as a large body); kBadRequest when it is not gzip or is cut short.
Result<std::string> Gunzip(std::string_view body, size_t max_bytes);

}  // namespace aih::http
