// Decoding OTLP/HTTP protobuf bodies (ExportTraceServiceRequest, ExportLogsServiceRequest) into
// Telemetry, by field number over libprotobuf's wire-format reader: no generated code, no copy of
// OpenTelemetry's .proto files. Unknown fields are skipped, as protobuf does. Refused whole, with
// kBadRequest naming the place ("resourceSpans[0].scopeSpans[0].spans[2].name: ..."): a truncated
// message, a known field sent with the wrong wire type, a string that is not UTF-8, an id of the
// wrong length; with kTooLarge: a request over one of the DecodeLimits.
// Also the encoding of the partial-success responses. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "otlp/telemetry.h"

namespace aih::otlp {

Result<Telemetry> DecodeTracesProtobuf(std::string_view body, const DecodeLimits& limits = {});
Result<Telemetry> DecodeLogsProtobuf(std::string_view body, const DecodeLimits& limits = {});

// ExportTraceServiceResponse / ExportLogsServiceResponse: empty when nothing was rejected, else a
// partial_success with the count and the message.
std::string EncodePartialSuccessProtobuf(int64_t rejected, std::string_view message);

}  // namespace aih::otlp
