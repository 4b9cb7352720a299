#include "base/guid.h"

#include "base/env.h"

namespace aih {

Result<std::string> NewGuid() {
  unsigned char b[16];
  if (!Env::Default().Random(b, sizeof b)) return Status::Internal("the system random generator failed");
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return FormatGuid(b);
}

std::string FormatGuid(const unsigned char (&b)[16]) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;  // a loop, not snprintf: notifications make one each (notify/notification_json.cc)
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kDigits[b[i] >> 4];
    out += kDigits[b[i] & 15];
  }
  return out;
}

}  // namespace aih
