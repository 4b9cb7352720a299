// The OTLP/HTTP receiver: instrumented AI apps export their OpenTelemetry GenAI telemetry here, and
// each model call becomes a userPrompt and an aiResponse (otlp/interaction_mapping.h).
//
//   POST /v1/traces   ExportTraceServiceRequest    (spans: every dialect)
//   POST /v1/logs     ExportLogsServiceRequest     (GenAI events as log records)
//
// The body is protobuf (application/x-protobuf) or OTLP JSON (application/json), in gzip or not
// (the server inflates it within the body limit). The caller is a writer application, with its
// token as `Authorization: Bearer <token>` or, for exporters whose header settings cannot carry
// that, `api-key: <token>`. The appClass is the writer's registered source whose appClass or
// display name is the resource's service.name, or its only source. Every call goes through the one
// write pipeline (ingest/pipeline.h) in one store write. The answer is OTLP's: 200 with an empty
// response, or a partial success naming how many spans (log records) were rejected and why; a body
// that cannot be decoded is refused whole (400, or 413 over a limit), storing nothing.
#pragma once

#include "api/service.h"

namespace aih::api {

void AddOtlpRoutes(http::Router& router, Context& context);

}  // namespace aih::api
