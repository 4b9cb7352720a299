// Server: the HTTP/1.1 listener (plain and TLS) that hands each request to one Handler.
//
// Connections are served asynchronously on a few I/O threads; the Handler runs on a separate pool
// of worker threads, so it may block (on the database, on a group commit) without stalling I/O.
// The server enforces the transport limits itself, answering in the Graph error shape: a body over
// max_body_bytes gets 413 before it is read, a malformed request 400, a Transfer-Encoding other than
// chunked 501 and a Content-Encoding it does not decode 415 (both closing the connection, so that a
// body it cannot frame is never read as the next request). A body in gzip (the one coding decoded,
// content_coding.h) reaches the handler decoded, refused with 413 when it inflates past max_body_bytes. Connections are counted and limited in
// total and per address (connection_table.h); TLS handshakes, request heads, request bodies, idle
// keep-alive connections and every write have their own timeout. A streamed response holds at most
// stream_buffer_bytes unsent per connection (message.h: ResponseStream), so a client that does not
// read costs neither a worker nor unbounded memory. When accept runs out of descriptors it backs off
// instead of spinning. After connections have closed, freed heap is returned to the system.
// Keep-alive is honoured.
//
// Shutting down: Drain() closes the listeners (new connections are refused) and waits, up to a grace
// period, for the requests in flight (from their first header byte to the last byte of their
// response) to finish; connections are closed after their current response. Stop() then ends
// whatever remains.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/message.h"

namespace aih::http {

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  int http_port = -1;   // -1: no plain listener; 0: any free port
  int https_port = -1;  // -1: no TLS listener; 0: any free port
  std::string tls_cert_pem;  // PEM certificate chain (https)
  std::string tls_key_pem;   // PEM private key (https)
  int io_threads = 2;
  int worker_threads = 32;
  size_t max_body_bytes = 8 * 1024 * 1024;
  // Connection limits (connection_table.h); 0: none.
  size_t max_connections = 10000;
  size_t max_connections_per_address = 256;
  size_t max_tls_handshakes = 1000;
  // Timeouts, in seconds.
  int tls_handshake_timeout_seconds = 10;  // from accept until the TLS handshake is done
  int request_head_timeout_seconds = 20;   // for a whole request head, from accept or its first byte
  int body_timeout_seconds = 60;           // for a whole request body
  int idle_timeout_seconds = 60;           // a kept-alive connection waiting for its next request
  int send_timeout_seconds = 30;           // for each write of a response: a client that takes none
                                           //   of it for this long is dropped
  size_t stream_buffer_bytes = 512 * 1024;  // unsent bytes of a streamed response, per connection
  int memory_return_seconds = 5;            // how often freed heap is returned after connections closed
  // Each request's log line and metrics (request_log.h), and the open connections gauge; off for a
  // listener that serves only /metrics to the monitoring.
  bool record_requests = true;
};

class Server {
 public:
  // Binds the listeners (so ports are known when Start returns) and starts serving. A port another
  // socket holds fails with Conflict, "port <n> is in use" (the HTTP listener is bound first).
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  ~Server();  // Stop()

  int http_port() const;   // the bound port, -1 if none
  int https_port() const;
  // Stops accepting and waits up to `grace` for the requests in flight; returns how many were still
  // in flight when it gave up (0: all finished). Call Stop() after it.
  int Drain(std::chrono::milliseconds grace);
  void Stop();

  struct Counts {
    size_t open_connections = 0, refused_connections = 0, closed_for_room = 0, accept_backoffs = 0;
  };
  Counts counts() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace aih::http
