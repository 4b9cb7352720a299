#include "cli/configuration_report.h"

#include <cstdlib>
#include <iostream>

#include "base/json_string.h"
#include "base/log.h"
#include "base/utf8.h"
#include "cli/secret_mask.h"

namespace aih::cli {
namespace {

// A TOML basic string: JSON's escapes, which TOML shares (base/json_string.h), over the value made
// valid UTF-8 (TOML allows nothing else), and DEL escaped too (TOML, unlike JSON, forbids it raw).
std::string Quoted(const std::string& s) {
  std::string json;
  AppendJsonString(json, ValidUtf8(s));
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '\x7f') {
      out += "\\u007f";
    } else {
      out += c;
    }
  }
  return out;
}

bool IsNumber(const std::string& s, bool integer) {
  if (s.empty()) return false;
  char* end = nullptr;
  if (integer) {
    std::strtoll(s.c_str(), &end, 10);
  } else {
    std::strtod(s.c_str(), &end);
  }
  return *end == '\0' && s.find_first_of("xXnN") == std::string::npos;  // no hex, nan or inf
}

// A value as TOML writes it; booleans as the command line spells them (1, yes, on) become true/false.
std::string TomlValue(OptionKind kind, const std::string& value) {
  switch (kind) {
    case OptionKind::kInteger:
      if (IsNumber(value, true)) return value;
      break;
    case OptionKind::kNumber:
      if (IsNumber(value, false)) return value;
      break;
    case OptionKind::kBoolean:
      if (value == "true" || value == "1" || value == "yes" || value == "on") return "true";
      if (value == "false" || value == "0" || value == "no" || value == "off") return "false";
      break;
    case OptionKind::kText:
      break;
  }
  return Quoted(value);
}

}  // namespace

std::vector<std::string> DescribeConfiguration(const Configuration& configuration) {
  std::vector<std::string> lines;
  for (const EffectiveOption& option : configuration.options) {
    const std::string& name = option.spec.name;
    const std::string source = "  # " + option.source;
    if (option.values.empty() && !option.spec.repeatable) {
      lines.push_back("# " + name + ": not set" + source);
      continue;
    }
    std::string value;
    for (const std::string& v : option.values) {
      if (!value.empty()) value += ", ";
      value += TomlValue(option.spec.kind, MaskSecret(name, v));
    }
    if (option.spec.repeatable) value = "[" + value + "]";
    lines.push_back(name + " = " + value + source);
  }
  return lines;
}

void LogConfiguration(const Configuration& configuration) {
  log::Line line(log::Level::kInfo, "configuration");
  line.Str("file", configuration.file.empty() ? "(none)" : configuration.file);
  const std::vector<std::string> described = DescribeConfiguration(configuration);
  for (size_t i = 0; i < described.size() && i < configuration.options.size(); ++i) {
    const std::string& name = configuration.options[i].spec.name;
    const std::string& text = described[i];
    const std::string set = name + " = ";
    line.Str(name, text.rfind(set, 0) == 0 ? text.substr(set.size()) : "not set  # " + configuration.options[i].source);
  }
}

}  // namespace aih::cli
