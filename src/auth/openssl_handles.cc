#include "auth/openssl_handles.h"

#include <cstdio>
#include <cstdlib>

#include <openssl/err.h>

namespace aih::auth::internal {

std::string OpenSslError() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!out.empty()) out += "; ";
    out += buffer;
  }
  return out.empty() ? "no detail from OpenSSL" : out;
}

void CryptoFailure(const char* what) {
  std::fprintf(stderr, "aihistory: fatal: %s failed (%s)\n", what, OpenSslError().c_str());
  std::abort();
}

}  // namespace aih::auth::internal
