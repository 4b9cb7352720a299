// FetchUrl: one GET of an http:// or https:// URL, for small documents fetched now and then (a
// trusted issuer's JWKS).
//
// HTTPS verifies the server's certificate against the system's trusted CAs and its host name. The
// whole exchange is bounded by a timeout and the body by a size limit; anything but a 200 is an error
// naming the URL and what went wrong. Blocking, one connection per call: callers fetch rarely and
// cache what they get.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace aih::http {

struct FetchOptions {
  int timeout_seconds = 10;
  size_t max_body_bytes = 1024 * 1024;
};

// The body of a 200 response to GET `url`; kUnavailable when the server cannot be reached or does not
// answer 200 in time, kBadRequest for a URL that is not http(s)://host[:port][/path].
Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options = {});

}  // namespace aih::http
