// Sends through the service's one HTTP client (client.h), which alone includes Beast.
#include "http/url_fetch.h"

#include <string_view>

#include "http/client.h"

namespace aih::http {
namespace {

struct Url {
  bool tls = false;
  std::string host;         // without brackets
  std::string port;
  std::string target;       // path?query, at least "/"
};

Result<Url> ParseUrl(const std::string& text) {
  auto bad = [&] {
    return Status::BadRequest("'" + text + "' is not a URL like https://host[:port]/path");
  };
  Url url;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    url.tls = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return bad();
  }
  const size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  if (target.front() == '?') return bad();
  target = target.substr(0, target.find('#'));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return bad();
  std::string_view port;
  if (authority.front() == '[') {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad();
    url.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad();
      port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad();
  if (port.empty()) port = url.tls ? "443" : "80";
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return bad();
  url.port = std::string(port);
  url.target = target.empty() ? "/" : std::string(target);
  return url;
}

}  // namespace

Result<std::string> FetchUrl(const std::string& text, const FetchOptions& options) {
  Result<Url> url = ParseUrl(text);
  if (!url.ok()) return url.status();
  ClientOptions client_options;
  client_options.max_response_bytes = options.max_body_bytes;
  Status tls = url->tls ? CheckClientTls(client_options) : Status::Ok();
  if (!tls.ok()) return Status::Unavailable(tls.message());
  // A client of its own, for one request: fetches are rare, and its thread ends with it.
  Client client(client_options);
  ClientRequest request;
  request.tls = url->tls;
  request.host = url->host;
  request.port = std::stoi(url->port);
  request.target = url->target;
  request.headers.emplace_back("Accept", "application/json");
  request.timeout = std::chrono::seconds(options.timeout_seconds);
  Result<ClientResponse> response = client.SendAndWait(std::move(request));
  std::string failure;
  if (!response.ok()) {
    failure = response.status().message();
  } else if (response->status != 200) {
    failure = "the server answered " + std::to_string(response->status) + " " + response->reason;
  } else {
    return std::move(response->body);
  }
  return Status::Unavailable("GET " + text + " failed: " + failure);
}

}  // namespace aih::http
