#include "notify/webhook_url.h"

#include <cctype>

#include "base/ascii.h"
#include "odata/percent_encoding.h"

namespace aih::notify {
namespace {

}  // namespace

Result<WebhookUrl> WebhookUrl::Parse(std::string_view url, std::string_view field) {
  const std::string name(field);
  auto bad = [&](const std::string& why) {
    return Status::BadRequest(name + " '" + std::string(url.substr(0, 200)) + "' " + why +
                              "; give an absolute http:// or https:// URL such as https://receiver.example.com/notify");
  };
  if (url.empty()) return Status::BadRequest(name + " is required: the URL that receives the notifications");
  if (url.size() > 2048) return Status::BadRequest(name + " is longer than 2,048 characters");
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) return bad("contains a space, a control or a non-ASCII character (percent-encode it)");
  }
  WebhookUrl out;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad("is not absolute");
  std::string scheme = AsciiLower(url.substr(0, scheme_end));
  if (scheme == "https") {
    out.tls = true;
  } else if (scheme != "http") {
    return bad("does not use http or https");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) return bad("has a fragment (#...)");
  size_t path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  out.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (out.target[0] == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return bad("carries user credentials");
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("has an unterminated IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("has a malformed host");
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("has no host");
  const bool ipv6 = authority[0] == '[';
  for (unsigned char c : out.host) {
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_' || (ipv6 && c == ':'))) return bad("has a malformed host");
  }
  out.port = out.tls ? 443 : 80;
  if (!port_text.empty() || authority.back() == ':') {
    if (port_text.empty() || port_text.size() > 5) return bad("has a malformed port");
    int port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return bad("has a malformed port");
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return bad("has a port outside 1..65535");
    out.port = port;
  }
  return out;
}

std::string AppendQuery(std::string_view url, std::string_view name, std::string_view value) {
  std::string out(url);
  out += url.find('?') == std::string_view::npos ? '?' : '&';
  out += name;
  out += '=';
  out += odata::PercentEncode(value);
  return out;
}

}  // namespace aih::notify
