#include "cli/secret_mask.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "base/ascii.h"

namespace aih::cli {
namespace {

constexpr std::string_view kMask = "***";

// scheme://user:password@host...: the password of every URL in `value`.
void MaskUrlPasswords(std::string& value) {
  for (size_t scheme = value.find("://"); scheme != std::string::npos; scheme = value.find("://", scheme + 3)) {
    const size_t start = scheme + 3;
    const size_t authority_end = std::min(value.find_first_of("/?#", start), value.size());
    const size_t at = value.rfind('@', authority_end);
    if (at == std::string::npos || at < start) continue;
    const size_t colon = value.find(':', start);
    if (colon == std::string::npos || colon > at) continue;
    value.replace(colon + 1, at - colon - 1, kMask);
  }
}

// password=... (a URL's query or a libpq keyword string): up to the next '&' or blank.
void MaskPasswordParameters(std::string& value) {
  const std::string lower = AsciiLower(value);
  std::string out;
  size_t copied = 0;
  for (size_t at = lower.find("password="); at != std::string::npos; at = lower.find("password=", at + 1)) {
    const size_t start = at + 9;
    const size_t end = std::min(lower.find_first_of("& \t", start), lower.size());
    out.append(value, copied, start - copied);
    out.append(kMask);
    copied = end;
  }
  out.append(value, copied, std::string::npos);
  value = std::move(out);
}

}  // namespace

bool IsSecretOption(std::string_view option) {
  const std::string name = AsciiLower(option);
  static constexpr std::array<std::string_view, 6> kWords = {"password", "passwd", "secret", "token", "credential",
                                                             "api-key"};
  return std::any_of(kWords.begin(), kWords.end(), [&](std::string_view w) { return name.find(w) != std::string::npos; });
}

std::string MaskSecret(std::string_view option, std::string_view value) {
  if (IsSecretOption(option)) return value.empty() ? std::string() : std::string(kMask);
  std::string masked(value);
  MaskUrlPasswords(masked);
  MaskPasswordParameters(masked);
  return masked;
}

}  // namespace aih::cli
