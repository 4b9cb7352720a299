// What every admin resource file shares: a handler's reply, and the function that adds a route behind
// the admin key (admin_resource.cc makes it; the other admin files only call it).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "directory/json_fields.h"
#include "http/message.h"
#include "http/router.h"

namespace aih::api {

// What an admin handler answers when it succeeds (a failure is a Status, sent as a Graph error).
struct AdminReply {
  AdminReply(int status_code = 200, std::string json = {}) : status(status_code), body(std::move(json)) {}
  int status = 200;
  std::string body;  // JSON; empty with 204
  std::string content_type;  // empty: JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

using AdminHandler = std::function<Result<AdminReply>(const http::Request&, const http::PathParams&)>;
// The value of query parameter `name` of `request`, percent-decoded (a '+' is a space), or empty;
// 400 when it is not valid percent-encoding.
Result<std::string> QueryParam(const http::Request& request, std::string_view name);

// The JSON that admin replies share (written once here: every admin resource file uses them).
// Appends ,"name": and the JSON string `value`.
void AppendJsonMember(std::string& out, const char* name, std::string_view value);
// {"value":[...]}, each item written by `to_json`.
template <typename T, typename F>
std::string JsonList(const std::vector<T>& items, F to_json) {
  std::string out = "{\"value\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += to_json(items[i]);
  }
  return out + "]}";
}
// The {tenant} path parameter as a canonical GUID; 400 naming it when it is not one.
Result<std::string> AdminTenantParam(const http::PathParams& p);
// The request's JSON object body; 400 when there is none or it is not an object.
Result<directory::JsonFields> AdminJsonBody(const http::Request& request);

using AddAdminRoute = std::function<void(const char* method, const std::string& pattern, AdminHandler handler)>;

}  // namespace aih::api
