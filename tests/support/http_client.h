// HttpClient: a minimal blocking HTTP/1.1 client for integration tests, over loopback TCP.
//
// One request per call on a keep-alive connection that is reopened when the server closes it.
// It sends exactly what it is given (so tests can send malformed requests too) and reads the
// response by Content-Length or chunked. No TLS: the compatibility suite exercises HTTPS with real clients.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aih::testing {

struct HttpResult {
  int status = 0;  // 0: no response (connection failed or closed)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient();

  HttpResult Send(const std::string& method, const std::string& target,
                  const std::vector<std::pair<std::string, std::string>>& headers = {},
                  const std::string& body = "");
  // Sends raw bytes and reads one response (for malformed-request tests).
  HttpResult SendRaw(const std::string& bytes);

 private:
  bool Connect();
  int port_;
  int fd_ = -1;
};

}  // namespace aih::testing
