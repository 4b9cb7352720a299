#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace aih::testing {

HttpClient::~HttpClient() {
  if (fd_ >= 0) close(fd_);
}

bool HttpClient::Connect() {
  if (fd_ >= 0) close(fd_);
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    fd_ = -1;
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

namespace {

std::string RequestBytes(const std::string& method, const std::string& target, int port,
                         const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
  for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  return req;
}

// Buffered reads from a socket that hand large bodies on in pieces, received into `scratch` (the
// benchmark receives gigabytes through this client: no copies beyond the one out of the kernel).
class SocketReader {
 public:
  SocketReader(int fd, std::vector<char>& scratch) : fd_(fd), scratch_(scratch) {}

  // Reads until `delimiter` is buffered; returns the text before it and consumes both.
  bool ReadUntil(std::string_view delimiter, std::string* out) {
    for (;;) {
      size_t at = std::string_view(buf_).find(delimiter, pos_);
      if (at != std::string::npos) {
        out->assign(buf_, pos_, at - pos_);
        pos_ = at + delimiter.size();
        return true;
      }
      if (!Fill()) return false;
    }
  }

  // Hands exactly the next `n` bytes to `sink`.
  bool ReadExactly(size_t n, const BodySink& sink) {
    size_t have = std::min(n, buf_.size() - pos_);
    if (have) sink(std::string_view(buf_).substr(pos_, have));
    pos_ += have;
    if (scratch_.empty()) scratch_.resize(256 * 1024);
    for (size_t left = n - have; left > 0;) {
      ssize_t r = recv(fd_, scratch_.data(), std::min(left, scratch_.size()), 0);
      if (r <= 0) return false;
      sink(std::string_view(scratch_.data(), static_cast<size_t>(r)));
      left -= static_cast<size_t>(r);
    }
    return true;
  }

 private:
  bool Fill() {
    if (pos_ == buf_.size()) {
      buf_.clear();
      pos_ = 0;
    }
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::vector<char>& scratch_;
  std::string buf_;
  size_t pos_ = 0;
};

// Parses the status line and header fields of `head` into `result`.
void ParseHead(const std::string& head, HttpResult* result) {
  result->status = std::atoi(head.c_str() + head.find(' ') + 1);
  result->headers.clear();
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos + 2 < head.size()) {
    pos += 2;
    size_t eol = head.find("\r\n", pos);
    std::string line = head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    result->headers[name] = value;
    pos = eol;
  }
}

// Reads a chunked body (RFC 9112 7.1) into `body`; trailers are read and dropped.
bool ReadChunked(SocketReader& in, const BodySink& body) {
  std::string line;
  for (;;) {
    if (!in.ReadUntil("\r\n", &line)) return false;
    size_t size = std::strtoull(line.c_str(), nullptr, 16);  // chunk extensions after ';' ignored
    if (size == 0) break;
    if (!in.ReadExactly(size, body) || !in.ReadUntil("\r\n", &line) || !line.empty()) return false;
  }
  do {
    if (!in.ReadUntil("\r\n", &line)) return false;
  } while (!line.empty());
  return true;
}

}  // namespace

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  const std::string req = RequestBytes(method, target, port_, headers, body);
  HttpResult r = Exchange(req, nullptr);
  if (r.status == 0) r = Exchange(req, nullptr);  // the keep-alive connection had been closed: once more
  return r;
}

HttpResult HttpClient::Stream(const std::string& method, const std::string& target,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const BodySink& on_body) {
  const std::string req = RequestBytes(method, target, port_, headers, "");
  HttpResult r = Exchange(req, &on_body);
  if (r.status == 0) r = Exchange(req, &on_body);  // status 0: no response began, nothing was streamed
  return r;
}

HttpResult HttpClient::SendRaw(const std::string& bytes) { return Exchange(bytes, nullptr); }

HttpResult HttpClient::Exchange(const std::string& bytes, const BodySink* on_body) {
  HttpResult result;
  if (fd_ < 0 && !Connect()) return result;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) before reading everything
    sent += static_cast<size_t>(n);
  }
  timeval timeout{30, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  SocketReader in(fd_, scratch_);
  const BodySink collect = [&result](std::string_view piece) { result.body.append(piece); };
  const BodySink& body = on_body ? *on_body : collect;
  std::string head;
  bool complete = false;
  while (in.ReadUntil("\r\n\r\n", &head)) {
    ParseHead(head, &result);
    if (result.status == 100) continue;  // interim response: keep reading the real one
    auto encoding = result.headers.find("transfer-encoding");
    if (encoding != result.headers.end() && encoding->second.find("chunked") != std::string::npos) {
      complete = ReadChunked(in, body);
    } else {
      size_t length = static_cast<size_t>(std::atoll(result.headers["content-length"].c_str()));
      if (!on_body) result.body.reserve(length);
      complete = in.ReadExactly(length, body);
    }
    break;
  }
  result.complete = complete;
  if (!complete) {
    close(fd_);
    fd_ = -1;
    if (result.headers.empty()) result.status = 0;
    result.body.clear();
    return result;
  }
  if (result.headers["connection"] == "close") {
    close(fd_);
    fd_ = -1;
  }
  return result;
}

}  // namespace aih::testing
