// Decoding OTLP/HTTP JSON bodies (the protobuf JSON mapping OTLP specifies: lowerCamelCase names,
// trace and span ids in hex (base64 accepted too), 64-bit integers as strings or numbers, bytes in
// base64) into Telemetry. Unknown fields are ignored, as OTLP asks of receivers. Refused whole, with
// kBadRequest naming the place: JSON that does not parse, a known field of the wrong JSON type, an id
// that is neither hex nor base64 of the right length; with kTooLarge: a request over DecodeLimits.
// Also: any JSON text as an AnyValue (the GenAI dialects carry messages as JSON strings), and the
// JSON partial-success response. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "otlp/telemetry.h"

namespace aih::otlp {

Result<Telemetry> DecodeTracesJson(std::string_view body, const DecodeLimits& limits = {});
Result<Telemetry> DecodeLogsJson(std::string_view body, const DecodeLimits& limits = {});

// `json` as an AnyValue: objects become key-value lists (in order), arrays arrays, numbers kInt when
// integral and in range, else kDouble; null kEmpty. kBadRequest when it is not JSON or nests deeper
// than `max_depth`.
Result<AnyValue> ParseJsonValue(std::string_view json, size_t max_depth = 32);

// {"partialSuccess":{"rejectedSpans":"N","errorMessage":"..."}} (or rejectedLogRecords), or {}.
std::string EncodePartialSuccessJson(bool logs, int64_t rejected, std::string_view message);

}  // namespace aih::otlp
