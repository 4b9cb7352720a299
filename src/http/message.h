// Request and Response: HTTP messages as the rest of aihistory sees them.
//
// The server (server.h) translates to and from the wire; nothing outside src/http includes Beast.
// Header names in a Request are lower-cased. Every request gets a fresh request-id; the
// client-request-id a client sent is echoed on the response.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aih::http {

struct Request {
  std::string method;        // "GET", "POST", ...
  std::string target;        // as received: path?query (percent-encoded)
  std::string scheme;        // "http" or "https"
  std::string host;          // the Host header (host[:port])
  std::string remote_address;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string request_id;         // assigned by the server
  std::string client_request_id;  // as sent, or empty

  std::string_view path() const {
    auto q = target.find('?');
    return std::string_view(target).substr(0, q);
  }
  std::string_view query() const {
    auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
  // The value of header `name` (lower-case), or empty.
  std::string_view Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return {};
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; odata.metadata=minimal; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

}  // namespace aih::http
