// WebhookClient: POSTs to webhook receivers over HTTP/1.1, plain or TLS, each request bounded by one
// deadline that covers everything (resolving, connecting, the TLS handshake, writing, reading).
//
// Requests run asynchronously on the client's own I/O threads, so a slow or dead receiver holds only
// its own connection: Post() returns at once and calls `done` exactly once, on an I/O thread, with
// the response or the reason there is none (kUnavailable). PostAndWait() is the blocking form. Each
// request has its own connection (`Connection: close`): nothing of one receiver leaks into another's
// request. The destructor waits for the requests in flight (their deadlines bound the wait).
//
// Every request obeys the client's ReceiverPolicy (receiver_policy.h): a plain http URL is refused
// unless allowed, and the host is resolved, each resolved address checked, and the connection made
// only to the addresses that passed, so that neither a numeric spelling nor DNS rebinding reaches a
// loopback, private or link-local address that is not explicitly allowed (kForbidden otherwise).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "notify/receiver_policy.h"

namespace aih::notify {

struct WebhookRequest {
  std::string url;  // absolute http(s) URL (webhook_url.h)
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{3000};
};

struct WebhookResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct WebhookClientOptions {
  int io_threads = 1;
  // Check the receiver's certificate chain and host name (https). Off only for local tests
  // (`serve --webhook-verify-tls=false`).
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle trusted in addition to the system's (`serve --webhook-ca-file`)
  size_t max_response_bytes = 1 << 20;
  // Which receivers may be called (`serve --webhook-allow-network`, `--webhook-allow-http`).
  ReceiverPolicy receivers;
  // Its I/O threads run in the background (base/background_thread.h): the delivery worker's client,
  // whose sending is part of delivery; not the handshake's, which a request waits for.
  bool background = false;
};

// Whether a client with `options` can make TLS connections: kBadRequest naming ca_file when it does
// not read as PEM certificates. (A client built anyway fails every https request with that reason.)
Status CheckWebhookClientOptions(const WebhookClientOptions& options);

class WebhookClient {
 public:
  using Callback = std::function<void(Result<WebhookResponse>)>;

  explicit WebhookClient(WebhookClientOptions options = {});
  ~WebhookClient();
  WebhookClient(const WebhookClient&) = delete;
  WebhookClient& operator=(const WebhookClient&) = delete;

  void Post(WebhookRequest request, Callback done);
  Result<WebhookResponse> PostAndWait(WebhookRequest request);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace aih::notify
