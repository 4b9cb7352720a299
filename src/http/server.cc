// The HTTP server on Beast and Asio (heavy to compile: besides this file only http/client.cc and
// http/transport.cc include them, and no public header does). A connection's stream, plain or TLS, is
// a Transport, so that Beast's HTTP algorithms are compiled once for both.
#include <utility>  // before asio: Boost 1.74 needs it under C++20

#include "http/server.h"

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <deque>
#include <future>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "http/connection_table.h"
#include "http/content_coding.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/refusals.h"
#include "http/graph_error.h"
#include "http/request_log.h"
#include "http/transport.h"
#include "base/utf8.h"

namespace aih::http {

namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {
using Phase = ConnectionTable::Phase;
// How long accept waits before trying again when the process is out of descriptors.
constexpr std::chrono::milliseconds kAcceptBackoff{100};
// How long a closing plain connection keeps reading (and dropping) what its client still sends.
constexpr std::chrono::seconds kLingerOnClose{2};
}  // namespace

struct Server::Impl {
  using WorkGuard = net::executor_work_guard<net::io_context::executor_type>;

  ServerOptions options;
  Handler handler;
  // Before the contexts: sessions, destroyed with them, hold slots in it.
  ConnectionTable connections;
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
  std::atomic<size_t> accept_backoffs{0};
  // On the main context only:
  std::optional<net::steady_timer> memory_timer;
  size_t gone_at_last_return = 0;
  std::chrono::steady_clock::time_point last_warning{};
  // Graceful shutdown (Drain): no new connections, no further requests on kept-alive ones.
  std::atomic<bool> draining{false};
  std::atomic<int> in_flight{0};  // requests between their first header byte and their response's last
  metrics::CallbackRegistration open_connections;  // aihistory_connections_open, when recording requests

  Impl(const ServerOptions& o, Handler h)
      : options(o),
        handler(std::move(h)),
        connections(ConnectionTable::Limits{o.max_connections, o.max_connections_per_address, o.max_tls_handshakes}),
        workers(o.worker_threads) {
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
    return Stamped(request, std::move(response));
  }

  // Every response names its request (a streamed one does in ResponseStream::Begin).
  static Response Stamped(const Request& request, Response response) {
    response.SetHeader("request-id", request.request_id);
    if (!request.client_request_id.empty()) response.SetHeader("client-request-id", request.client_request_id);
    return response;
  }

  void Accept(tcp::acceptor& acceptor, bool tls);
  void Admit(tcp::socket socket, bool tls);
  void ReturnMemoryLater();
  // On the main context: one line to the log at most once a minute, so that a flood is seen but
  // cannot flood the log.
  void Warn(const std::string& line) {
    auto now = std::chrono::steady_clock::now();
    if (last_warning.time_since_epoch().count() != 0 && now - last_warning < std::chrono::minutes(1)) return;
    last_warning = now;
    log::Warn("connections").Str("problem", line);
  }
};

namespace {

// An async_write completion condition without Asio's default cap of 64 KB per write_some call.
size_t WholeWrites(const error_code& ec, size_t /*written*/) { return ec ? 0 : size_t{1} << 30; }

// The lower-cased, trimmed items of a comma-separated header value ("gzip, chunked").
std::vector<std::string> ListItems(std::string_view value) {
  std::vector<std::string> items;
  size_t at = 0;
  while (at <= value.size()) {
    size_t comma = value.find(',', at);
    if (comma == std::string_view::npos) comma = value.size();
    std::string item(value.substr(at, comma - at));
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    std::transform(item.begin(), item.end(), item.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!item.empty()) items.push_back(std::move(item));
    at = comma + 1;
  }
  return items;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, std::string remote, std::unique_ptr<ConnectionTable::Slot> slot,
          std::unique_ptr<Transport> stream)
      : server_(server), remote_(std::move(remote)), slot_(std::move(slot)), stream_(std::move(stream)) {}

  void Run() {
    // The table closes this connection (to make room for another) on the connection's own thread.
    slot_->SetCloser([weak = this->weak_from_this(), executor = stream_->get_executor()] {
      net::post(executor, [weak] {
        if (auto self = weak.lock()) self->Abort();
      });
    });
    net::dispatch(stream_->get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

 private:
  const ServerOptions& options() const { return server_.options; }
  void Deadline(int seconds) { stream_->tcp().expires_after(std::chrono::seconds(seconds)); }

  void Begin() {
    if (stream_->tls()) {
      Deadline(options().tls_handshake_timeout_seconds);
      stream_->Handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
        if (ec) return;  // the connection ends with the session
        self->slot_->SetPhase(Phase::kWaiting);
        self->ReadHeader();
      });
    } else {
      ReadHeader();
    }
  }

  // A kept-alive connection between requests: it may stay idle for the idle timeout; the head
  // timeout starts with the first byte of the next request.
  void WaitForRequest() {
    if (server_.draining) return Close();
    slot_->SetPhase(Phase::kWaiting);
    if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next request is already here
    buffer_.shrink_to_fit();  // an idle connection keeps no buffer (it grew to the last body)
    Deadline(options().idle_timeout_seconds);
    stream_->async_read_some(buffer_.prepare(1024), [self = this->shared_from_this()](error_code ec, size_t n) {
      if (ec) return self->Close();
      self->buffer_.commit(n);
      self->ReadHeader();
    });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(options().max_body_bytes);
    parser_->header_limit(64 * 1024);
    // The whole head within the timeout, however it is dribbled (slowloris).
    Deadline(options().request_head_timeout_seconds);
    bhttp::async_read_header(*stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, size_t) {
      self->OnHeader(ec);
    });
  }

  void OnHeader(error_code ec) {
    if (ec) return OnReadError(ec);
    slot_->SetPhase(Phase::kBusy);
    // A request has begun: a graceful shutdown waits for it (Finished() ends it).
    if (!counted_) {
      counted_ = true;
      ++server_.in_flight;
      started_ = std::chrono::steady_clock::now();
      response_status_ = 0;
      response_bytes_ = 0;
      aborted_ = false;
      streamer_.Reset();  // no worker holds it between requests
    }
    auto& msg = parser_->get();
    if (auto refusal = RefuseFraming(msg)) return Write(std::move(*refusal), /*close=*/true);
    if (beast::iequals(msg[bhttp::field::expect], "100-continue")) {
      // Tell the client to send the body now rather than after its own timeout.
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      Deadline(options().send_timeout_seconds);
      bhttp::async_write(*stream_, *cont, [self = this->shared_from_this(), cont](error_code ec, size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  // A request whose body this server cannot frame or decode gets an answer, and the connection is
  // closed after it: an unread body must never be taken for the next request (request smuggling).
  std::optional<Response> RefuseFraming(const bhttp::request<bhttp::string_body>& msg) {
    bool transfer_encoding = false;
    int chunked = 0;
    std::string unknown;
    std::vector<std::string> content_codings;
    for (const auto& field : msg) {
      if (field.name() == bhttp::field::transfer_encoding) {
        transfer_encoding = true;
        for (auto& coding : ListItems(field.value())) {
          if (coding == "chunked") {
            ++chunked;
          } else if (unknown.empty()) {
            unknown = coding;
          }
        }
      } else if (field.name() == bhttp::field::content_encoding) {
        for (auto& coding : ListItems(field.value())) {
          if (coding != "identity") content_codings.push_back(coding);
        }
      }
    }
    if (!unknown.empty()) {
      return ErrorResponse(TransportRequest(), 501, "NotImplemented",
                           "the Transfer-Encoding '" + unknown +
                               "' is not supported: send the body with a Content-Length, or with "
                               "Transfer-Encoding: chunked alone");
    }
    if (transfer_encoding && (chunked != 1 || !parser_->chunked() || !msg[bhttp::field::content_length].empty())) {
      return ErrorResponse(TransportRequest(),
                           Status::BadRequest("Transfer-Encoding must be chunked, once, and without a Content-Length"));
    }
    const bool has_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
    // gzip alone is decoded (OTLP exporters compress so), on the worker, within the body limit.
    gzip_body_ = has_body && content_codings.size() == 1 &&
                 (content_codings.front() == "gzip" || content_codings.front() == "x-gzip");
    if (has_body && !content_codings.empty() && !gzip_body_) {
      return ErrorResponse(TransportRequest(),
                           Status(Code::kUnsupportedMediaType, "the Content-Encoding '" + content_codings.front() +
                                                        "' is not supported: send the body uncompressed or in gzip"));
    }
    return std::nullopt;
  }

  // The Request an error found by the transport is reported against.
  Request TransportRequest() {
    Request request;
    request.request_id = NewGuid();
    request.remote_address = remote_;
    if (parser_) {
      request.client_request_id = ClientRequestId(parser_->get());
      request.method = std::string(parser_->get().method_string());
    }
    request_ = request;  // what this answer's log line and metrics report
    return request;
  }

  static std::string ClientRequestId(const bhttp::request<bhttp::string_body>& msg) {
    // Echoed in a header and in error bodies (JSON): whatever the client sent, valid UTF-8.
    return ValidUtf8(std::string_view(msg["client-request-id"]).substr(0, 200));
  }

  void ReadBody() {
    Deadline(options().body_timeout_seconds);
    bhttp::async_read(*stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->Dispatch();
    });
  }

  void OnReadError(error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return Close();
    }
    Request request = TransportRequest();
    if (ec == bhttp::error::body_limit) {
      CountRefusal("body_too_large");
      return Write(ErrorResponse(request, Status::TooLarge(
                                              "the request body is larger than the limit of " +
                                              std::to_string(options().max_body_bytes) +
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
    request_ = Request();
    request_.method = std::string(msg.method_string());
    request_.target = std::string(msg.target());
    request_.scheme = stream_->tls() ? "https" : "http";
    request_.remote_address = remote_;
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      request_.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request_.host = std::string(msg[bhttp::field::host]);
    request_.client_request_id = ClientRequestId(msg);
    request_.body = std::move(msg.body());
    keep_alive_ = msg.keep_alive();
    const bool can_stream = msg.version() >= 11;  // chunked transfer coding is HTTP/1.1
    parser_.reset();
    streamer_.Reset();
    unsent_ = 0;
    streamer_.set_can_stream(can_stream);
    request_.stream = &streamer_;
    // The handler may block (database, group commit): run it off the I/O threads.
    RunOnWorker([self = this->shared_from_this(), gzip = gzip_body_] {
      if (gzip) {
        auto plain = Gunzip(self->request_.body, self->options().max_body_bytes);
        if (!plain.ok()) return ErrorResponse(self->request_, plain.status());
        self->request_.body = std::move(*plain);
        std::erase_if(self->request_.headers, [](const auto& h) { return h.first == "content-encoding"; });
      }
      return self->server_.Invoke(self->request_);
    });
  }

  void RunOnWorker(std::function<Response()> turn) {
    net::post(server_.workers, [self = this->shared_from_this(), turn = std::move(turn)] { self->Turn(turn); });
  }

  // On a worker: one turn of the handler (or of the rest it handed to Resume()).
  void Turn(const std::function<Response()>& turn) {
    Response response;
    try {
      response = turn();
    } catch (const std::exception& e) {
      response = ErrorResponse(request_, Status::Internal(std::string("unexpected failure: ") + e.what()));
    }
    auto executor = stream_->get_executor();
    if (streamer_.TakeDeferred()) {  // its continuation answers, from whatever it waits for
      return net::post(executor, [self = this->shared_from_this()] { self->OnDeferred(nullptr); });
    }
    auto rest = streamer_.TakeRest();
    if (streamer_.begun()) {
      if (rest) {
        net::post(executor, [self = this->shared_from_this(), rest = std::move(rest)]() mutable {
          self->OnPaused(std::move(rest));
        });
        return;
      }
      const bool same_status = response.status == streamer_.status();
      net::post(executor, [self = this->shared_from_this(), body = std::move(response.body), same_status]() mutable {
        if (!same_status) return self->Enqueue(Part{Part::kAbort});
        if (!body.empty()) self->Enqueue(Part{Part::kChunk, nullptr, std::make_shared<std::string>(std::move(body))});
        self->Enqueue(Part{Part::kLast});
      });
      return;
    }
    if (rest) return Turn(rest);  // nothing was sent: nothing to wait for
    net::post(executor, [self = this->shared_from_this(), response = std::move(response)]() mutable {
      self->Write(std::move(response), !self->keep_alive_);
    });
  }

  // One piece of a streamed response, written in order by the I/O strand.
  struct Part {
    enum Kind { kHead, kChunk, kLast, kAbort } kind;
    std::shared_ptr<bhttp::response<bhttp::empty_body>> head = nullptr;
    std::shared_ptr<std::string> data = nullptr;
  };

  // The ResponseStream of the request being handled. Its calls run on the worker thread and hand
  // their parts to the I/O strand; nothing here touches the socket directly.
  class Streamer : public ResponseStream {
   public:
    explicit Streamer(Session& session) : session_(session) {}
    void Reset() {
      begun_ = false;
      deferred_ = false;
      status_ = 0;
      rest_ = nullptr;
    }
    bool can_stream() const override { return can_stream_; }
    void set_can_stream(bool can) { can_stream_ = can; }
    void Begin(const Response& head) override {
      auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
      res->version(11);
      res->result(static_cast<unsigned>(head.status));
      res->set(bhttp::field::content_type, head.content_type);
      for (auto& [name, value] : head.headers) res->insert(name, value);
      const Request& request = session_.request_;
      res->insert("request-id", request.request_id);
      if (!request.client_request_id.empty()) res->insert("client-request-id", request.client_request_id);
      res->keep_alive(session_.keep_alive_ && !session_.server_.draining);
      res->chunked(true);
      begun_ = true;
      status_ = head.status;
      Post(Part{Part::kHead, std::move(res)});
    }
    bool Write(std::string part) override {
      if (session_.gone_) return false;
      if (part.empty() || !begun_) return true;
      const size_t unsent = session_.unsent_ += part.size();
      Post(Part{Part::kChunk, nullptr, std::make_shared<std::string>(std::move(part))});
      return unsent <= session_.options().stream_buffer_bytes;
    }
    bool begun() const override { return begun_; }
    void Resume(std::function<Response()> rest) override { rest_ = std::move(rest); }
    Continuation Defer() override {
      deferred_ = true;
      // Shared by every copy of the continuation: the first call runs the rest; if none ever comes,
      // the last copy to go closes the connection, which would otherwise wait for nothing.
      struct Pending {
        std::shared_ptr<Session> session;
        std::atomic<bool> called{false};
        ~Pending() {
          if (called) return;
          auto executor = session->stream_->get_executor();
          net::post(executor, [session = std::move(session)] { session->Abort(); });
        }
      };
      auto pending = std::make_shared<Pending>();
      pending->session = session_.shared_from_this();
      return [pending](std::function<Response()> rest) {
        if (pending->called.exchange(true)) return;
        auto& session = *pending->session;
        net::post(session.stream_->get_executor(), [&session, rest = std::move(rest), pending]() mutable {
          session.OnDeferred([&session, rest = std::move(rest), pending] {
            return Server::Impl::Stamped(session.request_, rest());
          });
        });
      };
    }
    int status() const { return status_; }
    std::function<Response()> TakeRest() { return std::exchange(rest_, nullptr); }
    bool TakeDeferred() { return std::exchange(deferred_, false); }

   private:
    void Post(Part part) {
      net::post(session_.stream_->get_executor(),
                [self = session_.shared_from_this(), part = std::move(part)]() mutable { self->Enqueue(std::move(part)); });
    }
    Session& session_;
    bool begun_ = false;
    bool deferred_ = false;
    bool can_stream_ = false;
    int status_ = 0;
    std::function<Response()> rest_;
  };

  // On the I/O strand: a deferred request goes on once both its handler has returned (`rest` null)
  // and its continuation has come (`rest`), in whichever order: the continuation may be called
  // before the handler's turn is over, and the two turns must never overlap.
  void OnDeferred(std::function<Response()> rest) {
    if (rest) {
      deferred_rest_ = std::move(rest);
    } else {
      deferral_returned_ = true;
    }
    if (!deferral_returned_ || !deferred_rest_ || gone_) return;
    deferral_returned_ = false;
    RunOnWorker(std::exchange(deferred_rest_, nullptr));
  }

  // On the I/O strand: the handler stopped at the limit of unsent bytes; it goes on once the
  // client has taken enough.
  void OnPaused(std::function<Response()> rest) {
    if (gone_) return;
    if (unsent_ <= options().stream_buffer_bytes) return RunOnWorker(std::move(rest));
    rest_ = std::move(rest);
  }

  // On the I/O strand: queues a part and writes the queue one part at a time.
  void Enqueue(Part part) {
    if (gone_) return;
    parts_.push_back(std::move(part));
    WriteNextPart();
  }

  void WriteNextPart() {
    if (writing_part_ || parts_.empty()) return;
    Part part = std::move(parts_.front());
    parts_.pop_front();
    writing_part_ = true;
    // A client that takes none of a part within the send timeout is gone or hostile.
    Deadline(options().send_timeout_seconds);
    auto self = this->shared_from_this();
    switch (part.kind) {
      case Part::kHead:
        head_ = std::move(part.head);
        serializer_.emplace(*head_);
        bhttp::async_write_header(*stream_, *serializer_, [self](error_code ec, size_t) { self->OnPartWritten(ec, 0); });
        return;
      case Part::kChunk:
        response_bytes_ += part.data->size();
        // WholeWrites: on plain TCP, one sendmsg for as much of the part as the socket takes, not
        // 64 KB at a time with a trip through the scheduler between each (TLS writes records of
        // 16 KB whatever the condition).
        net::async_write(*stream_, bhttp::make_chunk(net::const_buffer(part.data->data(), part.data->size())),
                         WholeWrites, [self, data = part.data](error_code ec, size_t) {
                           self->OnPartWritten(ec, data->size());
                         });
        return;
      case Part::kLast:
        net::async_write(*stream_, bhttp::make_chunk_last(), [self](error_code ec, size_t) {
          self->writing_part_ = false;
          self->serializer_.reset();
          self->head_.reset();
          self->Finished();
          if (ec || !self->keep_alive_ || self->server_.draining) return self->Close();
          self->WaitForRequest();
        });
        return;
      case Part::kAbort:
        Abort();
        return;
    }
  }

  void OnPartWritten(error_code ec, size_t part_bytes) {
    writing_part_ = false;
    if (ec) return Abort();
    unsent_ -= part_bytes;
    if (rest_ && unsent_ <= options().stream_buffer_bytes) RunOnWorker(std::exchange(rest_, nullptr));
    WriteNextPart();
  }

  // Ends the connection at once: a streamed response that cannot be completed is cut off mid-body
  // (the client sees it truncated), and a connection the table closes to make room goes.
  void Abort() {
    gone_ = true;
    aborted_ = true;
    Finished();
    parts_.clear();
    rest_ = nullptr;
    writing_part_ = true;  // nothing more is written on this connection
    stream_->tcp().close();
  }

  void Write(Response r, bool close) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    res->set(bhttp::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) res->insert(name, value);
    res->keep_alive(!close && !server_.draining);
    response_status_ = r.status;
    response_bytes_ = r.body.size();
    res->body() = std::move(r.body);
    res->prepare_payload();
    Deadline(options().send_timeout_seconds);
    bhttp::async_write(*stream_, *res, [self = this->shared_from_this(), res, close](error_code ec, size_t) {
      self->Finished();
      if (ec || close || self->server_.draining) return self->Close();
      self->WaitForRequest();
    });
  }

  // The request that began in OnHeader is over (answered, or its connection given up).
  void Finished() {
    if (!counted_) return;
    counted_ = false;
    --server_.in_flight;
    // Its log line and metrics (request_log.h); a request given up before any answer has neither.
    const int status = streamer_.begun() ? streamer_.status() : response_status_;
    if (status != 0 && server_.options.record_requests) {
      RecordRequest(request_, RequestEnd{status, response_bytes_,
                                         std::chrono::steady_clock::now() - started_, aborted_});
    }
  }

  void Close() {
    slot_->SetPhase(Phase::kWaiting);  // on its way out: it may give way to a newcomer
    Finished();
    if (stream_->tls()) {
      Deadline(5);
      stream_->Shutdown([self = this->shared_from_this()](error_code) {});
    } else {
      // Read and drop what the client still sends, for a moment: closing with unread bytes would
      // send a reset that can destroy our last response before the client has read it.
      error_code ec;
      stream_->tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
      stream_->tcp().expires_after(kLingerOnClose);
      Linger();
    }
  }

  void Linger() {
    buffer_.consume(buffer_.size());
    stream_->async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](error_code ec, size_t) {
      if (!ec) self->Linger();
    });
  }

  Server::Impl& server_;
  std::string remote_;
  std::unique_ptr<ConnectionTable::Slot> slot_;
  std::unique_ptr<Transport> stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;  // the request being handled; valid until its response has ended
  bool keep_alive_ = true;
  bool gzip_body_ = false;  // the request's body is in gzip (RefuseFraming), decoded before the handler
  bool counted_ = false;  // this connection's current request is counted in server_.in_flight
  // On the I/O strand, for the current request's record (request_log.h):
  std::chrono::steady_clock::time_point started_;
  int response_status_ = 0;  // of a response written whole (a streamed one's is the streamer's)
  size_t response_bytes_ = 0;
  bool aborted_ = false;
  Streamer streamer_{*this};
  std::atomic<size_t> unsent_{0};   // bytes handed to the streamer and not yet written
  std::atomic<bool> gone_{false};   // aborted: nothing more is sent
  std::function<Response()> rest_;  // on the I/O strand: the handler's rest, waiting for the client
  bool deferral_returned_ = false;           // on the I/O strand: see OnDeferred
  std::function<Response()> deferred_rest_;  // on the I/O strand: see OnDeferred
  std::deque<Part> parts_;
  bool writing_part_ = false;
  std::shared_ptr<bhttp::response<bhttp::empty_body>> head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> serializer_;
};

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

static bool OutOfDescriptors(const error_code& ec) {
  return ec == boost::system::errc::too_many_files_open || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == boost::system::errc::no_buffer_space || ec == boost::system::errc::not_enough_memory;
}

void Server::Impl::Accept(tcp::acceptor& acceptor, bool tls) {
  acceptor.async_accept(net::make_strand(NextContext()), [this, &acceptor, tls](error_code ec, tcp::socket socket) {
    if (stopped || !acceptor.is_open()) return;
    if (OutOfDescriptors(ec)) {
      // Accepting again at once would fail at once, a busy loop on one I/O thread. Free a descriptor
      // (the longest-waiting connection gives way) and try again a little later.
      ++accept_backoffs;
      Warn("out of file descriptors when accepting a connection (" + ec.message() +
           "); lower --max-connections or raise the descriptor limit (ulimit -n)");
      connections.CloseLongestWaiting();
      auto timer = std::make_shared<net::steady_timer>(main_context(), kAcceptBackoff);
      timer->async_wait([this, &acceptor, tls, timer](error_code) {
        if (!stopped && acceptor.is_open()) Accept(acceptor, tls);
      });
      return;
    }
    if (!ec) Admit(std::move(socket), tls);
    Accept(acceptor, tls);
  });
}

void Server::Impl::Admit(tcp::socket socket, bool tls) {
  error_code ignored;
  auto endpoint = socket.remote_endpoint(ignored);
  std::string remote = ignored ? std::string() : endpoint.address().to_string();
  auto slot = connections.Admit(remote, tls ? Phase::kHandshake : Phase::kWaiting);
  if (!slot) {
    CountRefusal("connection_limit");
    Warn("refusing connections: " + std::to_string(options.max_connections_per_address) +
         " are open from one address (--max-connections-per-address), or all " +
         std::to_string(options.max_connections) + " have a request in progress (--max-connections)");
    socket.set_option(net::socket_base::linger(true, 0), ignored);  // a reset: nothing kept in TIME_WAIT
    socket.close(ignored);
    return;
  }
  socket.set_option(tcp::no_delay(true), ignored);
  auto stream = tls ? Transport::Tls(std::move(socket), *ssl) : Transport::Plain(std::move(socket));
  std::make_shared<Session>(*this, std::move(remote), std::move(slot), std::move(stream))->Run();
}

// Connections that end free their buffers, but the heap keeps the pages (glibc returns only the
// top of the main heap by itself). After connections have gone, hand free pages back, off the I/O
// threads, at most once a period.
void Server::Impl::ReturnMemoryLater() {
  if (options.memory_return_seconds <= 0) return;
  memory_timer->expires_after(std::chrono::seconds(options.memory_return_seconds));
  memory_timer->async_wait([this](error_code ec) {
    if (ec || stopped) return;
    auto counts = connections.counts();
    const size_t gone = counts.ended + counts.closed_for_room;
    if (gone != gone_at_last_return) {
      gone_at_last_return = gone;
#ifdef __GLIBC__
      net::post(workers, [] { malloc_trim(0); });
#endif
    }
    ReturnMemoryLater();
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
    // An idle TLS connection then keeps no record buffers (about 34 KB each).
    SSL_CTX_set_mode(impl->ssl->native_handle(), SSL_MODE_RELEASE_BUFFERS);
    AIH_RETURN_IF_ERROR(Listen(impl->main_context(), options.address, options.https_port, impl->https_acceptor));
  }
  if (!impl->http_acceptor && !impl->https_acceptor) return Status::BadRequest("no port to listen on");
  if (impl->http_acceptor) impl->Accept(*impl->http_acceptor, false);
  if (impl->https_acceptor) impl->Accept(*impl->https_acceptor, true);
  if (options.record_requests) {
    impl->open_connections = metrics::Registry::Default().AddCallbackGauge(
        "aihistory_connections_open", "Client connections open now.",
        [impl = impl.get()] { return static_cast<double>(impl->connections.counts().open); });
  }
  impl->memory_timer.emplace(impl->main_context());
  impl->ReturnMemoryLater();
  for (auto& ioc : impl->io_contexts) {
    impl->work.emplace_back(ioc->get_executor());
    impl->io_threads.emplace_back([ioc = ioc.get()] { ioc->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::http_port() const { return impl_->http_acceptor ? impl_->http_acceptor->local_endpoint().port() : -1; }
int Server::https_port() const { return impl_->https_acceptor ? impl_->https_acceptor->local_endpoint().port() : -1; }

Server::Counts Server::counts() const {
  auto table = impl_->connections.counts();
  return Counts{table.open, table.refused, table.closed_for_room, impl_->accept_backoffs.load()};
}

int Server::Drain(std::chrono::milliseconds grace) {
  impl_->draining = true;
  std::promise<void> closed;
  net::post(impl_->main_context(), [impl = impl_.get(), &closed] {
    error_code ec;
    if (impl->http_acceptor) impl->http_acceptor->close(ec);
    if (impl->https_acceptor) impl->https_acceptor->close(ec);
    closed.set_value();
  });
  closed.get_future().wait();
  // Kept-alive connections between requests, and handshakes, take no further request: close them
  // now rather than serve a request that arrives during the grace period (WaitForRequest closes
  // any that finishes its response from here on).
  impl_->connections.CloseAllWaiting();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (impl_->in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return impl_->in_flight;
}

void Server::Stop() {
  if (impl_->stopped.exchange(true)) return;
  net::post(impl_->main_context(), [impl = impl_.get()] {
    error_code ec;
    if (impl->memory_timer) impl->memory_timer->cancel();
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
