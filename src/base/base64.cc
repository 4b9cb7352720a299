#include "base/base64.h"

#include <array>
#include <cstdint>
#include <cstdio>

namespace aih {
namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr int8_t kInvalid = -1;

constexpr std::array<int8_t, 256> DecodeTable(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr auto kStandardTable = DecodeTable(kStandard);
constexpr auto kUrlSafeTable = DecodeTable(kUrlSafe);

std::string Encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1]) << 8 |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

std::string Describe(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  char buffer[16];
  if (u > 0x20 && u < 0x7f) {
    std::snprintf(buffer, sizeof buffer, "'%c'", c);
  } else {
    std::snprintf(buffer, sizeof buffer, "byte 0x%02x", u);
  }
  return buffer;
}

// Decodes unpadded `text` (its length is not 1 mod 4). `name` is the encoding, for messages.
Result<std::string> DecodeUnpadded(std::string_view text, const std::array<int8_t, 256>& table,
                                   const char* name) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int8_t v = table[static_cast<unsigned char>(text[i])];
    if (v == kInvalid) {
      return Status::BadRequest("invalid " + std::string(name) + " character " + Describe(text[i]) +
                                " at position " + std::to_string(i));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // The last character carries 2 or 4 bits that belong to no byte; an encoder writes them as zero.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return Status::BadRequest("the last " + std::string(name) + " character (position " +
                              std::to_string(text.size() - 1) +
                              ") has non-zero unused bits: the text is not a canonical encoding");
  }
  return out;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, kUrlSafe, false); }
std::string Base64Encode(std::string_view bytes) { return Encode(bytes, kStandard, true); }

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return Status::BadRequest("a base64url text cannot be " + std::to_string(text.size()) +
                              " characters long: it is truncated");
  }
  return DecodeUnpadded(text, kUrlSafeTable, "base64url");
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return Status::BadRequest("a base64 text must be padded with '=' to a multiple of 4 characters; "
                              "this one has " + std::to_string(text.size()));
  }
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  // Any other '=' (a third one, or one inside the text) is refused as a character below.
  return DecodeUnpadded(text.substr(0, text.size() - padding), kStandardTable, "base64");
}

}  // namespace aih
