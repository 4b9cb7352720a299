// `aihistory config check`: a configuration file checked as `serve` would read it, without starting
// anything (commands.h).
#include <iostream>

#include "cli/commands.h"
#include "cli/configuration_report.h"
#include "cli/option_sources.h"

namespace aih::cli {

int RunConfigCheck(const std::string& file, const std::vector<SourcedOption>& serve_options, const ServeOptions& serve) {
  if (file.empty()) {
    std::cerr << "aihistory config check: give the file to check: aihistory config check FILE (or set "
              << kConfigEnvironmentVariable << ")" << std::endl;
    return kUsageExitCode;
  }
  auto configuration = ApplyOptionSources(serve_options, file);
  if (!configuration.ok()) {
    std::cerr << "aihistory config check: " << configuration.status().message() << std::endl;
    return 1;
  }
  Status usable = CheckServeOptions(serve);
  if (!usable.ok()) {
    std::cerr << "aihistory config check: " << file << ": " << usable.message() << std::endl;
    return 1;
  }
  std::cout << "# " << file << " is valid. The effective configuration of `aihistory serve --config " << file
            << "`,\n# each value's source after it (flags on serve's command line would override them):\n";
  for (const std::string& line : DescribeConfiguration(*configuration)) std::cout << line << "\n";
  return 0;
}

}  // namespace aih::cli
