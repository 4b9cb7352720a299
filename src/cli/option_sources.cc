#include "cli/option_sources.h"

#include <cstdlib>

namespace aih::cli {
namespace {

// Gives `option` the values as if typed on the command line, with CLI11's conversions and checks.
// No values (an empty array, a variable of commas) leave a list option at its default, empty.
Status Give(const SourcedOption& option, const std::vector<std::string>& values, const std::string& source) {
  if (values.empty()) return Status::Ok();
  const std::string refused = option.give(values);
  if (refused.empty()) return Status::Ok();
  return Status::BadRequest(source + ": " + option.spec.name + ": " + refused);
}

}  // namespace

std::string ConfigFileLocation(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv(kConfigEnvironmentVariable);
  return env ? env : "";
}

std::vector<OptionSpec> SpecsOf(const std::vector<SourcedOption>& options) {
  std::vector<OptionSpec> specs;
  for (const SourcedOption& o : options) specs.push_back(o.spec);
  return specs;
}

Result<Configuration> ApplyOptionSources(const std::vector<SourcedOption>& options, const std::string& config_file) {
  Configuration configuration;
  configuration.file = config_file;
  FileSettings file;
  if (!config_file.empty()) {
    auto read = ReadConfigFile(config_file, SpecsOf(options));
    if (!read.ok()) return read.status();
    file = std::move(*read);
  }
  for (const SourcedOption& option : options) {
    EffectiveOption effective{option.spec, {}, "default"};
    const std::string& name = option.spec.name;
    const std::string env_name = EnvironmentName(name);
    const char* env = std::getenv(env_name.c_str());
    auto in_file = file.find(name);
    if (!option.given.empty()) {
      effective.source = "flag";
      effective.values = option.given;
    } else if (env != nullptr && *env != '\0') {
      effective.source = "env " + env_name;
      effective.values = option.spec.repeatable ? SplitList(env) : std::vector<std::string>{env};
      AIH_RETURN_IF_ERROR(Give(option, effective.values, "environment variable " + env_name));
    } else if (in_file != file.end()) {
      const std::string where = config_file + ":" + std::to_string(in_file->second.line);
      effective.source = "file " + where;
      effective.values = in_file->second.values;
      AIH_RETURN_IF_ERROR(Give(option, effective.values, where));
    } else if (std::string shown = option.default_shown; !shown.empty()) {
      // A list's default is shown as "[a,b]".
      if (option.spec.repeatable && shown.front() == '[' && shown.back() == ']') shown = shown.substr(1, shown.size() - 2);
      effective.values = option.spec.repeatable ? SplitList(shown) : std::vector<std::string>{shown};
    } else if (option.flag) {
      effective.values = {"false"};  // a flag not given is off
    }
    configuration.options.push_back(std::move(effective));
  }
  return configuration;
}

}  // namespace aih::cli
