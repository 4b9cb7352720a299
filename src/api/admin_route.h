// What every admin resource file shares: a handler's reply, and the function that adds a route behind
// the admin key (admin_resource.cc makes it; the other admin files only call it).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
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

using AddAdminRoute = std::function<void(const char* method, const std::string& pattern, AdminHandler handler)>;

}  // namespace aih::api
