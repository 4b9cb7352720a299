// Transport: one connection's byte stream, plain TCP or TLS over TCP, behind one type.
//
// Why: Beast's HTTP algorithms (read a request, write a response, chunk by chunk) are templates over
// the stream. Over two stream types every one of them was compiled twice, and the TLS copy was more
// than half of the server's object code and of its compile time, the longest of the build. Over a
// Transport they are compiled once; what differs (a TLS record layer or none) sits behind two
// virtual calls, ReadSome and WriteSome, compiled once in transport.cc.
//
// Private to src/http: only server.cc, client.cc and transport.cc include it (it includes Asio and
// Beast, which no other header does).
// Threading: as the stream it wraps: use it on its executor (a strand) only.
#pragma once

#include <utility>  // before asio: Boost 1.74 needs it under C++20

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aih::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using error_code = boost::system::error_code;

// A completion handler of a read or write, whatever its type: the handlers Beast's algorithms pass
// (their own operation objects) are all different types. Move-only, called once. It has no
// associated executor, so the completion runs on the stream's executor (a strand): the one every
// handler of this code base runs on anyway.
class IoHandler {
 public:
  template <class Handler>
  explicit IoHandler(Handler&& handler)
      : op_(std::make_unique<Op<std::decay_t<Handler>>>(std::forward<Handler>(handler))) {}
  void operator()(error_code ec, std::size_t bytes) {
    std::unique_ptr<Base> op = std::move(op_);
    op->Invoke(ec, bytes);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void Invoke(error_code ec, std::size_t bytes) = 0;
  };
  template <class Handler>
  struct Op final : Base {
    explicit Op(Handler&& h) : handler(std::move(h)) {}
    explicit Op(const Handler& h) : handler(h) {}
    void Invoke(error_code ec, std::size_t bytes) override { handler(ec, bytes); }
    Handler handler;
  };
  std::unique_ptr<Base> op_;
};

class Transport {
 public:
  using executor_type = net::any_io_executor;
  using MutableBuffers = std::vector<net::mutable_buffer>;
  using ConstBuffers = std::vector<net::const_buffer>;

  virtual ~Transport() = default;

  // A plain connection on `socket`, or one that still has to connect (a client's) on `executor`.
  static std::unique_ptr<Transport> Plain(net::ip::tcp::socket socket);
  static std::unique_ptr<Transport> Plain(const executor_type& executor);
  // TLS over a connection on `socket` (a server's), or over one that still has to connect.
  static std::unique_ptr<Transport> Tls(net::ip::tcp::socket socket, net::ssl::context& context);
  static std::unique_ptr<Transport> Tls(const executor_type& executor, net::ssl::context& context);

  executor_type get_executor() { return tcp().get_executor(); }
  // The TCP connection under it: its timeouts (expires_after), connect, close.
  virtual beast::tcp_stream& tcp() = 0;
  virtual bool tls() const = 0;
  // TLS only (a plain transport completes at once, successfully): the handshake as a server or a
  // client, and the orderly close.
  virtual void Handshake(net::ssl::stream_base::handshake_type role, std::function<void(error_code)> done) = 0;
  virtual void Shutdown(std::function<void(error_code)> done) = 0;
  // A client's, before its handshake: names the server (SNI) and, if `verify`, requires its
  // certificate to carry that name. Nothing for a plain transport.
  virtual error_code SetServerName(const std::string& host, bool verify) = 0;

  // What Beast's and Asio's algorithms call (AsyncReadStream, AsyncWriteStream).
  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return net::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          ReadSome(MutableBuffers(net::buffer_sequence_begin(b), net::buffer_sequence_end(b)),
                   IoHandler(std::move(handler)));
        },
        token, buffers);
  }
  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return net::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          WriteSome(ConstBuffers(net::buffer_sequence_begin(b), net::buffer_sequence_end(b)),
                    IoHandler(std::move(handler)));
        },
        token, buffers);
  }

 protected:
  virtual void ReadSome(MutableBuffers buffers, IoHandler handler) = 0;
  virtual void WriteSome(ConstBuffers buffers, IoHandler handler) = 0;
};

}  // namespace aih::http
