// From decoded OTLP to aiInteractions: each model call (genai_dialects.h) becomes a userPrompt and
// an aiResponse sharing requestId, ready for the write pipeline (ingest/pipeline.h), which checks,
// attributes and stores them like any other writer's items.
//
// The mapping, stated once here and in docs/opentelemetry.md:
//  - ids: "<trace id>-<span id>-prompt" and "-response" (hex), so a re-sent export writes the same
//    interactions again (the store answers unchanged); requestId "<trace id>-<span id>"; sessionId the
//    conversation the telemetry names, else the trace id;
//  - the owner: the telemetry's user (user.id, enduser.id, ...), resolved by the pipeline in the
//    directory (object id or user principal name); none: the call is refused, naming the attributes;
//  - appClass: the writer's registered source for the resource (AppClassOf, from service.name);
//  - createdDateTime: the prompt at the call's start, the response at its end;
//  - the prompt is what the call added to the conversation: the input messages after the last
//    assistant message (earlier ones were recorded by the earlier calls); user text is its body;
//    system instructions, tool results, reasoning, blobs and unknown parts are attachments; files and
//    URIs are contexts (input) or links and contexts (output); the response's body is the output
//    text, its tool calls attachments;
//  - from: the prompt's user is the owner (aadUser), the response's application the writer, named
//    after the model.
// A GenAI call without content is counted, and recorded with empty bodies only when
// MappingOptions::record_contentless says so. Spans and records that are no model call are skipped
// and counted. Pure functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/interaction_reader.h"
#include "otlp/exchange.h"
#include "otlp/telemetry.h"

namespace aih::otlp {

struct MappingOptions {
  bool record_contentless = false;
  std::string writer_app_id;  // the aiResponse's from.application.id
};

// The appClass a resource's calls are recorded under, or why they are refused.
using AppClassOf = std::function<Result<std::string>(const Attributes& resource)>;

struct Mapping {
  std::vector<model::ParsedItem> items;       // two per recorded call, or the side its log records describe
                                              // (a refused item carries why)
  std::vector<size_t> exchange_of_item;       // items[i] belongs to call exchange_of_item[i]
  std::vector<size_t> records_of_exchange;    // the spans or log records each call came from
  std::vector<std::string> name_of_exchange;  // "span <id>", for the messages about each call
  size_t received = 0;     // spans or log records in the request
  size_t not_genai = 0;    // skipped: no model call
  size_t contentless = 0;  // model calls without content (recorded only if configured)
  size_t rejected = 0;     // spans or log records refused here (their items never reach the store)
  std::vector<std::string> rejections;  // why, one line each (the first few)
};

Mapping MapTraces(const Telemetry& telemetry, const AppClassOf& app_class_of, const MappingOptions& options);
Mapping MapLogs(const Telemetry& telemetry, const AppClassOf& app_class_of, const MappingOptions& options);

// The userPrompt and aiResponse of one call (in that order), owned by exchange.user.
std::vector<model::WriteItem> ToInteractions(const Exchange& exchange, const std::string& app_class,
                                             const MappingOptions& options);

}  // namespace aih::otlp
