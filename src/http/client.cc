// The only translation unit that instantiates Beast's client machinery (heavy to compile): the
// webhook client (notify/webhook_client.cc) and FetchUrl (url_fetch.cc) both send through it. Its
// stream, plain or TLS, is a Transport (transport.h), so the HTTP exchange is compiled once.
#include <utility>  // before asio: Boost 1.74 needs it under C++20

#include "http/client.h"

#include <boost/beast/http.hpp>
#include <future>
#include <optional>
#include <thread>

#include "base/background_thread.h"
#include "http/transport.h"

namespace aih::http {

namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

// What the servers' certificates are checked against: the system's trust store, plus ca_file.
Status SetUpTls(net::ssl::context& tls, const ClientOptions& options) {
  error_code ec;
  if (!options.verify_tls) {
    tls.set_verify_mode(net::ssl::verify_none, ec);
    return ec ? Status::Internal("cannot set up TLS: " + ec.message()) : Status::Ok();
  }
  tls.set_default_verify_paths(ec);
  if (ec) return Status::Internal("cannot read the system's trusted certificates: " + ec.message());
  if (!options.ca_file.empty()) {
    tls.load_verify_file(options.ca_file, ec);
    if (ec) return Status::BadRequest("cannot read the CA file " + options.ca_file + " (" + ec.message() + ")");
  }
  tls.set_verify_mode(net::ssl::verify_peer, ec);
  return ec ? Status::Internal("cannot set up TLS: " + ec.message()) : Status::Ok();
}

}  // namespace

struct Client::Impl {
  ClientOptions options;
  net::io_context ioc;
  net::ssl::context tls{net::ssl::context::tls_client};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  Status tls_setup;

  explicit Impl(ClientOptions o) : options(std::move(o)) { tls_setup = SetUpTls(tls, options); }
};

Status CheckClientTls(const ClientOptions& options) {
  net::ssl::context tls{net::ssl::context::tls_client};
  return SetUpTls(tls, options);
}

namespace {

// One request and its response, over a Transport (plain or TLS) of its own.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(Client::Impl& client, ClientRequest request, Client::Callback done,
           net::strand<net::io_context::executor_type> strand)
      : client_(client),
        request_(std::move(request)),
        done_(std::move(done)),
        resolver_(strand),
        timer_(strand),
        stream_(request_.tls ? Transport::Tls(strand, client.tls) : Transport::Plain(strand)) {}

  void Start() {
    net::dispatch(resolver_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

 private:
  void Begin() {
    deadline_ = std::chrono::steady_clock::now() + request_.timeout;
    timer_.expires_at(deadline_);
    timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (ec) return;  // cancelled: finished in time
      self->timed_out_ = true;
      self->resolver_.cancel();
      self->stream_->tcp().cancel();
    });
    resolver_.async_resolve(request_.host, std::to_string(request_.port),
                            [self = this->shared_from_this()](error_code ec, tcp::resolver::results_type results) {
                              self->OnResolve(ec, std::move(results));
                            });
  }

  void OnResolve(error_code ec, tcp::resolver::results_type results) {
    if (ec) return Fail(ec, "cannot resolve the host");
    // Only the addresses that pass the check are connected to, those very ones: the name is not
    // resolved again, so what it resolves to next (DNS rebinding) does not matter.
    Status refused;
    for (const auto& entry : results) {
      const tcp::endpoint endpoint = entry.endpoint();
      Status allowed;
      if (client_.options.check_address) {
        const net::ip::address a = endpoint.address();
        allowed = client_.options.check_address(
            a.is_v4() ? net::ip::make_address_v6(net::ip::v4_mapped, a.to_v4()).to_bytes() : a.to_v6().to_bytes());
      }
      if (allowed.ok()) {
        endpoints_.push_back(endpoint);
      } else if (refused.ok()) {
        refused = allowed;
      }
    }
    if (endpoints_.empty()) {
      timer_.cancel();
      std::string where = request_.host + ":" + std::to_string(request_.port);
      return Complete(refused.ok() ? Status::Unavailable("the host " + where + " resolved to no address")
                                   : Status(refused.code(), where + ": " + refused.message()));
    }
    stream_->tcp().expires_at(deadline_);
    stream_->tcp().async_connect(
        endpoints_, [self = this->shared_from_this()](error_code ec, const tcp::endpoint&) { self->OnConnect(ec); });
  }

  void OnConnect(error_code ec) {
    if (ec) return Fail(ec, "cannot connect");
    if (stream_->tls()) {
      // SNI, and the name the certificate must carry.
      if (auto failed = stream_->SetServerName(request_.host, client_.options.verify_tls)) {
        return Fail(failed, "TLS setup failed");
      }
      stream_->Handshake(net::ssl::stream_base::client, [self = this->shared_from_this()](error_code ec) {
        if (ec) return self->Fail(ec, "the TLS handshake failed");
        self->Write();
      });
    } else {
      Write();
    }
  }

  void Write() {
    message_.method_string(request_.method);
    message_.target(request_.target);
    message_.version(11);
    const bool default_port = request_.port == (request_.tls ? 443 : 80);
    std::string host = request_.host.find(':') != std::string::npos ? "[" + request_.host + "]" : request_.host;
    message_.set(bhttp::field::host, default_port ? host : host + ":" + std::to_string(request_.port));
    message_.set(bhttp::field::user_agent, client_.options.user_agent);
    message_.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : request_.headers) message_.set(name, value);
    message_.body() = std::move(request_.body);
    if (!message_.body().empty() || message_.method() == bhttp::verb::post) message_.prepare_payload();
    stream_->tcp().expires_at(deadline_);
    bhttp::async_write(*stream_, message_, [self = this->shared_from_this()](error_code ec, size_t) {
      if (ec) return self->Fail(ec, "cannot send the request");
      self->Read();
    });
  }

  void Read() {
    parser_.body_limit(client_.options.max_response_bytes);
    stream_->tcp().expires_at(deadline_);
    bhttp::async_read(*stream_, buffer_, parser_, [self = this->shared_from_this()](error_code ec, size_t) {
      if (ec) return self->Fail(ec, "no complete response");
      self->Finish();
    });
  }

  void Finish() {
    timer_.cancel();
    auto& response = parser_.get();
    // Beast 1.74's body_limit lets a Content-Length body over the limit through when it comes with
    // the head: the limit is checked here too.
    if (response.body().size() > client_.options.max_response_bytes) {
      Close();
      return Complete(TooLarge());
    }
    ClientResponse out;
    out.status = static_cast<int>(response.result_int());
    out.reason = std::string(response.reason());
    out.content_type = std::string(response[bhttp::field::content_type]);
    out.body = std::move(response.body());
    Close();
    Complete(std::move(out));
  }

  void Fail(error_code ec, const char* what) {
    timer_.cancel();
    Close();
    std::string where = Where();
    if (timed_out_ || ec == beast::error::timeout) {
      return Complete(Status::Unavailable(client_.options.peer + " at " + where + " did not answer within " +
                                          std::to_string(request_.timeout.count()) + " ms"));
    }
    // The parser stops at the limit (a Content-Length above it, or a chunked or close-delimited body
    // growing past it): the same message as a body caught after reading.
    if (ec == bhttp::error::body_limit) return Complete(TooLarge());
    Complete(Status::Unavailable(std::string(what) + " (" + where + "): " + ec.message()));
  }

  Status TooLarge() const {
    return Status::Unavailable(client_.options.peer + " at " + Where() + " sent a response larger than " +
                               std::to_string(client_.options.max_response_bytes) + " bytes");
  }

  std::string Where() const {
    return (request_.tls ? "https://" : "http://") + request_.host + ":" + std::to_string(request_.port);
  }

  void Close() {
    error_code ignored;
    stream_->tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_->tcp().close();
  }

  void Complete(Result<ClientResponse> result) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }

  Client::Impl& client_;
  ClientRequest request_;
  Client::Callback done_;
  tcp::resolver resolver_;
  std::vector<tcp::endpoint> endpoints_;  // the resolved addresses that passed check_address
  net::steady_timer timer_;
  std::unique_ptr<Transport> stream_;
  std::chrono::steady_clock::time_point deadline_;
  bool timed_out_ = false;
  bhttp::request<bhttp::string_body> message_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

}  // namespace

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->work.emplace(impl_->ioc.get_executor());
  for (int i = 0; i < std::max(1, impl_->options.io_threads); ++i) {
    impl_->threads.emplace_back([this] {
      if (impl_->options.background) RunInBackground();
      impl_->ioc.run();
    });
  }
}

Client::~Client() {
  impl_->work.reset();  // run() returns once the requests in flight have finished
  for (auto& t : impl_->threads) t.join();
}

const ClientOptions& Client::options() const { return impl_->options; }

void Client::Send(ClientRequest request, Callback done) {
  auto strand = net::make_strand(impl_->ioc);
  if (request.tls) {
    if (!impl_->tls_setup.ok()) return done(impl_->tls_setup);
  }
  std::make_shared<Exchange>(*impl_, std::move(request), std::move(done), strand)->Start();
}

Result<ClientResponse> Client::SendAndWait(ClientRequest request) {
  std::promise<Result<ClientResponse>> promise;
  auto future = promise.get_future();
  Send(std::move(request), [&promise](Result<ClientResponse> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace aih::http
