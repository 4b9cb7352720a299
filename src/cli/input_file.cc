#include "cli/input_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace aih::cli {

Result<std::string> ReadInput(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadRequest("cannot read " + path + " (" + std::strerror(errno) + ")");
  text << in.rdbuf();
  if (in.bad()) return Status::BadRequest("cannot read " + path);
  return text.str();
}

}  // namespace aih::cli
