// Server: the HTTP/1.1 listener (plain and TLS) that hands each request to one Handler.
//
// Connections are served asynchronously on a few I/O threads; the Handler runs on a separate pool
// of worker threads, so it may block (on the database, on a group commit) without stalling I/O.
// The server enforces the transport limits itself, answering in the Graph error shape: a body over
// max_body_bytes gets 413 before it is read, a malformed request 400, a slow client is cut off
// after read_timeout. Keep-alive is honoured. Stop() closes the listeners and drains.
#pragma once

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
  int read_timeout_seconds = 60;
};

class Server {
 public:
  // Binds the listeners (so ports are known when Start returns) and starts serving. A port another
  // socket holds fails with Conflict, "port <n> is in use" (the HTTP listener is bound first).
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  ~Server();  // Stop()

  int http_port() const;   // the bound port, -1 if none
  int https_port() const;
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace aih::http
