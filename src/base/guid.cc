#include "base/guid.h"

#include <cstdio>

#include "base/env.h"

namespace aih {

Result<std::string> NewGuid() {
  unsigned char b[16];
  if (!Env::Default().Random(b, sizeof b)) return Status::Internal("the system random generator failed");
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return std::string(out);
}

}  // namespace aih
