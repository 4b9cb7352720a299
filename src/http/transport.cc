// The two kinds of Transport: where the stream-level operations of plain TCP and of TLS are
// compiled, once each, for the one handler type (IoHandler).
#include "http/transport.h"

#include <openssl/ssl.h>

#include <boost/beast/ssl.hpp>

namespace aih::http {
namespace {

class PlainTransport final : public Transport {
 public:
  template <class Arg>
  explicit PlainTransport(Arg&& arg) : stream_(std::forward<Arg>(arg)) {}
  beast::tcp_stream& tcp() override { return stream_; }
  bool tls() const override { return false; }
  void Handshake(net::ssl::stream_base::handshake_type, std::function<void(error_code)> done) override {
    net::post(stream_.get_executor(), [done = std::move(done)] { done(error_code()); });
  }
  void Shutdown(std::function<void(error_code)> done) override {
    error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    net::post(stream_.get_executor(), [done = std::move(done), ec] { done(ec); });
  }
  error_code SetServerName(const std::string&, bool) override { return {}; }

 protected:
  void ReadSome(MutableBuffers buffers, IoHandler handler) override {
    stream_.async_read_some(std::move(buffers), std::move(handler));
  }
  void WriteSome(ConstBuffers buffers, IoHandler handler) override {
    stream_.async_write_some(std::move(buffers), std::move(handler));
  }

 private:
  beast::tcp_stream stream_;
};

class TlsTransport final : public Transport {
 public:
  template <class Arg>
  TlsTransport(Arg&& arg, net::ssl::context& context) : stream_(std::forward<Arg>(arg), context) {}
  beast::tcp_stream& tcp() override { return beast::get_lowest_layer(stream_); }
  bool tls() const override { return true; }
  void Handshake(net::ssl::stream_base::handshake_type role, std::function<void(error_code)> done) override {
    stream_.async_handshake(role, std::move(done));
  }
  void Shutdown(std::function<void(error_code)> done) override { stream_.async_shutdown(std::move(done)); }
  error_code SetServerName(const std::string& host, bool verify) override {
    if (!SSL_set_tlsext_host_name(stream_.native_handle(), host.c_str())) {
      return error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
    }
    if (verify) stream_.set_verify_callback(net::ssl::host_name_verification(host));
    return {};
  }

 protected:
  void ReadSome(MutableBuffers buffers, IoHandler handler) override {
    stream_.async_read_some(std::move(buffers), std::move(handler));
  }
  void WriteSome(ConstBuffers buffers, IoHandler handler) override {
    stream_.async_write_some(std::move(buffers), std::move(handler));
  }

 private:
  // Beast's ssl_stream, not Asio's: it gathers a write of many small buffers (a chunk's size line,
  // its data, its CRLF) into one TLS record instead of one record each.
  beast::ssl_stream<beast::tcp_stream> stream_;
};

}  // namespace

std::unique_ptr<Transport> Transport::Plain(net::ip::tcp::socket socket) {
  return std::make_unique<PlainTransport>(std::move(socket));
}
std::unique_ptr<Transport> Transport::Plain(const executor_type& executor) {
  return std::make_unique<PlainTransport>(executor);
}
std::unique_ptr<Transport> Transport::Tls(net::ip::tcp::socket socket, net::ssl::context& context) {
  return std::make_unique<TlsTransport>(std::move(socket), context);
}
std::unique_ptr<Transport> Transport::Tls(const executor_type& executor, net::ssl::context& context) {
  return std::make_unique<TlsTransport>(executor, context);
}

}  // namespace aih::http
