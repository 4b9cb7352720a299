// Where a command's options come from: the command line, else the environment, else the
// configuration file, else the built-in default (issue 18; the keys and names: config_file.h).
//
// Generic over a CLI11 command: CommandOptions takes every long option it declares (but --help and
// --config), and ApplyOptionSources reads each from AIH_<NAME> and from the file's key <name>, so an
// option added to `serve` later needs no code here. Values from the environment and the file go
// through the option exactly as command-line text would (CLI11's conversions and checks: ranges,
// choices), and an error names the variable or the file's line. Options given on the command line
// keep their values. (CLI11's own config and envname support is not used: CLI11 2.1 reads a config
// file only for the top-level command, and lets the file win over the environment.)
//
// CommandOptions is a template so that this header and option_sources.cc need not include CLI11 (a
// heavy header): it is instantiated where the command is declared (main.cc, tests). Call
// ApplyOptionSources once, after CLI11 parsed the command line, from the main thread, before the
// command runs; the options must outlive the call.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cli/config_file.h"

namespace aih::cli {

// One option of a command, as the sources see it.
struct SourcedOption {
  OptionSpec spec;
  bool flag = false;                     // takes no value on the command line (--webhook-allow-http)
  std::vector<std::string> given;        // its values on the command line; empty: not given there
  std::string default_shown;             // its default as help shows it ("" when none is shown)
  // Gives it `values` as if typed on the command line; "" or what the option refused.
  std::function<std::string(const std::vector<std::string>& values)> give;
};

// One option's effective value and where it came from.
struct EffectiveOption {
  OptionSpec spec;
  std::vector<std::string> values;  // as command-line text; empty: not set (no default either)
  std::string source;               // "flag", "env AIH_PORT", "file /etc/aihistory/aihistory.toml:3", "default"
};

struct Configuration {
  std::string file;                     // the configuration file read, if any
  std::vector<EffectiveOption> options; // in the order the command declares them
};

// The environment variable naming the file when --config is not given.
inline constexpr const char* kConfigEnvironmentVariable = "AIH_CONFIG";

// The file to read: `flag` (--config) when given, else $AIH_CONFIG, else none ("").
std::string ConfigFileLocation(const std::string& flag);

std::vector<OptionSpec> SpecsOf(const std::vector<SourcedOption>& options);

// Fills each option that the command line did not give from the environment, else from the file at
// `config_file` ("" for none), and reports every option's value and source. Fails, naming the
// variable or file line, on an unreadable or invalid file or a value an option refuses.
Result<Configuration> ApplyOptionSources(const std::vector<SourcedOption>& options, const std::string& config_file);

// The configurable options of a CLI11 command (CLI::App): its long options but --help and --config.
template <typename Command>
std::vector<SourcedOption> CommandOptions(Command& command) {
  std::vector<SourcedOption> options;
  for (auto* option : command.get_options()) {
    if (option->get_lnames().empty() || !option->get_configurable()) continue;
    SourcedOption o;
    o.spec.name = option->get_lnames().front();
    if (o.spec.name == "help" || o.spec.name == "config") continue;
    // "INT", "FLOAT:NUMBER in [0 - 1e9]" (a check adds its description after a colon), ...
    const std::string full_type = option->get_type_name();
    const std::string type = full_type.substr(0, full_type.find(':'));
    o.flag = option->get_expected_max() == 0;
    if (o.flag || type == "BOOLEAN") {
      o.spec.kind = OptionKind::kBoolean;
    } else if (type == "INT" || type == "UINT") {
      o.spec.kind = OptionKind::kInteger;
    } else if (type == "FLOAT") {
      o.spec.kind = OptionKind::kNumber;
    }
    o.spec.repeatable = !o.flag && option->get_items_expected_max() > 1;
    if (option->count() > 0) o.given = option->results();
    o.default_shown = option->get_default_str();
    o.give = [option](const std::vector<std::string>& values) -> std::string {
      try {
        for (const std::string& v : values) option->add_result(v);
        option->run_callback();
      } catch (const std::exception& e) {  // CLI::ConversionError, CLI::ValidationError
        return e.what();
      }
      return "";
    };
    options.push_back(std::move(o));
  }
  return options;
}

}  // namespace aih::cli
