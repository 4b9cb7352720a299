#include "api/admin_route.h"

#include "odata/percent_encoding.h"

namespace aih::api {

// The value of query parameter `name`, percent-decoded, or empty.
Result<std::string> QueryParam(const http::Request& request, std::string_view name) {
  std::string_view query = request.query();
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    return odata::PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
  }
  return std::string();
}

}  // namespace aih::api
