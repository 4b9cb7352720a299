#include "cli/option_sources.h"

#include <CLI/CLI.hpp>

#include <cstdlib>

namespace aih::cli {
namespace {

bool Configurable(const CLI::Option& option) {
  if (option.get_lnames().empty() || !option.get_configurable()) return false;
  const std::string& name = option.get_lnames().front();
  return name != "help" && name != "config";
}

OptionSpec SpecOf(const CLI::Option& option) {
  OptionSpec spec;
  spec.name = option.get_lnames().front();
  // "INT", "FLOAT:NUMBER in [0 - 1e9]" (a check adds its description after a colon), ...
  const std::string full_type = option.get_type_name();
  const std::string type = full_type.substr(0, full_type.find(':'));
  if (option.get_expected_max() == 0 || type == "BOOLEAN") {
    spec.kind = OptionKind::kBoolean;  // a flag, or an option taking true/false
  } else if (type == "INT" || type == "UINT") {
    spec.kind = OptionKind::kInteger;
  } else if (type == "FLOAT") {
    spec.kind = OptionKind::kNumber;
  }
  spec.repeatable = option.get_expected_max() != 0 && option.get_items_expected_max() > 1;
  return spec;
}

// Gives `option` the values as if typed on the command line, with CLI11's conversions and checks.
// No values (an empty array, a variable of commas) leave a list option at its default, empty.
Status Give(CLI::Option& option, const std::vector<std::string>& values, const std::string& source) {
  if (values.empty()) return Status::Ok();
  try {
    for (const std::string& v : values) option.add_result(v);
    option.run_callback();
  } catch (const CLI::Error& e) {
    return Status::BadRequest(source + ": " + option.get_lnames().front() + ": " + e.what());
  }
  return Status::Ok();
}

}  // namespace

std::string ConfigFileLocation(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv(kConfigEnvironmentVariable);
  return env ? env : "";
}

std::vector<OptionSpec> ConfigurableOptions(const CLI::App& command) {
  std::vector<OptionSpec> specs;
  for (const CLI::Option* option : command.get_options()) {
    if (Configurable(*option)) specs.push_back(SpecOf(*option));
  }
  return specs;
}

Result<Configuration> ApplyOptionSources(CLI::App& command, const std::string& config_file) {
  Configuration configuration;
  configuration.file = config_file;
  FileSettings file;
  if (!config_file.empty()) {
    auto read = ReadConfigFile(config_file, ConfigurableOptions(command));
    if (!read.ok()) return read.status();
    file = std::move(*read);
  }
  for (CLI::Option* option : command.get_options()) {
    if (!Configurable(*option)) continue;
    EffectiveOption effective{SpecOf(*option), {}, "default"};
    const std::string& name = effective.spec.name;
    const std::string env_name = EnvironmentName(name);
    const char* env = std::getenv(env_name.c_str());
    auto in_file = file.find(name);
    if (option->count() > 0) {
      effective.source = "flag";
      effective.values = option->results();
    } else if (env != nullptr && *env != '\0') {
      effective.source = "env " + env_name;
      effective.values = effective.spec.repeatable ? SplitList(env) : std::vector<std::string>{env};
      AIH_RETURN_IF_ERROR(Give(*option, effective.values, "environment variable " + env_name));
    } else if (in_file != file.end()) {
      effective.source = "file " + config_file + ":" + std::to_string(in_file->second.line);
      effective.values = in_file->second.values;
      AIH_RETURN_IF_ERROR(Give(*option, effective.values, config_file + ":" + std::to_string(in_file->second.line)));
    } else if (std::string shown = option->get_default_str(); !shown.empty()) {
      // A list's default is shown as "[a,b]".
      if (effective.spec.repeatable && shown.front() == '[' && shown.back() == ']') shown = shown.substr(1, shown.size() - 2);
      effective.values = effective.spec.repeatable ? SplitList(shown) : std::vector<std::string>{shown};
    } else if (option->get_expected_max() == 0) {
      effective.values = {"false"};  // a flag not given is off
    }
    configuration.options.push_back(std::move(effective));
  }
  return configuration;
}

}  // namespace aih::cli
