// The effective configuration as an operator reads it: one line per option, in TOML, with where
// its value came from ("port = 8080  # env AIH_PORT"), secrets masked (secret_mask.h). `serve`
// logs it at start; `aihistory config check` prints it (and its output is itself a valid file).
#pragma once

#include <string>
#include <vector>

#include "cli/option_sources.h"

namespace aih::cli {

// One line per option: `key = value  # source`, or `# key: not set  # default` when it has none.
std::vector<std::string> DescribeConfiguration(const Configuration& configuration);

// One structured log line, event "configuration": the file, and each option as a field whose value
// is a line of DescribeConfiguration without its key ("8080  # env AIH_PORT"). The one place `serve`
// reports its configuration; call it once the log is configured (its file, level and format).
void LogConfiguration(const Configuration& configuration);

}  // namespace aih::cli
