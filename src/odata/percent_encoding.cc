#include "odata/percent_encoding.h"

#include "odata/text.h"

namespace aih::odata {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      const int hi = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        // The raw text is not yet known to be UTF-8: show only the escape, which is cut to ASCII.
        std::string shown(text.substr(i, 3));
        for (char& ch : shown) {
          if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7F) ch = '?';
        }
        return Status::BadRequest("'" + shown + "' at position " + std::to_string(i + 1) +
                                  " is not a valid percent-escape; escapes are '%' and two hex digits, and a "
                                  "literal '%' is written %25");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  if (size_t bad = FindInvalidUtf8(out); bad != std::string_view::npos) {
    return Status::BadRequest("the decoded text is not valid UTF-8 (at byte " + std::to_string(bad + 1) +
                              "); percent-encode the UTF-8 bytes of the text");
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

}  // namespace aih::odata
