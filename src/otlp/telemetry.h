// Telemetry: the OTLP traces and logs a request carried, decoded (protobuf_decoder.h, json_decoder.h)
// into plain values that the GenAI mapping (genai_mapping.h) reads.
//
// Only what the mapping can use is kept: resources with their attributes, spans with their events,
// and log records; instrumentation scopes are flattened into their resource (the mapping does not
// depend on which library emitted a span), links, status and dropped counts are not kept. Ids are
// the raw bytes (16 for a trace, 8 for a span; empty when absent). Plain values, no threading rule.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aih::otlp {

struct Attribute;

// OTLP's AnyValue: a string, bool, int64, double, bytes, array or key-value list (or nothing).
struct AnyValue {
  enum class Kind { kEmpty, kString, kBool, kInt, kDouble, kBytes, kArray, kKvList };
  Kind kind = Kind::kEmpty;
  std::string text;  // kString (UTF-8) and kBytes
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::vector<AnyValue> array;     // kArray
  std::vector<Attribute> kvlist;   // kKvList

  // The value as text: strings as they are, numbers and bools as JSON writes them, arrays and
  // lists as JSON, bytes as base64; empty for kEmpty.
  std::string ToText() const;
  // The value as JSON (a string is a JSON string).
  std::string ToJson() const;
  // The member `key` of a key-value list, or null.
  const AnyValue* Find(std::string_view key) const;
};

struct Attribute {
  std::string key;
  AnyValue value;
};
using Attributes = std::vector<Attribute>;

// The attribute named `key`, or null (the last one wins when a key repeats, as in the SDKs).
const AnyValue* FindAttribute(const Attributes& attributes, std::string_view key);
// Its text (AnyValue::ToText), or empty.
std::string AttributeText(const Attributes& attributes, std::string_view key);

struct SpanEvent {
  uint64_t time_unix_nano = 0;
  std::string name;
  Attributes attributes;
};

struct Span {
  std::string trace_id, span_id, parent_span_id;  // raw bytes
  std::string name;
  uint64_t start_time_unix_nano = 0, end_time_unix_nano = 0;
  Attributes attributes;
  std::vector<SpanEvent> events;
};

struct LogRecord {
  uint64_t time_unix_nano = 0, observed_time_unix_nano = 0;
  std::string event_name;  // LogRecord.event_name, or the older "event.name" attribute (the mapping reads both)
  AnyValue body;
  Attributes attributes;
  std::string trace_id, span_id;  // raw bytes
};

// One ResourceSpans or ResourceLogs, its scopes flattened.
struct ResourceTelemetry {
  Attributes resource;
  std::vector<Span> spans;
  std::vector<LogRecord> logs;
};

struct Telemetry {
  std::vector<ResourceTelemetry> resources;
  size_t span_count() const;
  size_t log_count() const;
};

// Bounds on what one request may carry, checked while decoding: a request over any of them is
// refused whole (kBadRequest or kTooLarge naming the bound), so nothing of it is stored.
struct DecodeLimits {
  size_t max_attributes = 10'000;  // per span, event, log record or resource (and per kvlist)
  size_t max_events = 10'000;      // per span
  size_t max_array_values = 100'000;
  size_t max_depth = 32;           // nesting of AnyValue arrays and lists
  size_t max_items = 100'000;      // spans plus log records in one request
};

}  // namespace aih::otlp
