// Encoding Telemetry as OTLP protobuf (ExportTraceServiceRequest / ExportLogsServiceRequest): the
// counterpart of protobuf_decoder.h, for the tests and the benchmark, which send what an SDK sends.
// Each resource becomes one ResourceSpans (ResourceLogs) with one scope. Pure functions; thread-safe.
#pragma once

#include <string>

#include "otlp/telemetry.h"

namespace aih::otlp {

std::string EncodeTracesProtobuf(const Telemetry& telemetry);
std::string EncodeLogsProtobuf(const Telemetry& telemetry);

}  // namespace aih::otlp
