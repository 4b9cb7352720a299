// Where a command's options come from: the command line, else the environment, else the
// configuration file, else the built-in default (issue 18; the keys and names: config_file.h).
//
// Generic over a CLI11 command: every long option it declares (but --help and --config) is
// read from AIH_<NAME> and from the file's key <name>, so an option added to `serve` later needs no
// code here. Values from the environment and the file go through the option exactly as command-line
// text would (CLI11's conversions and checks: ranges, choices), and an error names the variable or
// the file's line. (CLI11's own config and envname support is not used: CLI11 2.1 reads a config file
// only for the top-level command, and lets the file win over the environment.)
//
// Options given as flags on the command line keep their values. Call ApplyOptionSources once, after
// CLI11 parsed the command line, from the main thread, before the command runs.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "cli/config_file.h"

namespace CLI {
class App;
}

namespace aih::cli {

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

// The specs of `command`'s configurable options (long options but --help and --config).
std::vector<OptionSpec> ConfigurableOptions(const CLI::App& command);

// Fills each option of `command` that the command line did not give from the environment, else from
// the file at `config_file` ("" for none), and reports every option's value and source. Fails,
// naming the variable or file line, on an unreadable or invalid file or a value the option refuses.
Result<Configuration> ApplyOptionSources(CLI::App& command, const std::string& config_file);

}  // namespace aih::cli
