// The configuration file of `aihistory serve` (TOML) and the environment variables' names.
//
// One rule names every setting: a key is a serve flag's name without its "--" (port,
// max-connections, trust-issuer), at the top level of the file (no tables); the environment
// variable is AIH_ and that name upper-cased with '-' as '_' (AIH_MAX_CONNECTIONS). A repeatable
// option is a TOML array (or one value) in the file, comma-separated in the environment.
//
// This file knows nothing of CLI11: ParseConfigFile checks the file against the options' specs
// (unknown keys, wrong types, malformed TOML: each an error naming the key and its line) and
// returns every setting as the strings the command line would have carried, so that the command
// line's own conversions and checks (ranges, choices) apply to every source (option_sources.h).
// config_file.cc is the only translation unit that includes toml++. Pure functions, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::cli {

// What a setting's value must be, as TOML sees it.
enum class OptionKind { kText, kInteger, kNumber, kBoolean };

struct OptionSpec {
  std::string name;         // the flag without "--": the file's key
  OptionKind kind = OptionKind::kText;
  bool repeatable = false;  // a list: a TOML array, a comma-separated variable
};

// One key of the file: its values as command-line strings ("8080", "true", "10.0.0.0/8") and its line.
struct FileSetting {
  std::vector<std::string> values;
  int line = 0;
};
using FileSettings = std::map<std::string, FileSetting>;

// Reads the file at `path` (errors start with "<path>:<line>:" where toml++ gives the line).
Result<FileSettings> ReadConfigFile(const std::string& path, const std::vector<OptionSpec>& options);
// The same for text already read; `source` names it in messages.
Result<FileSettings> ParseConfigFile(std::string_view text, const std::string& source,
                                     const std::vector<OptionSpec>& options);

// "max-connections" -> "AIH_MAX_CONNECTIONS".
std::string EnvironmentName(std::string_view option);
// A repeatable option's environment value: comma-separated, each item trimmed, empty items dropped.
std::vector<std::string> SplitList(std::string_view value);

}  // namespace aih::cli
