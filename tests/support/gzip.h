// Gzip: `text` compressed as a client compresses a request body (Content-Encoding: gzip), for the
// tests of the server's inflation. Header-only: zlib comes with aih_http.
#pragma once

#include <zlib.h>

#include <string>
#include <string_view>

namespace aih::testing {

inline std::string Gzip(std::string_view text) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace aih::testing
