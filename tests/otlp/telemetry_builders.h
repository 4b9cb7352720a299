// Small builders of decoded telemetry for the otlp tests.
#pragma once

#include <string>

#include "otlp/telemetry.h"

namespace aih::otlp::testing {

inline AnyValue Str(std::string s) {
  AnyValue v;
  v.kind = AnyValue::Kind::kString;
  v.text = std::move(s);
  return v;
}
inline AnyValue Int(int64_t i) {
  AnyValue v;
  v.kind = AnyValue::Kind::kInt;
  v.integer = i;
  return v;
}
inline Attribute Attr(std::string key, std::string value) { return Attribute{std::move(key), Str(std::move(value))}; }
inline Attribute Attr(std::string key, AnyValue value) { return Attribute{std::move(key), std::move(value)}; }
inline AnyValue List(Attributes members) {
  AnyValue v;
  v.kind = AnyValue::Kind::kKvList;
  v.kvlist = std::move(members);
  return v;
}
inline AnyValue Array(std::vector<AnyValue> items) {
  AnyValue v;
  v.kind = AnyValue::Kind::kArray;
  v.array = std::move(items);
  return v;
}

// 16 and 8 raw bytes from a small number, so that ids are readable in hex.
inline std::string TraceId(int n) { return std::string(15, '\x0a') + static_cast<char>(n); }
inline std::string SpanId(int n) { return std::string(7, '\x0b') + static_cast<char>(n); }

inline Span ChatSpan(int n, Attributes attributes) {
  Span span;
  span.trace_id = TraceId(1);
  span.span_id = SpanId(n);
  span.name = "chat gpt-4o";
  span.start_time_unix_nano = 1767225600000000000ull + static_cast<uint64_t>(n) * 1000000000ull;
  span.end_time_unix_nano = span.start_time_unix_nano + 250000000ull;
  span.attributes = std::move(attributes);
  return span;
}

}  // namespace aih::otlp::testing
