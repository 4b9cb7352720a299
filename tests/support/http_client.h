// HttpClient: a minimal blocking HTTP/1.1 client for integration tests, over loopback TCP.
//
// One request per call on a keep-alive connection that is reopened when the server closes it.
// It sends exactly what it is given (so tests can send malformed requests too) and reads the
// response by Content-Length or chunked. No TLS: the compatibility suite exercises HTTPS with real clients.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aih::testing {

struct HttpResult {
  int status = 0;  // 0: no response (connection failed or closed)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool complete = false;  // the whole response arrived (a stream that breaks off keeps its status)
};

// Receives a response body piece by piece, in order, as it arrives.
using BodySink = std::function<void(std::string_view piece)>;

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient();

  HttpResult Send(const std::string& method, const std::string& target,
                  const std::vector<std::pair<std::string, std::string>>& headers = {},
                  const std::string& body = "");
  // Like Send, but hands the body to `on_body` as it arrives instead of collecting it (the result's
  // body stays empty): the benchmark pages gigabytes through this and inspects them on the way.
  // A response that breaks off midway is not `complete`; `on_body` may have seen part of it.
  HttpResult Stream(const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers, const BodySink& on_body);
  // Sends raw bytes and reads one response (for malformed-request tests).
  HttpResult SendRaw(const std::string& bytes);

 private:
  bool Connect();
  HttpResult Exchange(const std::string& bytes, const BodySink* on_body);
  int port_;
  int fd_ = -1;
  std::vector<char> scratch_;  // where streamed body bytes are received, reused across responses
};

}  // namespace aih::testing
