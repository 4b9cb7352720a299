#include "base/json_string.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace aih {
namespace {

// For each byte: 0 if it is written as is, else the character after the backslash ('u' for \u00XX).
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

// Whether any of the 8 bytes in `word` is a control character, a quote or a backslash ("Bit
// Twiddling Hacks": hasless and haszero; bytes >= 0x80 of UTF-8 text are never flagged).
bool NeedsEscape(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
  const uint64_t quote = word ^ (kOnes * '"');
  const uint64_t backslash = word ^ (kOnes * '\\');
  const uint64_t quote_or_backslash =
      ((quote - kOnes) & ~quote & kHighs) | ((backslash - kOnes) & ~backslash & kHighs);
  return (below_space | quote_or_backslash) != 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  const char* data = text.data();
  const size_t size = text.size();
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = 0;
  while (i < size) {
    // Bodies are long and rarely need escapes: skip 8 clean bytes at a time.
    if (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, data + i, 8);
      if (!NeedsEscape(word)) {
        i += 8;
        continue;
      }
    }
    for (const size_t stop = std::min(size, i + 8); i < stop; ++i) {
      const unsigned char c = static_cast<unsigned char>(data[i]);
      const char escape = kEscapes[c];
      if (escape == 0) continue;
      out.append(data + run, i - run);
      run = i + 1;
      out += '\\';
      out += escape;
      if (escape == 'u') {
        out += "00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  }
  out.append(data + run, size - run);
  out += '"';
}

}  // namespace aih
