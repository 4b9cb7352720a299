// Router: maps a method and a path to the handler of a resource.
//
// Patterns are slash-separated segments: literals match case-insensitively (Graph paths are
// case-insensitive), `{name}` captures one percent-decoded segment, and a trailing `()` on the last
// literal is optional (Kiota sends `getAllEnterpriseInteractions()`, curl users send it bare).
// A path that matches no pattern is 404 ResourceNotFound naming the first unknown segment; a path
// that matches with another method is 405 MethodNotAllowed. Route() notes the pattern that matched in
// request.facts.route (for logs and metrics); a request no pattern takes keeps "unmatched".
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace aih::http {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<Response(const Request&, const PathParams&)>;

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, RouteHandler handler);
  Response Route(const Request& request) const;

 private:
  struct Entry {
    std::string method;
    std::string pattern;                // as added: what request.facts.route says
    std::vector<std::string> segments;  // lower-cased literals, or "{name}"
    RouteHandler handler;
  };
  std::vector<Entry> entries_;
};

}  // namespace aih::http
