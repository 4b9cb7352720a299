// The HTTP server on Beast and Asio (heavy to compile: besides this file only http/url_fetch.cc and
// notify/webhook_client.cc include them, and no header does).
#include <utility>  // before asio: Boost 1.74 needs it under C++20

#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "http/graph_error.h"

namespace aih::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

struct Server::Impl {
  using WorkGuard = net::executor_work_guard<net::io_context::executor_type>;

  ServerOptions options;
  Handler handler;
  // One io_context per I/O thread, each connection on one of them (round robin). With one context
  // shared by all I/O threads, every completion a connection posted woke another idle I/O thread
  // (an epoll interrupt and two context switches) only for it to find nothing to do.
  std::vector<std::unique_ptr<net::io_context>> io_contexts;
  std::atomic<size_t> next_context{0};
  std::optional<net::ssl::context> ssl;
  net::thread_pool workers;
  std::vector<std::thread> io_threads;
  std::optional<tcp::acceptor> http_acceptor;
  std::optional<tcp::acceptor> https_acceptor;
  std::vector<WorkGuard> work;
  std::atomic<bool> stopped{false};

  Impl(const ServerOptions& o, Handler h) : options(o), handler(std::move(h)), workers(o.worker_threads) {
    for (int i = 0; i < std::max(1, o.io_threads); ++i) {
      io_contexts.push_back(std::make_unique<net::io_context>(1));  // 1: run by one thread
    }
  }

  // Where listeners and server-wide tasks run.
  net::io_context& main_context() { return *io_contexts.front(); }
  // The context of the next new connection.
  net::io_context& NextContext() { return *io_contexts[next_context++ % io_contexts.size()]; }

  Response Invoke(Request& request) {
    request.request_id = NewGuid();
    Response response;
    try {
      response = handler(request);
    } catch (const std::exception& e) {
      response = ErrorResponse(request, Status::Internal(std::string("unexpected failure: ") + e.what()));
    }
    response.SetHeader("request-id", request.request_id);
    if (!request.client_request_id.empty()) response.SetHeader("client-request-id", request.client_request_id);
    return response;
  }

  void Accept(tcp::acceptor& acceptor, bool tls);
};

namespace {

// An async_write completion condition without Asio's default cap of 64 KB per write_some call.
size_t WholeWrites(const error_code& ec, size_t /*written*/) { return ec ? 0 : size_t{1} << 30; }

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  Session(Server::Impl& server, std::string remote, Args&&... args)
      : server_(server), remote_(std::move(remote)), stream_(std::forward<Args>(args)...) {}

  void Run() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

 private:
  void Begin() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
      stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
        if (!ec) self->ReadHeader();
      });
    } else {
      ReadHeader();
    }
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(server_.options.max_body_bytes);
    parser_->header_limit(64 * 1024);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, size_t) {
      self->OnHeader(ec);
    });
  }

  void OnHeader(error_code ec) {
    if (ec) return OnReadError(ec);
    auto& msg = parser_->get();
    if (beast::iequals(msg[bhttp::field::expect], "100-continue")) {
      // Tell the client to send the body now rather than after its own timeout.
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *cont, [self = this->shared_from_this(), cont](error_code ec, size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->Dispatch();
    });
  }

  void OnReadError(error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return Close();
    }
    Request request;
    request.request_id = NewGuid();
    if (ec == bhttp::error::body_limit) {
      return Write(ErrorResponse(request, Status::TooLarge(
                                              "the request body is larger than the limit of " +
                                              std::to_string(server_.options.max_body_bytes) +
                                              " bytes; send smaller batches")),
                   /*close=*/true);
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return Write(ErrorResponse(request, Status::BadRequest("malformed HTTP request: " + ec.message())),
                   /*close=*/true);
    }
    Close();
  }

  void Dispatch() {
    auto& msg = parser_->get();
    Request request;
    request.method = std::string(msg.method_string());
    request.target = std::string(msg.target());
    request.scheme = kTls ? "https" : "http";
    request.remote_address = remote_;
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.host = std::string(msg[bhttp::field::host]);
    request.client_request_id = std::string(msg["client-request-id"]).substr(0, 200);
    request.body = std::move(msg.body());
    keep_alive_ = msg.keep_alive();
    const bool can_stream = msg.version() >= 11;  // chunked transfer coding is HTTP/1.1
    // The handler may block (database, group commit): run it off the I/O threads.
    net::post(server_.workers, [self = this->shared_from_this(), request = std::move(request), can_stream]() mutable {
      self->streamer_.Reset(&request);
      if (can_stream) request.stream = &self->streamer_;
      Response response = self->server_.Invoke(request);
      if (self->streamer_.begun()) {
        const bool same_status = response.status == self->streamer_.status();
        self->streamer_.Reset(nullptr);
        net::post(self->stream_.get_executor(), [self, body = std::move(response.body), same_status]() mutable {
          if (!same_status) return self->Enqueue(Part{Part::kAbort});
          if (!body.empty()) self->Enqueue(Part{Part::kChunk, nullptr, std::make_shared<std::string>(std::move(body))});
          self->Enqueue(Part{Part::kLast});
        });
        return;
      }
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response), !self->keep_alive_);
      });
    });
  }

  // One piece of a streamed response, written in order by the I/O strand.
  struct Part {
    enum Kind { kHead, kChunk, kLast, kAbort } kind;
    std::shared_ptr<bhttp::response<bhttp::empty_body>> head = nullptr;
    std::shared_ptr<std::string> data = nullptr;
  };

  // The ResponseStream of the request being handled. Begin() and Write() run on the worker thread
  // and hand their parts to the I/O strand; nothing here touches the socket directly.
  class Streamer : public ResponseStream {
   public:
    explicit Streamer(Session& session) : session_(session) {}
    void Reset(const Request* request) {
      request_ = request;
      begun_ = false;
    }
    void Begin(const Response& head) override {
      auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
      res->version(11);
      res->result(static_cast<unsigned>(head.status));
      res->set(bhttp::field::content_type, head.content_type);
      for (auto& [name, value] : head.headers) res->insert(name, value);
      res->insert("request-id", request_->request_id);
      if (!request_->client_request_id.empty()) res->insert("client-request-id", request_->client_request_id);
      res->keep_alive(session_.keep_alive_);
      res->chunked(true);
      begun_ = true;
      status_ = head.status;
      Post(Part{Part::kHead, std::move(res)});
    }
    void Write(std::string part) override {
      if (part.empty() || !begun_) return;
      Post(Part{Part::kChunk, nullptr, std::make_shared<std::string>(std::move(part))});
    }
    bool begun() const override { return begun_; }
    int status() const { return status_; }

   private:
    void Post(Part part) {
      net::post(session_.stream_.get_executor(),
                [self = session_.shared_from_this(), part = std::move(part)]() mutable { self->Enqueue(std::move(part)); });
    }
    Session& session_;
    const Request* request_ = nullptr;
    bool begun_ = false;
    int status_ = 0;
  };

  // On the I/O strand: queues a part and writes the queue one part at a time.
  void Enqueue(Part part) {
    parts_.push_back(std::move(part));
    WriteNextPart();
  }

  void WriteNextPart() {
    if (writing_part_ || parts_.empty()) return;
    Part part = std::move(parts_.front());
    parts_.pop_front();
    writing_part_ = true;
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    auto self = this->shared_from_this();
    switch (part.kind) {
      case Part::kHead:
        head_ = std::move(part.head);
        serializer_.emplace(*head_);
        bhttp::async_write_header(stream_, *serializer_, [self](error_code ec, size_t) { self->OnPartWritten(ec); });
        return;
      case Part::kChunk:
        // WholeWrites: on plain TCP, one sendmsg for as much of the part as the socket takes, not
        // 64 KB at a time with a trip through the scheduler between each (TLS writes records of
        // 16 KB whatever the condition).
        net::async_write(stream_, bhttp::make_chunk(net::const_buffer(part.data->data(), part.data->size())),
                         WholeWrites, [self, data = part.data](error_code ec, size_t) { self->OnPartWritten(ec); });
        return;
      case Part::kLast:
        net::async_write(stream_, bhttp::make_chunk_last(), [self](error_code ec, size_t) {
          self->writing_part_ = false;
          self->serializer_.reset();
          self->head_.reset();
          if (ec || !self->keep_alive_) return self->Close();
          self->ReadHeader();
        });
        return;
      case Part::kAbort:
        Abort();
        return;
    }
  }

  void OnPartWritten(error_code ec) {
    writing_part_ = false;
    if (ec) return Abort();
    WriteNextPart();
  }

  // Ends a streamed response that cannot be completed: the connection is dropped mid-body.
  void Abort() {
    parts_.clear();
    writing_part_ = true;  // nothing more is written on this connection
    beast::get_lowest_layer(stream_).close();
  }

  void Write(Response r, bool close) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    res->set(bhttp::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) res->insert(name, value);
    res->keep_alive(!close);
    res->body() = std::move(r.body);
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    bhttp::async_write(stream_, *res, [self = this->shared_from_this(), res, close](error_code ec, size_t) {
      if (ec || close) return self->Close();
      self->ReadHeader();
    });
  }

  void Close() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](error_code) {});
    } else {
      error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  Server::Impl& server_;
  std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
  Streamer streamer_{*this};
  std::deque<Part> parts_;
  bool writing_part_ = false;
  std::shared_ptr<bhttp::response<bhttp::empty_body>> head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> serializer_;
};

using PlainSession = Session<beast::tcp_stream>;
using TlsSession = Session<beast::ssl_stream<beast::tcp_stream>>;

Status Listen(net::io_context& ioc, const std::string& address, int port, std::optional<tcp::acceptor>& out) {
  error_code ec;
  auto addr = net::ip::make_address(address, ec);
  if (ec) return Status::BadRequest("'" + address + "' is not an IP address to listen on");
  tcp::endpoint endpoint(addr, static_cast<unsigned short>(port));
  out.emplace(ioc);
  out->open(endpoint.protocol(), ec);
  if (!ec) out->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) out->bind(endpoint, ec);
  if (!ec) out->listen(net::socket_base::max_listen_connections, ec);
  if (ec == net::error::address_in_use) {
    // Usually another server (or the same demo started twice): the caller says how to choose another.
    return Status::Conflict("port " + std::to_string(port) + " is in use");
  }
  if (ec) {
    return Status::Unavailable("cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

void Server::Impl::Accept(tcp::acceptor& acceptor, bool tls) {
  acceptor.async_accept(net::make_strand(NextContext()), [this, &acceptor, tls](error_code ec, tcp::socket socket) {
    if (!ec) {
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto ep = socket.remote_endpoint(ignored);
      std::string remote = ignored ? std::string() : ep.address().to_string();
      if (tls) {
        std::make_shared<TlsSession>(*this, std::move(remote), std::move(socket), *ssl)->Run();
      } else {
        std::make_shared<PlainSession>(*this, std::move(remote), std::move(socket))->Run();
      }
    }
    if (!stopped && acceptor.is_open()) Accept(acceptor, tls);
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  if (options.http_port >= 0) AIH_RETURN_IF_ERROR(Listen(impl->main_context(), options.address, options.http_port, impl->http_acceptor));
  if (options.https_port >= 0) {
    if (options.tls_cert_pem.empty() || options.tls_key_pem.empty()) {
      return Status::BadRequest("HTTPS needs a certificate and a private key");
    }
    impl->ssl.emplace(net::ssl::context::tls_server);
    error_code ec;
    impl->ssl->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                           net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                           net::ssl::context::no_tlsv1_1);
    impl->ssl->use_certificate_chain(net::buffer(options.tls_cert_pem), ec);
    if (!ec) impl->ssl->use_private_key(net::buffer(options.tls_key_pem), net::ssl::context::pem, ec);
    if (ec) return Status::BadRequest("the TLS certificate or key cannot be used: " + ec.message());
    AIH_RETURN_IF_ERROR(Listen(impl->main_context(), options.address, options.https_port, impl->https_acceptor));
  }
  if (!impl->http_acceptor && !impl->https_acceptor) return Status::BadRequest("no port to listen on");
  if (impl->http_acceptor) impl->Accept(*impl->http_acceptor, false);
  if (impl->https_acceptor) impl->Accept(*impl->https_acceptor, true);
  for (auto& ioc : impl->io_contexts) {
    impl->work.emplace_back(ioc->get_executor());
    impl->io_threads.emplace_back([ioc = ioc.get()] { ioc->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::http_port() const { return impl_->http_acceptor ? impl_->http_acceptor->local_endpoint().port() : -1; }
int Server::https_port() const { return impl_->https_acceptor ? impl_->https_acceptor->local_endpoint().port() : -1; }

void Server::Stop() {
  if (impl_->stopped.exchange(true)) return;
  net::post(impl_->main_context(), [impl = impl_.get()] {
    error_code ec;
    if (impl->http_acceptor) impl->http_acceptor->close(ec);
    if (impl->https_acceptor) impl->https_acceptor->close(ec);
  });
  impl_->workers.join();
  impl_->work.clear();
  for (auto& ioc : impl_->io_contexts) ioc->stop();
  for (auto& t : impl_->io_threads) t.join();
}

Server::~Server() { Stop(); }

}  // namespace aih::http
