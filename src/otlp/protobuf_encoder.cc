#include "otlp/protobuf_encoder.h"

#include <cstring>

namespace aih::otlp {
namespace {

void Varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
void Tag(std::string& out, int field, int wire_type) { Varint(out, static_cast<uint64_t>(field) << 3 | wire_type); }
void Bytes(std::string& out, int field, const std::string& bytes) {
  Tag(out, field, 2);
  Varint(out, bytes.size());
  out += bytes;
}
void Fixed64(std::string& out, int field, uint64_t v) {
  Tag(out, field, 1);
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string KeyValue(const Attribute& a);

std::string Value(const AnyValue& v) {
  std::string out;
  switch (v.kind) {
    case AnyValue::Kind::kEmpty: break;
    case AnyValue::Kind::kString: Bytes(out, 1, v.text); break;
    case AnyValue::Kind::kBool: Tag(out, 2, 0); Varint(out, v.boolean ? 1 : 0); break;
    case AnyValue::Kind::kInt: Tag(out, 3, 0); Varint(out, static_cast<uint64_t>(v.integer)); break;
    case AnyValue::Kind::kDouble: {
      uint64_t bits;
      std::memcpy(&bits, &v.number, sizeof bits);
      Fixed64(out, 4, bits);
      break;
    }
    case AnyValue::Kind::kArray: {
      std::string values;
      for (const AnyValue& item : v.array) Bytes(values, 1, Value(item));
      Bytes(out, 5, values);
      break;
    }
    case AnyValue::Kind::kKvList: {
      std::string values;
      for (const Attribute& a : v.kvlist) Bytes(values, 1, KeyValue(a));
      Bytes(out, 6, values);
      break;
    }
    case AnyValue::Kind::kBytes: Bytes(out, 7, v.text); break;
  }
  return out;
}

std::string KeyValue(const Attribute& a) {
  std::string out;
  Bytes(out, 1, a.key);
  Bytes(out, 2, Value(a.value));
  return out;
}

void AttributesOf(std::string& out, int field, const Attributes& attributes) {
  for (const Attribute& a : attributes) Bytes(out, field, KeyValue(a));
}

std::string SpanOf(const Span& span) {
  std::string out;
  if (!span.trace_id.empty()) Bytes(out, 1, span.trace_id);
  if (!span.span_id.empty()) Bytes(out, 2, span.span_id);
  if (!span.parent_span_id.empty()) Bytes(out, 4, span.parent_span_id);
  Bytes(out, 5, span.name);
  Tag(out, 6, 0);
  Varint(out, 3);  // SPAN_KIND_CLIENT
  Fixed64(out, 7, span.start_time_unix_nano);
  Fixed64(out, 8, span.end_time_unix_nano);
  AttributesOf(out, 9, span.attributes);
  for (const SpanEvent& e : span.events) {
    std::string event;
    Fixed64(event, 1, e.time_unix_nano);
    Bytes(event, 2, e.name);
    AttributesOf(event, 3, e.attributes);
    Bytes(out, 11, event);
  }
  return out;
}

std::string LogOf(const LogRecord& log) {
  std::string out;
  Fixed64(out, 1, log.time_unix_nano);
  Fixed64(out, 11, log.observed_time_unix_nano);
  Tag(out, 2, 0);
  Varint(out, 9);  // SEVERITY_NUMBER_INFO
  if (log.body.kind != AnyValue::Kind::kEmpty) Bytes(out, 5, Value(log.body));
  AttributesOf(out, 6, log.attributes);
  if (!log.trace_id.empty()) Bytes(out, 9, log.trace_id);
  if (!log.span_id.empty()) Bytes(out, 10, log.span_id);
  if (!log.event_name.empty()) Bytes(out, 12, log.event_name);
  return out;
}

std::string Encode(const Telemetry& telemetry, bool logs) {
  std::string out;
  for (const ResourceTelemetry& r : telemetry.resources) {
    std::string resource, scope, scope_items;
    AttributesOf(resource, 1, r.resource);
    std::string scope_name;
    Bytes(scope_name, 1, "aihistory-test");
    Bytes(scope, 1, scope_name);
    if (logs) {
      for (const LogRecord& log : r.logs) Bytes(scope, 2, LogOf(log));
    } else {
      for (const Span& span : r.spans) Bytes(scope, 2, SpanOf(span));
    }
    std::string resource_message;
    Bytes(resource_message, 1, resource);
    Bytes(resource_message, 2, scope);
    Bytes(out, 1, resource_message);
  }
  return out;
}

}  // namespace

std::string EncodeTracesProtobuf(const Telemetry& telemetry) { return Encode(telemetry, false); }
std::string EncodeLogsProtobuf(const Telemetry& telemetry) { return Encode(telemetry, true); }

}  // namespace aih::otlp
