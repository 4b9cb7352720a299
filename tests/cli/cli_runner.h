// Running the aihistory binary as a user would, for the command-line tests: with a given standard
// input, extra environment variables, and either files (no terminal) or a pseudo-terminal.
#pragma once

#include <string>
#include <vector>

namespace aih::testing {

struct CliResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;     // standard output (on a terminal: everything the terminal showed)
  std::string err;     // standard error (empty on a terminal)
};

// Runs AIH_BINARY with `args`; standard input reads `input`, and is not a terminal. `env` adds
// "NAME=value" entries to the test's own environment.
CliResult RunCli(const std::vector<std::string>& args, const std::string& input = "",
                 const std::vector<std::string>& env = {});

// Runs it on a new pseudo-terminal (standard input, output and error all the terminal), typing
// `input`; returns what the terminal showed (line ends as the terminal writes them, "\r\n").
CliResult RunCliOnTerminal(const std::vector<std::string>& args, const std::string& input = "");

}  // namespace aih::testing
