#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

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

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  HttpResult r = SendRaw(req);
  if (r.status == 0) r = SendRaw(req);  // the keep-alive connection had been closed: once more
  return r;
}

HttpResult HttpClient::SendRaw(const std::string& bytes) {
  HttpResult result;
  if (fd_ < 0 && !Connect()) return result;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) before reading everything
    sent += static_cast<size_t>(n);
  }
  std::string in;
  size_t header_end = std::string::npos, need = 0;
  char buf[65536];
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 30000) <= 0) break;
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = in.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      // Status line and headers.
      result.status = std::atoi(in.c_str() + in.find(' ') + 1);
      size_t pos = in.find("\r\n") + 2;
      while (pos < header_end) {
        size_t eol = in.find("\r\n", pos);
        std::string line = in.substr(pos, eol - pos);
        size_t colon = line.find(':');
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        result.headers[name] = value;
        pos = eol + 2;
      }
      need = header_end + 4 + static_cast<size_t>(std::atoll(result.headers["content-length"].c_str()));
      if (result.status == 100) {  // interim response: keep reading the real one
        in.erase(0, header_end + 4);
        header_end = std::string::npos;
        result.headers.clear();
        continue;
      }
    }
    if (in.size() >= need) break;
  }
  if (header_end == std::string::npos || in.size() < need) {
    close(fd_);
    fd_ = -1;
    result.status = header_end == std::string::npos ? 0 : result.status;
    return result;
  }
  result.body = in.substr(header_end + 4, need - header_end - 4);
  if (result.headers["connection"] == "close") {
    close(fd_);
    fd_ = -1;
  }
  return result;
}

}  // namespace aih::testing
