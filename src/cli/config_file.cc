// The only translation unit that includes toml++ (a heavy header): see config_file.h.
#include "cli/config_file.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace aih::cli {
namespace {

std::string Where(const std::string& source, const toml::source_region& region) {
  return region.begin.line > 0 ? source + ":" + std::to_string(region.begin.line) : source;
}

// "a string", "an integer", ...: what the file holds, for messages.
const char* Described(toml::node_type type) {
  switch (type) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

// What an option wants, for messages.
const char* Wanted(OptionKind kind) {
  switch (kind) {
    case OptionKind::kText: return "a string";
    case OptionKind::kInteger: return "an integer";
    case OptionKind::kNumber: return "a number";
    case OptionKind::kBoolean: return "true or false";
  }
  return "a value";
}

// One scalar as the command line would carry it, or an error naming what it is instead.
Result<std::string> Scalar(const toml::node& node, OptionKind kind) {
  switch (kind) {
    case OptionKind::kText:
      if (auto s = node.as_string()) return s->get();
      break;
    case OptionKind::kInteger:
      if (auto i = node.as_integer()) return std::to_string(i->get());
      break;
    case OptionKind::kNumber:
      if (auto i = node.as_integer()) return std::to_string(i->get());
      if (auto f = node.as_floating_point()) {
        char buffer[64];
        auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, f->get());
        if (error == std::errc()) return std::string(buffer, end);
      }
      break;
    case OptionKind::kBoolean:
      if (auto b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
      break;
  }
  return Status::BadRequest(std::string("must be ") + Wanted(kind) + ", got " + Described(node.type()));
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "unknown key 'prot' (did you mean 'port'?) ...": a typo is the usual cause.
std::string UnknownKey(std::string_view key, const std::vector<OptionSpec>& options) {
  std::string message = "unknown key '" + std::string(key) + "'";
  const OptionSpec* nearest = nullptr;
  size_t best = 3;  // at most two edits away
  for (const OptionSpec& o : options) {
    const size_t d = EditDistance(key, o.name);
    if (d < best) best = d, nearest = &o;
  }
  if (nearest) message += " (did you mean '" + nearest->name + "'?)";
  return message + ": the keys are the names of `aihistory serve`'s options without \"--\", at the top level";
}

}  // namespace

Result<FileSettings> ParseConfigFile(std::string_view text, const std::string& source,
                                     const std::vector<OptionSpec>& options) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return Status::BadRequest(source + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                              ": not valid TOML: " + std::string(e.description()));
  }
  FileSettings settings;
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    const std::string where = Where(source, key.source());
    auto spec = std::find_if(options.begin(), options.end(), [&](const OptionSpec& o) { return o.name == name; });
    if (spec == options.end()) return Status::BadRequest(where + ": " + UnknownKey(name, options));
    FileSetting setting;
    setting.line = static_cast<int>(key.source().begin.line);
    if (const toml::array* array = node.as_array()) {
      if (!spec->repeatable) {
        return Status::BadRequest(where + ": " + name + " must be " + Wanted(spec->kind) + ", got an array (" + name +
                                  " is not repeatable)");
      }
      for (size_t i = 0; i < array->size(); ++i) {
        auto value = Scalar(*array->get(i), spec->kind);
        if (!value.ok()) return value.status().WithContext(where + ": " + name + "[" + std::to_string(i) + "]");
        setting.values.push_back(std::move(*value));
      }
    } else {
      auto value = Scalar(node, spec->kind);
      if (!value.ok()) {
        return Status::BadRequest(where + ": " + name + " " + value.status().message() +
                                  (node.is_table() ? " (the file has no sections: every key is at the top level)" : ""));
      }
      setting.values.push_back(std::move(*value));
    }
    settings.emplace(name, std::move(setting));
  }
  return settings;
}

Result<FileSettings> ReadConfigFile(const std::string& path, const std::vector<OptionSpec>& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadRequest("cannot read the configuration file " + path);
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::BadRequest("cannot read the configuration file " + path);
  return ParseConfigFile(text.str(), path, options);
}

std::string EnvironmentName(std::string_view option) {
  std::string name = "AIH_";
  for (char c : option) name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> items;
  while (!value.empty()) {
    const size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return items;
}

}  // namespace aih::cli
