// Client: the one HTTP/1.1 client of the service (webhook deliveries and handshakes, a trusted
// issuer's JWKS), plain or TLS, each request bounded by one deadline that covers everything
// (resolving, connecting, the TLS handshake, writing, reading).
//
// One client because Beast's client machinery is among the heaviest code to compile: it is
// instantiated once, in client.cc, and everything else sends through this header, which has no Beast.
//
// Requests run asynchronously on the client's own I/O threads, so a slow or dead server holds only
// its own connection: Send() returns at once and calls `done` exactly once, on an I/O thread, with
// the response or the reason there is none (kUnavailable; kForbidden when `check_address` refused
// every address). SendAndWait() is the blocking form. Each request has its own connection
// (`Connection: close`). The destructor waits for the requests in flight (their deadlines bound the wait).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace aih::http {

struct ClientRequest {
  std::string method = "GET";
  bool tls = false;    // https
  std::string host;    // a name, an IPv4 address, or an IPv6 address without brackets
  int port = 0;
  std::string target;  // path and query, at least "/"
  // Besides Host, User-Agent (unless given here) and Connection: close.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with a Content-Length when not empty, or when the method is POST
  std::chrono::milliseconds timeout{3000};
};

struct ClientResponse {
  int status = 0;
  std::string reason;
  std::string content_type;
  std::string body;
};

struct ClientOptions {
  int io_threads = 1;
  // Check the server's certificate chain and host name (https).
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle trusted in addition to the system's
  size_t max_response_bytes = 1 << 20;
  std::string user_agent = "aihistory";
  // Who answers, in messages: "the receiver at https://host:port did not answer within 300 ms".
  std::string peer = "the server";
  // Whether an address the host resolved to may be connected to (an IPv6 address, or an IPv4 one in
  // its IPv4-mapped form ::ffff:a.b.c.d): Ok or why not. Only the addresses that pass are connected
  // to, those very ones (the name is not resolved again). Null: every address.
  std::function<Status(const std::array<uint8_t, 16>& address)> check_address;
  // The I/O threads run in the background (base/background_thread.h): for sending that is not part
  // of answering a request (notification delivery).
  bool background = false;
};

// Whether a client with `options` can make TLS connections: kBadRequest naming ca_file when it does
// not read as PEM certificates, kInternal when the system's trusted certificates do not. (A client
// built anyway fails every https request with that reason.)
Status CheckClientTls(const ClientOptions& options);

class Client {
 public:
  using Callback = std::function<void(Result<ClientResponse>)>;

  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const;
  void Send(ClientRequest request, Callback done);
  Result<ClientResponse> SendAndWait(ClientRequest request);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace aih::http
