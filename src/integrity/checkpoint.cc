#include "integrity/checkpoint.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/base64.h"

namespace aih::integrity {
namespace {

Status CheckLine(std::string_view line, const char* what) {
  if (line.empty()) return Status::BadRequest(std::string("a checkpoint's ") + what + " may not be empty");
  for (unsigned char c : line) {
    if (c < 0x20 || c == 0x7f) {
      return Status::BadRequest(std::string("a checkpoint's ") + what + " may not hold a newline or control character");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  AIH_RETURN_IF_ERROR(CheckLine(checkpoint.origin, "origin"));
  for (const std::string& line : checkpoint.extensions) AIH_RETURN_IF_ERROR(CheckLine(line, "extension line"));
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                     Base64Encode(std::string_view(reinterpret_cast<const char*>(checkpoint.root.data()),
                                                   checkpoint.root.size())) +
                     "\n";
  for (const std::string& line : checkpoint.extensions) text += line + "\n";
  return text;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') return Status::BadRequest("a checkpoint must end with a newline");
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() < 3) return Status::BadRequest("a checkpoint has at least three lines: origin, tree size, root hash");
  Checkpoint checkpoint;
  AIH_RETURN_IF_ERROR(CheckLine(lines[0], "origin"));
  checkpoint.origin = std::string(lines[0]);
  const std::string_view size = lines[1];
  if (size.empty() || size.size() > 20 || (size.size() > 1 && size[0] == '0') ||
      size.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::BadRequest("a checkpoint's second line is its tree size in decimal, without leading zeros: '" +
                              std::string(size) + "'");
  }
  errno = 0;
  checkpoint.size = std::strtoull(std::string(size).c_str(), nullptr, 10);
  if (errno == ERANGE) return Status::BadRequest("a checkpoint's tree size is too large: " + std::string(size));
  auto root = Base64Decode(lines[2]);
  if (!root.ok() || root->size() != checkpoint.root.size()) {
    return Status::BadRequest("a checkpoint's third line is the base64 of a 32-byte root hash: '" + std::string(lines[2]) + "'");
  }
  std::memcpy(checkpoint.root.data(), root->data(), checkpoint.root.size());
  for (size_t i = 3; i < lines.size(); ++i) {
    AIH_RETURN_IF_ERROR(CheckLine(lines[i], "extension line"));
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

}  // namespace aih::integrity
