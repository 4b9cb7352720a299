#include "cli/confirm.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <string>

namespace aih::cli {

Status Confirm(const std::string& what, bool yes) {
  std::fprintf(stderr, "%s\n", what.c_str());
  if (yes) return Status::Ok();
  if (isatty(STDIN_FILENO) != 1 || isatty(STDERR_FILENO) != 1) {
    return Status::Forbidden("nothing deleted: standard input is not a terminal, so there is no one to confirm; "
                             "add --yes to delete without asking (e.g. in a script)");
  }
  std::fprintf(stderr, "Delete? [y/N] ");
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) answer.clear();
  std::string lower;
  for (char c : answer) {
    if (!std::isspace(static_cast<unsigned char>(c))) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (lower == "y" || lower == "yes") return Status::Ok();
  return Status::Forbidden("nothing deleted: not confirmed");
}

}  // namespace aih::cli
