#include "otlp/json_decoder.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>

#include "base/base64.h"
#include "base/json_string.h"

namespace aih::otlp {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The camelCase name OTLP writes, or the snake_case name protobuf's own JSON printers may write.
bool Named(std::string_view key, std::string_view camel) {
  if (key == camel) return true;
  // snake_case: "trace_id" for "traceId".
  size_t k = 0;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      if (k + 1 >= key.size() + 1 || key[k] != '_') return false;
      ++k;
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (k >= key.size() || key[k] != c) return false;
    ++k;
  }
  return k == key.size();
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Decoder {
 public:
  explicit Decoder(const DecodeLimits& limits) : limits_(limits) {}

  Status Document(element root, bool logs, Telemetry& out) {
    simdjson::dom::object top;
    if (root.get_object().get(top)) return Bad("", "the body is not a JSON object");
    const std::string_view list_name = logs ? "resourceLogs" : "resourceSpans";
    for (auto field : top) {
      if (!Named(field.key, list_name)) continue;
      AIH_RETURN_IF_ERROR(Array(field.value, std::string(list_name), [&](element e, const std::string& at) {
        out.resources.emplace_back();
        return Resource(e, at, logs, out.resources.back());
      }));
    }
    return Status::Ok();
  }

  Status Value(element e, const std::string& at, size_t depth, AnyValue& out) {
    if (depth > limits_.max_depth) return TooLarge(at, "values nest deeper than " + std::to_string(limits_.max_depth) + " levels");
    simdjson::dom::object obj;
    if (e.is_null()) return Status::Ok();
    if (e.get_object().get(obj)) return Bad(at, "an AnyValue is a JSON object");
    for (auto field : obj) {
      const std::string here = at + "." + std::string(field.key);
      if (Named(field.key, "stringValue")) {
        out.kind = AnyValue::Kind::kString;
        AIH_RETURN_IF_ERROR(String(field.value, here, out.text));
      } else if (Named(field.key, "boolValue")) {
        out.kind = AnyValue::Kind::kBool;
        if (field.value.get_bool().get(out.boolean)) return Bad(here, "expected true or false");
      } else if (Named(field.key, "intValue")) {
        out.kind = AnyValue::Kind::kInt;
        AIH_RETURN_IF_ERROR(Int64(field.value, here, out.integer));
      } else if (Named(field.key, "doubleValue")) {
        out.kind = AnyValue::Kind::kDouble;
        AIH_RETURN_IF_ERROR(Double(field.value, here, out.number));
      } else if (Named(field.key, "bytesValue")) {
        out.kind = AnyValue::Kind::kBytes;
        std::string text;
        AIH_RETURN_IF_ERROR(String(field.value, here, text));
        auto bytes = Base64Decode(text);
        if (!bytes.ok()) return Bad(here, "bytes are base64 in OTLP JSON");
        out.text = std::move(*bytes);
      } else if (Named(field.key, "arrayValue")) {
        out.kind = AnyValue::Kind::kArray;
        AIH_RETURN_IF_ERROR(ValuesOf(field.value, here, [&](element v, const std::string& vat) {
          if (out.array.size() >= limits_.max_array_values) {
            return TooLarge(vat, "an array value has more than " + std::to_string(limits_.max_array_values) + " values");
          }
          out.array.emplace_back();
          return Value(v, vat, depth + 1, out.array.back());
        }));
      } else if (Named(field.key, "kvlistValue")) {
        out.kind = AnyValue::Kind::kKvList;
        AIH_RETURN_IF_ERROR(ValuesOf(field.value, here, [&](element v, const std::string& vat) {
          if (out.kvlist.size() >= limits_.max_attributes) {
            return TooLarge(vat, "a key-value list has more than " + std::to_string(limits_.max_attributes) + " values");
          }
          out.kvlist.emplace_back();
          return KeyValue(v, vat, depth + 1, out.kvlist.back());
        }));
      }
    }
    return Status::Ok();
  }

 private:
  template <typename F>
  Status Array(element e, const std::string& at, F&& each) {
    simdjson::dom::array array;
    if (e.is_null()) return Status::Ok();
    if (e.get_array().get(array)) return Bad(at, "expected an array");
    size_t i = 0;
    for (element item : array) {
      AIH_RETURN_IF_ERROR(each(item, at + "[" + std::to_string(i) + "]"));
      ++i;
    }
    return Status::Ok();
  }
  // {"values":[...]} of ArrayValue and KeyValueList.
  template <typename F>
  Status ValuesOf(element e, const std::string& at, F&& each) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj)) return Bad(at, "expected an object with \"values\"");
    for (auto field : obj) {
      if (Named(field.key, "values")) AIH_RETURN_IF_ERROR(Array(field.value, at + ".values", each));
    }
    return Status::Ok();
  }

  Status Resource(element e, const std::string& at, bool logs, ResourceTelemetry& out) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj)) return Bad(at, "expected an object");
    for (auto field : obj) {
      const std::string here = at + "." + std::string(field.key);
      if (Named(field.key, "resource")) {
        simdjson::dom::object res;
        if (field.value.get_object().get(res)) return Bad(here, "expected an object");
        for (auto rf : res) {
          if (Named(rf.key, "attributes")) AIH_RETURN_IF_ERROR(Attrs(rf.value, here + ".attributes", out.resource));
        }
      } else if (Named(field.key, logs ? "scopeLogs" : "scopeSpans")) {
        AIH_RETURN_IF_ERROR(Array(field.value, here, [&](element scope, const std::string& sat) {
          simdjson::dom::object sobj;
          if (scope.get_object().get(sobj)) return Bad(sat, "expected an object");
          for (auto sf : sobj) {
            if (!Named(sf.key, logs ? "logRecords" : "spans")) continue;
            AIH_RETURN_IF_ERROR(Array(sf.value, sat + "." + std::string(sf.key), [&](element item, const std::string& iat) {
              if (++items_ > limits_.max_items) {
                return TooLarge(iat, "the request has more than " + std::to_string(limits_.max_items) +
                                         " spans and log records: send smaller batches");
              }
              if (logs) {
                out.logs.emplace_back();
                return Log(item, iat, out.logs.back());
              }
              out.spans.emplace_back();
              return SpanOf(item, iat, out.spans.back());
            }));
          }
          return Status::Ok();
        }));
      }
    }
    return Status::Ok();
  }

  Status SpanOf(element e, const std::string& at, Span& span) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj)) return Bad(at, "expected an object");
    for (auto field : obj) {
      const std::string here = at + "." + std::string(field.key);
      const std::string_view k = field.key;
      if (Named(k, "traceId")) AIH_RETURN_IF_ERROR(Id(field.value, here, 16, span.trace_id));
      else if (Named(k, "spanId")) AIH_RETURN_IF_ERROR(Id(field.value, here, 8, span.span_id));
      else if (Named(k, "parentSpanId")) AIH_RETURN_IF_ERROR(Id(field.value, here, 8, span.parent_span_id));
      else if (Named(k, "name")) AIH_RETURN_IF_ERROR(String(field.value, here, span.name));
      else if (Named(k, "startTimeUnixNano")) AIH_RETURN_IF_ERROR(Uint64(field.value, here, span.start_time_unix_nano));
      else if (Named(k, "endTimeUnixNano")) AIH_RETURN_IF_ERROR(Uint64(field.value, here, span.end_time_unix_nano));
      else if (Named(k, "attributes")) AIH_RETURN_IF_ERROR(Attrs(field.value, here, span.attributes));
      else if (Named(k, "events")) {
        AIH_RETURN_IF_ERROR(Array(field.value, here, [&](element ev, const std::string& eat) {
          if (span.events.size() >= limits_.max_events) {
            return TooLarge(eat, "a span has more than " + std::to_string(limits_.max_events) + " events");
          }
          span.events.emplace_back();
          SpanEvent& event = span.events.back();
          simdjson::dom::object eobj;
          if (ev.get_object().get(eobj)) return Bad(eat, "expected an object");
          for (auto ef : eobj) {
            const std::string ehere = eat + "." + std::string(ef.key);
            if (Named(ef.key, "timeUnixNano")) AIH_RETURN_IF_ERROR(Uint64(ef.value, ehere, event.time_unix_nano));
            else if (Named(ef.key, "name")) AIH_RETURN_IF_ERROR(String(ef.value, ehere, event.name));
            else if (Named(ef.key, "attributes")) AIH_RETURN_IF_ERROR(Attrs(ef.value, ehere, event.attributes));
          }
          return Status::Ok();
        }));
      }
    }
    return Status::Ok();
  }

  Status Log(element e, const std::string& at, LogRecord& log) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj)) return Bad(at, "expected an object");
    for (auto field : obj) {
      const std::string here = at + "." + std::string(field.key);
      const std::string_view k = field.key;
      if (Named(k, "timeUnixNano")) AIH_RETURN_IF_ERROR(Uint64(field.value, here, log.time_unix_nano));
      else if (Named(k, "observedTimeUnixNano")) AIH_RETURN_IF_ERROR(Uint64(field.value, here, log.observed_time_unix_nano));
      else if (Named(k, "body")) AIH_RETURN_IF_ERROR(Value(field.value, here, 0, log.body));
      else if (Named(k, "attributes")) AIH_RETURN_IF_ERROR(Attrs(field.value, here, log.attributes));
      else if (Named(k, "traceId")) AIH_RETURN_IF_ERROR(Id(field.value, here, 16, log.trace_id));
      else if (Named(k, "spanId")) AIH_RETURN_IF_ERROR(Id(field.value, here, 8, log.span_id));
      else if (Named(k, "eventName")) AIH_RETURN_IF_ERROR(String(field.value, here, log.event_name));
    }
    return Status::Ok();
  }

  Status Attrs(element e, const std::string& at, Attributes& out) {
    return Array(e, at, [&](element kv, const std::string& kat) {
      if (out.size() >= limits_.max_attributes) {
        return TooLarge(kat, "more than " + std::to_string(limits_.max_attributes) +
                                 " attributes in one place: the limit per span, event, log record and resource");
      }
      out.emplace_back();
      return KeyValue(kv, kat, 0, out.back());
    });
  }

  Status KeyValue(element e, const std::string& at, size_t depth, Attribute& out) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj)) return Bad(at, "expected an object with \"key\" and \"value\"");
    for (auto field : obj) {
      if (Named(field.key, "key")) AIH_RETURN_IF_ERROR(String(field.value, at + ".key", out.key));
      else if (Named(field.key, "value")) AIH_RETURN_IF_ERROR(Value(field.value, at + ".value", depth, out.value));
    }
    return Status::Ok();
  }

  Status String(element e, const std::string& at, std::string& out) {
    std::string_view text;
    if (e.get_string().get(text)) return Bad(at, "expected a string");
    out.assign(text);
    return Status::Ok();
  }
  Status Id(element e, const std::string& at, size_t size, std::string& out) {
    std::string text;
    AIH_RETURN_IF_ERROR(String(e, at, text));
    out.clear();
    if (text.empty()) return Status::Ok();
    if (text.size() == size * 2) {
      bool hex = true;
      for (size_t i = 0; i < text.size() && hex; i += 2) {
        int hi = HexDigit(text[i]), lo = HexDigit(text[i + 1]);
        if (hi < 0 || lo < 0) hex = false; else out += static_cast<char>(hi * 16 + lo);
      }
      if (hex) return Status::Ok();
      out.clear();
    }
    auto bytes = Base64Decode(text);
    if (bytes.ok() && bytes->size() == size) {
      out = std::move(*bytes);
      return Status::Ok();
    }
    return Bad(at, "an id of " + std::to_string(size) + " bytes is " + std::to_string(size * 2) + " hex digits");
  }
  Status Uint64(element e, const std::string& at, uint64_t& out) {
    if (e.get_uint64().get(out) == simdjson::SUCCESS) return Status::Ok();
    std::string_view text;
    if (e.get_string().get(text) == simdjson::SUCCESS && !text.empty() && text.size() <= 20) {
      uint64_t v = 0;
      bool ok = true;
      for (char c : text) {
        if (c < '0' || c > '9' || v > (UINT64_MAX - (c - '0')) / 10) { ok = false; break; }
        v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      if (ok) { out = v; return Status::Ok(); }
    }
    return Bad(at, "expected an unsigned 64-bit integer (a number or a decimal string)");
  }
  Status Int64(element e, const std::string& at, int64_t& out) {
    if (e.get_int64().get(out) == simdjson::SUCCESS) return Status::Ok();
    std::string_view text;
    if (e.get_string().get(text) == simdjson::SUCCESS && !text.empty() && text.size() <= 20) {
      bool negative = text[0] == '-';
      std::string_view digits = negative ? text.substr(1) : text;
      uint64_t v = 0;
      bool ok = !digits.empty();
      for (char c : digits) {
        if (c < '0' || c > '9' || v > (UINT64_MAX - (c - '0')) / 10) { ok = false; break; }
        v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      if (ok && v <= (negative ? uint64_t{1} << 63 : uint64_t(INT64_MAX))) {
        out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
        return Status::Ok();
      }
    }
    return Bad(at, "expected a 64-bit integer (a number or a decimal string)");
  }
  Status Double(element e, const std::string& at, double& out) {
    if (e.get_double().get(out) == simdjson::SUCCESS) return Status::Ok();
    std::string_view text;
    if (e.get_string().get(text) == simdjson::SUCCESS) {
      if (text == "NaN") { out = std::nan(""); return Status::Ok(); }
      if (text == "Infinity") { out = INFINITY; return Status::Ok(); }
      if (text == "-Infinity") { out = -INFINITY; return Status::Ok(); }
    }
    return Bad(at, "expected a number");
  }

  Status Bad(const std::string& at, const std::string& what) {
    return Status::BadRequest("the OTLP JSON body is malformed" + (at.empty() ? "" : " at " + at) + ": " + what);
  }
  Status TooLarge(const std::string& at, const std::string& what) {
    return Status::TooLarge("the OTLP request is too large at " + at + ": " + what);
  }

  const DecodeLimits& limits_;
  size_t items_ = 0;
};

Result<Telemetry> Decode(std::string_view body, bool logs, const DecodeLimits& limits) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    return Status::BadRequest(std::string("the OTLP JSON body is not valid JSON: ") + simdjson::error_message(error));
  }
  Telemetry out;
  Decoder decoder(limits);
  AIH_RETURN_IF_ERROR(decoder.Document(root, logs, out));
  return out;
}

Status ToAnyValue(element e, size_t depth, size_t max_depth, AnyValue& out) {
  if (depth > max_depth) return Status::BadRequest("the JSON nests deeper than " + std::to_string(max_depth) + " levels");
  switch (e.type()) {
    case element_type::NULL_VALUE: return Status::Ok();
    case element_type::BOOL: out.kind = AnyValue::Kind::kBool; out.boolean = bool(e); return Status::Ok();
    case element_type::INT64: out.kind = AnyValue::Kind::kInt; out.integer = int64_t(e); return Status::Ok();
    case element_type::UINT64:
    case element_type::DOUBLE: out.kind = AnyValue::Kind::kDouble; out.number = double(e); return Status::Ok();
    case element_type::STRING: out.kind = AnyValue::Kind::kString; out.text = std::string(std::string_view(e)); return Status::Ok();
    case element_type::ARRAY:
      out.kind = AnyValue::Kind::kArray;
      for (element item : simdjson::dom::array(e)) {
        out.array.emplace_back();
        AIH_RETURN_IF_ERROR(ToAnyValue(item, depth + 1, max_depth, out.array.back()));
      }
      return Status::Ok();
    case element_type::OBJECT:
      out.kind = AnyValue::Kind::kKvList;
      for (auto field : simdjson::dom::object(e)) {
        out.kvlist.push_back(Attribute{std::string(field.key), {}});
        AIH_RETURN_IF_ERROR(ToAnyValue(field.value, depth + 1, max_depth, out.kvlist.back().value));
      }
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

Result<Telemetry> DecodeTracesJson(std::string_view body, const DecodeLimits& limits) {
  return Decode(body, /*logs=*/false, limits);
}
Result<Telemetry> DecodeLogsJson(std::string_view body, const DecodeLimits& limits) {
  return Decode(body, /*logs=*/true, limits);
}

Result<AnyValue> ParseJsonValue(std::string_view json, size_t max_depth) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root)) {
    return Status::BadRequest(std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  AnyValue out;
  AIH_RETURN_IF_ERROR(ToAnyValue(root, 0, max_depth, out));
  return out;
}

std::string EncodePartialSuccessJson(bool logs, int64_t rejected, std::string_view message) {
  if (rejected == 0 && message.empty()) return "{}";
  std::string out = "{\"partialSuccess\":{\"";
  out += logs ? "rejectedLogRecords" : "rejectedSpans";
  out += "\":\"" + std::to_string(rejected) + "\",\"errorMessage\":";
  AppendJsonString(out, message);
  out += "}}";
  return out;
}

}  // namespace aih::otlp
