#include "http/content_coding.h"

#include <zlib.h>

namespace aih::http {

Result<std::string> Gunzip(std::string_view body, size_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return Status::Internal("zlib could not start inflating");
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&z};
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  char chunk[64 * 1024];
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t produced = sizeof chunk - z.avail_out;
    if (out.size() + produced > max_bytes) {
      return Status::TooLarge("the request body inflates to more than the limit of " + std::to_string(max_bytes) +
                              " bytes; send smaller batches");
    }
    out.append(chunk, produced);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) return out;
      if (inflateReset(&z) != Z_OK) return Status::Internal("zlib could not continue inflating");
      continue;  // another gzip member follows
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      return Status::BadRequest("the gzip body is cut short: send the whole compressed body");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Status::BadRequest(std::string("the body is not valid gzip (Content-Encoding: gzip): ") +
                                (z.msg ? z.msg : "corrupt data"));
    }
  }
}

}  // namespace aih::http
