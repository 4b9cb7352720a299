#include "otlp/protobuf_decoder.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <cstring>

#include "base/utf8.h"

namespace aih::otlp {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

constexpr int kVarint = WireFormatLite::WIRETYPE_VARINT;
constexpr int kFixed64 = WireFormatLite::WIRETYPE_FIXED64;
constexpr int kLen = WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
constexpr int kFixed32 = WireFormatLite::WIRETYPE_FIXED32;

const char* WireTypeName(int type) {
  switch (type) {
    case kVarint: return "varint";
    case kFixed64: return "fixed64";
    case kLen: return "length-delimited";
    case kFixed32: return "fixed32";
    default: return "group";
  }
}

// Reads one message at a time, with the path of where it is for the error messages.
class Reader {
 public:
  Reader(std::string_view body, const DecodeLimits& limits)
      : in_(reinterpret_cast<const uint8_t*>(body.data()), static_cast<int>(body.size())), limits_(limits) {
    in_.SetRecursionLimit(static_cast<int>(limits.max_depth) + 16);
  }

  Status Traces(Telemetry& out) {
    return Message([&](int field, int type) -> Status {
      if (field != 1) return Skip(type);
      out.resources.emplace_back();
      return Nested("resourceSpans", out.resources.size() - 1, type,
                    [&] { return ResourceMessage(out.resources.back(), /*logs=*/false); });
    });
  }
  Status Logs(Telemetry& out) {
    return Message([&](int field, int type) -> Status {
      if (field != 1) return Skip(type);
      out.resources.emplace_back();
      return Nested("resourceLogs", out.resources.size() - 1, type,
                    [&] { return ResourceMessage(out.resources.back(), /*logs=*/true); });
    });
  }

 private:
  // Parses fields until the current limit; `on_field(number, wire type)` reads or skips each.
  template <typename F>
  Status Message(F&& on_field) {
    for (;;) {
      uint32_t tag = in_.ReadTag();
      if (tag == 0) {
        if (in_.BytesUntilLimit() != 0) return Malformed("a field tag is malformed or the message is truncated");
        return Status::Ok();
      }
      int field = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
      int type = static_cast<int>(WireFormatLite::GetTagWireType(tag));
      if (field == 0) return Malformed("field number 0 is not valid");
      AIH_RETURN_IF_ERROR(on_field(field, type));
    }
  }

  // A length-delimited sub-message `name`[index] parsed by `parse`.
  template <typename F>
  Status Nested(const char* name, size_t index, int type, F&& parse) {
    AIH_RETURN_IF_ERROR(Expect(name, type, kLen));
    uint32_t length = 0;
    if (!in_.ReadVarint32(&length)) return Malformed(std::string(name) + ": the length is truncated");
    if (static_cast<int64_t>(length) > in_.BytesUntilLimit()) {
      return Malformed(std::string(name) + ": the message is truncated (it declares " + std::to_string(length) +
                       " bytes, " + std::to_string(in_.BytesUntilLimit()) + " remain)");
    }
    // Each level of AnyValue nesting is three messages (value, arrayValue or kvlistValue, values).
    if (++depth_ > 3 * limits_.max_depth + 8) return TooLarge("messages nest deeper than " + std::to_string(limits_.max_depth) + " levels of values");
    path_.push_back({name, index});
    auto limit = in_.PushLimit(static_cast<int>(length));
    Status status = parse();
    in_.PopLimit(limit);
    if (status.ok()) path_.pop_back();  // on failure the path names where
    --depth_;
    return status;
  }

  Status ResourceMessage(ResourceTelemetry& out, bool logs) {
    size_t scopes = 0;
    return Message([&](int field, int type) -> Status {
      if (field == 1) return Nested("resource", 0, type, [&] { return Resource(out.resource); });
      if (field == 2) {
        return Nested(logs ? "scopeLogs" : "scopeSpans", scopes++, type, [&] { return Scope(out, logs); });
      }
      return Skip(type);
    });
  }

  Status Resource(Attributes& out) {
    return Message([&](int field, int type) -> Status {
      if (field == 1) return AttributeField(out, type);
      return Skip(type);
    });
  }

  Status Scope(ResourceTelemetry& out, bool logs) {
    return Message([&](int field, int type) -> Status {
      if (field != 2) return Skip(type);  // 1: the instrumentation scope, 3: schema_url
      if (++items_ > limits_.max_items) {
        return TooLarge("the request has more than " + std::to_string(limits_.max_items) +
                        " spans and log records: send smaller batches");
      }
      if (logs) {
        out.logs.emplace_back();
        return Nested("logRecords", out.logs.size() - 1, type, [&] { return Log(out.logs.back()); });
      }
      out.spans.emplace_back();
      return Nested("spans", out.spans.size() - 1, type, [&] { return SpanMessage(out.spans.back()); });
    });
  }

  Status SpanMessage(Span& span) {
    return Message([&](int field, int type) -> Status {
      switch (field) {
        case 1: return Id("traceId", type, 16, span.trace_id);
        case 2: return Id("spanId", type, 8, span.span_id);
        case 4: return Id("parentSpanId", type, 8, span.parent_span_id);
        case 5: return String("name", type, span.name);
        case 7: return Fixed64("startTimeUnixNano", type, span.start_time_unix_nano);
        case 8: return Fixed64("endTimeUnixNano", type, span.end_time_unix_nano);
        case 9: return AttributeField(span.attributes, type);
        case 11:
          if (span.events.size() >= limits_.max_events) {
            return TooLarge("a span has more than " + std::to_string(limits_.max_events) + " events");
          }
          span.events.emplace_back();
          return Nested("events", span.events.size() - 1, type, [&] { return Event(span.events.back()); });
        default: return Skip(type);
      }
    });
  }

  Status Event(SpanEvent& event) {
    return Message([&](int field, int type) -> Status {
      switch (field) {
        case 1: return Fixed64("timeUnixNano", type, event.time_unix_nano);
        case 2: return String("name", type, event.name);
        case 3: return AttributeField(event.attributes, type);
        default: return Skip(type);
      }
    });
  }

  Status Log(LogRecord& log) {
    return Message([&](int field, int type) -> Status {
      switch (field) {
        case 1: return Fixed64("timeUnixNano", type, log.time_unix_nano);
        case 11: return Fixed64("observedTimeUnixNano", type, log.observed_time_unix_nano);
        case 5: return Nested("body", 0, type, [&] { return Value(log.body, 0); });
        case 6: return AttributeField(log.attributes, type);
        case 9: return Id("traceId", type, 16, log.trace_id);
        case 10: return Id("spanId", type, 8, log.span_id);
        case 12: return String("eventName", type, log.event_name);
        default: return Skip(type);
      }
    });
  }

  Status AttributeField(Attributes& out, int type) {
    if (out.size() >= limits_.max_attributes) {
      return TooLarge("more than " + std::to_string(limits_.max_attributes) +
                      " attributes in one place: the limit per span, event, log record and resource");
    }
    out.emplace_back();
    return Nested("attributes", out.size() - 1, type, [&] { return KeyValue(out.back(), 0); });
  }

  Status KeyValue(Attribute& out, size_t depth) {
    return Message([&](int field, int type) -> Status {
      if (field == 1) return String("key", type, out.key);
      if (field == 2) return Nested("value", 0, type, [&] { return Value(out.value, depth); });
      return Skip(type);
    });
  }

  Status Value(AnyValue& out, size_t depth) {
    if (depth > limits_.max_depth) {
      return TooLarge("attribute values nest deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    return Message([&](int field, int type) -> Status {
      switch (field) {
        case 1: out.kind = AnyValue::Kind::kString; return String("stringValue", type, out.text);
        case 2: {
          out.kind = AnyValue::Kind::kBool;
          uint64_t v = 0;
          AIH_RETURN_IF_ERROR(Varint("boolValue", type, v));
          out.boolean = v != 0;
          return Status::Ok();
        }
        case 3: {
          out.kind = AnyValue::Kind::kInt;
          uint64_t v = 0;
          AIH_RETURN_IF_ERROR(Varint("intValue", type, v));
          out.integer = static_cast<int64_t>(v);
          return Status::Ok();
        }
        case 4: {
          out.kind = AnyValue::Kind::kDouble;
          uint64_t bits = 0;
          AIH_RETURN_IF_ERROR(Fixed64("doubleValue", type, bits));
          std::memcpy(&out.number, &bits, sizeof bits);
          return Status::Ok();
        }
        case 5:
          out.kind = AnyValue::Kind::kArray;
          return Nested("arrayValue", 0, type, [&] {
            return Message([&](int f, int t) -> Status {
              if (f != 1) return Skip(t);
              if (out.array.size() >= limits_.max_array_values) {
                return TooLarge("an array value has more than " + std::to_string(limits_.max_array_values) + " values");
              }
              out.array.emplace_back();
              return Nested("values", out.array.size() - 1, t, [&] { return Value(out.array.back(), depth + 1); });
            });
          });
        case 6:
          out.kind = AnyValue::Kind::kKvList;
          return Nested("kvlistValue", 0, type, [&] {
            return Message([&](int f, int t) -> Status {
              if (f != 1) return Skip(t);
              if (out.kvlist.size() >= limits_.max_attributes) {
                return TooLarge("a key-value list has more than " + std::to_string(limits_.max_attributes) + " values");
              }
              out.kvlist.emplace_back();
              return Nested("values", out.kvlist.size() - 1, t, [&] { return KeyValue(out.kvlist.back(), depth + 1); });
            });
          });
        case 7: out.kind = AnyValue::Kind::kBytes; return Bytes("bytesValue", type, out.text);
        default: return Skip(type);
      }
    });
  }

  Status Bytes(const char* name, int type, std::string& out) {
    AIH_RETURN_IF_ERROR(Expect(name, type, kLen));
    uint32_t length = 0;
    if (!in_.ReadVarint32(&length)) return Malformed(std::string(name) + ": the length is truncated");
    if (static_cast<int64_t>(length) > in_.BytesUntilLimit() || !in_.ReadString(&out, static_cast<int>(length))) {
      return Malformed(std::string(name) + ": the value is truncated");
    }
    return Status::Ok();
  }
  Status String(const char* name, int type, std::string& out) {
    AIH_RETURN_IF_ERROR(Bytes(name, type, out));
    size_t bad = FindInvalidUtf8(out);
    if (bad != std::string::npos) {
      return Malformed(std::string(name) + ": the string is not valid UTF-8 (byte " + std::to_string(bad) + ")");
    }
    return Status::Ok();
  }
  Status Id(const char* name, int type, size_t size, std::string& out) {
    AIH_RETURN_IF_ERROR(Bytes(name, type, out));
    if (!out.empty() && out.size() != size) {
      return Malformed(std::string(name) + ": an id of " + std::to_string(out.size()) + " bytes; it has " +
                       std::to_string(size));
    }
    return Status::Ok();
  }
  Status Fixed64(const char* name, int type, uint64_t& out) {
    AIH_RETURN_IF_ERROR(Expect(name, type, kFixed64));
    if (!in_.ReadLittleEndian64(&out)) return Malformed(std::string(name) + ": the value is truncated");
    return Status::Ok();
  }
  Status Varint(const char* name, int type, uint64_t& out) {
    AIH_RETURN_IF_ERROR(Expect(name, type, kVarint));
    if (!in_.ReadVarint64(&out)) return Malformed(std::string(name) + ": the value is truncated");
    return Status::Ok();
  }
  Status Expect(const char* name, int type, int expected) {
    if (type == expected) return Status::Ok();
    return Malformed(std::string(name) + ": the field has wire type " + WireTypeName(type) + " where OTLP has " +
                     WireTypeName(expected));
  }
  Status Skip(int type) {
    if (type == kLen) {
      uint32_t length = 0;
      if (!in_.ReadVarint32(&length) || static_cast<int64_t>(length) > in_.BytesUntilLimit() ||
          !in_.Skip(static_cast<int>(length))) {
        return Malformed("an unknown field is truncated");
      }
      return Status::Ok();
    }
    if (type == kVarint) {
      uint64_t ignored;
      if (!in_.ReadVarint64(&ignored)) return Malformed("an unknown field is truncated");
      return Status::Ok();
    }
    if (type == kFixed64 || type == kFixed32) {
      if (!in_.Skip(type == kFixed64 ? 8 : 4)) return Malformed("an unknown field is truncated");
      return Status::Ok();
    }
    return Malformed("an unknown field has wire type " + std::to_string(type) + ", which OTLP does not use");
  }

  std::string Where() const {
    std::string where;
    for (const auto& [name, index] : path_) {
      if (!where.empty()) where += '.';
      where += name;
      if (std::strcmp(name, "resource") && std::strcmp(name, "value") && std::strcmp(name, "body") &&
          std::strcmp(name, "arrayValue") && std::strcmp(name, "kvlistValue")) {
        where += '[' + std::to_string(index) + ']';
      }
    }
    return where;
  }
  Status Malformed(const std::string& what) {
    std::string where = Where();
    return Status::BadRequest("the OTLP protobuf body is malformed" + (where.empty() ? "" : " at " + where) + ": " +
                              what);
  }
  Status TooLarge(const std::string& what) {
    std::string where = Where();
    return Status::TooLarge("the OTLP request is too large" + (where.empty() ? "" : " at " + where) + ": " + what);
  }

  CodedInputStream in_;
  const DecodeLimits& limits_;
  std::vector<std::pair<const char*, size_t>> path_;
  size_t depth_ = 0;
  size_t items_ = 0;
};

template <bool kLogs>
Result<Telemetry> Decode(std::string_view body, const DecodeLimits& limits) {
  if (body.size() > static_cast<size_t>(INT32_MAX)) return Status::TooLarge("the OTLP body is larger than 2 GB");
  Telemetry out;
  Reader reader(body, limits);
  AIH_RETURN_IF_ERROR(kLogs ? reader.Logs(out) : reader.Traces(out));
  return out;
}

void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

}  // namespace

Result<Telemetry> DecodeTracesProtobuf(std::string_view body, const DecodeLimits& limits) {
  return Decode<false>(body, limits);
}
Result<Telemetry> DecodeLogsProtobuf(std::string_view body, const DecodeLimits& limits) {
  return Decode<true>(body, limits);
}

std::string EncodePartialSuccessProtobuf(int64_t rejected, std::string_view message) {
  if (rejected == 0 && message.empty()) return {};
  std::string inner;
  if (rejected != 0) {
    inner += '\x08';  // field 1, varint
    AppendVarint(inner, static_cast<uint64_t>(rejected));
  }
  if (!message.empty()) {
    inner += '\x12';  // field 2, length-delimited
    AppendVarint(inner, message.size());
    inner += message;
  }
  std::string out = "\x0a";  // field 1 (partial_success), length-delimited
  AppendVarint(out, inner.size());
  return out + inner;
}

}  // namespace aih::otlp
