#include "api/admin_route.h"

#include "directory/identifiers.h"
#include "model/interaction_writer.h"
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

void AppendJsonMember(std::string& out, const char* name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  model::AppendJsonString(out, value);
}

Result<std::string> AdminTenantParam(const http::PathParams& p) {
  return directory::CanonicalGuid(p.at("tenant"), "tenant id");
}

Result<directory::JsonFields> AdminJsonBody(const http::Request& request) {
  if (request.body.empty()) return Status::BadRequest("the request needs a JSON object body");
  return directory::JsonFields::Parse(request.body);
}

}  // namespace aih::api
