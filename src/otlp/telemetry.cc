#include "otlp/telemetry.h"

#include <cmath>
#include <cstdio>

#include "base/base64.h"
#include "base/json_string.h"

namespace aih::otlp {
namespace {

std::string Number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void AppendJson(std::string& out, const AnyValue& v) {
  switch (v.kind) {
    case AnyValue::Kind::kEmpty: out += "null"; return;
    case AnyValue::Kind::kString: AppendJsonString(out, v.text); return;
    case AnyValue::Kind::kBytes: AppendJsonString(out, Base64Encode(v.text)); return;
    case AnyValue::Kind::kBool: out += v.boolean ? "true" : "false"; return;
    case AnyValue::Kind::kInt: out += std::to_string(v.integer); return;
    case AnyValue::Kind::kDouble: out += Number(v.number); return;
    case AnyValue::Kind::kArray:
      out += '[';
      for (size_t i = 0; i < v.array.size(); ++i) {
        if (i) out += ',';
        AppendJson(out, v.array[i]);
      }
      out += ']';
      return;
    case AnyValue::Kind::kKvList:
      out += '{';
      for (size_t i = 0; i < v.kvlist.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(out, v.kvlist[i].key);
        out += ':';
        AppendJson(out, v.kvlist[i].value);
      }
      out += '}';
      return;
  }
}

}  // namespace

std::string AnyValue::ToText() const {
  switch (kind) {
    case Kind::kEmpty: return {};
    case Kind::kString: return text;
    case Kind::kBytes: return Base64Encode(text);
    default: return ToJson();
  }
}

std::string AnyValue::ToJson() const {
  std::string out;
  AppendJson(out, *this);
  return out;
}

const AnyValue* AnyValue::Find(std::string_view key) const {
  if (kind != Kind::kKvList) return nullptr;
  return FindAttribute(kvlist, key);
}

const AnyValue* FindAttribute(const Attributes& attributes, std::string_view key) {
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    if (it->key == key) return &it->value;
  }
  return nullptr;
}

std::string AttributeText(const Attributes& attributes, std::string_view key) {
  const AnyValue* v = FindAttribute(attributes, key);
  return v ? v->ToText() : std::string();
}

size_t Telemetry::span_count() const {
  size_t n = 0;
  for (const auto& r : resources) n += r.spans.size();
  return n;
}
size_t Telemetry::log_count() const {
  size_t n = 0;
  for (const auto& r : resources) n += r.logs.size();
  return n;
}

}  // namespace aih::otlp
