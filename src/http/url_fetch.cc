// Includes Beast and Asio like server.cc: the client half is small, but as heavy to compile.
#include <utility>  // before asio: Boost 1.74 needs it under C++20

#include "http/url_fetch.h"

#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace aih::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

struct Url {
  bool tls = false;
  std::string host;         // without brackets
  std::string port;
  std::string host_header;  // host[:port] as written
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
  url.host_header = std::string(authority);
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

template <class Stream>
net::awaitable<std::string> Exchange(Stream& stream, const Url& url, size_t max_body_bytes) {
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, url.target, 11};
  request.set(bhttp::field::host, url.host_header);
  request.set(bhttp::field::user_agent, "aihistory");
  request.set(bhttp::field::accept, "application/json");
  co_await bhttp::async_write(stream, request, net::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(max_body_bytes);
  co_await bhttp::async_read(stream, buffer, parser, net::use_awaitable);
  bhttp::response<bhttp::string_body> response = parser.release();
  if (response.result_int() != 200) {
    throw std::runtime_error("the server answered " + std::to_string(response.result_int()) + " " +
                             std::string(response.reason()));
  }
  co_return std::move(response.body());
}

net::awaitable<std::string> Get(Url url, FetchOptions options, net::ssl::context* ssl) {
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(url.host, url.port, net::use_awaitable);
  beast::tcp_stream tcp_stream(executor);
  tcp_stream.expires_after(std::chrono::seconds(options.timeout_seconds));
  co_await tcp_stream.async_connect(endpoints, net::use_awaitable);
  if (!url.tls) co_return co_await Exchange(tcp_stream, url, options.max_body_bytes);
  beast::ssl_stream<beast::tcp_stream> tls_stream(std::move(tcp_stream), *ssl);
  if (!SSL_set_tlsext_host_name(tls_stream.native_handle(), url.host.c_str())) {
    throw std::runtime_error("cannot set the TLS server name");
  }
  tls_stream.set_verify_callback(net::ssl::host_name_verification(url.host));
  co_await tls_stream.async_handshake(net::ssl::stream_base::client, net::use_awaitable);
  co_return co_await Exchange(tls_stream, url, options.max_body_bytes);
}

}  // namespace

Result<std::string> FetchUrl(const std::string& text, const FetchOptions& options) {
  Result<Url> url = ParseUrl(text);
  if (!url.ok()) return url.status();
  std::optional<net::ssl::context> ssl;
  if (url->tls) {
    ssl.emplace(net::ssl::context::tls_client);
    boost::system::error_code ec;
    ssl->set_default_verify_paths(ec);
    if (ec) return Status::Unavailable("cannot load the system's trusted certificates: " + ec.message());
    ssl->set_verify_mode(net::ssl::verify_peer);
  }
  net::io_context ioc;
  std::optional<std::string> body;
  std::string failure;
  net::co_spawn(ioc, Get(*url, options, ssl ? &*ssl : nullptr),
                [&](std::exception_ptr error, std::string result) {
                  if (!error) {
                    body = std::move(result);
                    return;
                  }
                  try {
                    std::rethrow_exception(error);
                  } catch (const std::exception& e) {
                    failure = e.what();
                  }
                });
  // The resolver has no timeout of its own: the whole exchange is bounded here.
  ioc.run_for(std::chrono::seconds(options.timeout_seconds));
  if (body) return std::move(*body);
  if (failure.empty()) failure = "no answer within " + std::to_string(options.timeout_seconds) + " seconds";
  return Status::Unavailable("GET " + text + " failed: " + failure);
}

}  // namespace aih::http
