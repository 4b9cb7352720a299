// Client (http/client.h): the response limit. A webhook receiver or a JWKS host is not trusted, so a
// response larger than ClientOptions::max_response_bytes must end as kUnavailable, whichever way the
// body is framed and however it is split over TCP segments, not be buffered whole.
#include "http/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace aih::http {
namespace {

// A loopback server that answers one connection with canned bytes, written in the given pieces
// (each a separate write, with a pause between, so that the client reads them as they come).
class CannedServer {
 public:
  explicit CannedServer(std::vector<std::string> pieces) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, pieces = std::move(pieces)] {
      int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(connection, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      for (const std::string& piece : pieces) {
        // The client may close as soon as it has seen too much: a failed send ends the answer.
        if (::send(connection, piece.data(), piece.size(), MSG_NOSIGNAL) < 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ::close(connection);
    });
  }
  ~CannedServer() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

Result<ClientResponse> Get(int port, size_t limit) {
  ClientOptions options;
  options.max_response_bytes = limit;
  options.peer = "the receiver";
  Client client(options);
  ClientRequest request;
  request.host = "127.0.0.1";
  request.port = port;
  request.target = "/";
  return client.SendAndWait(request);
}

std::string Head(const std::string& framing) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + framing + "\r\nConnection: close\r\n\r\n";
}

void ExpectTooLarge(const Result<ClientResponse>& response) {
  ASSERT_FALSE(response.ok()) << "a response over the limit was accepted: " << response->body.size() << " bytes";
  EXPECT_EQ(response.status().code(), Code::kUnavailable);
  EXPECT_NE(response.status().message().find("the receiver at http://127.0.0.1:"), std::string::npos)
      << response.status().message();
  EXPECT_NE(response.status().message().find("sent a response larger than 1000 bytes"), std::string::npos)
      << response.status().message();
}

TEST(ClientResponseLimitTest, ABodyWithinTheLimitIsReturned) {
  std::string body(1000, 'a');
  CannedServer server({Head("Content-Length: 1000") + body});
  Result<ClientResponse> response = Get(server.port(), 1000);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, body);
}

TEST(ClientResponseLimitTest, AContentLengthBodySentWithTheHeadIsRefused) {
  // Head and body in one segment: Beast 1.74's body_limit lets this through, the client must not.
  CannedServer server({Head("Content-Length: 1001") + std::string(1001, 'a')});
  ExpectTooLarge(Get(server.port(), 1000));
}

TEST(ClientResponseLimitTest, AContentLengthAboveTheLimitIsRefusedBeforeTheBodyArrives) {
  // The head announces 100 MB and only a little follows: the client gives up on the announcement,
  // it does not wait for (or buffer) the body.
  CannedServer server({Head("Content-Length: 100000000"), std::string(10, 'a')});
  ExpectTooLarge(Get(server.port(), 1000));
}

TEST(ClientResponseLimitTest, AChunkedBodyGrowingPastTheLimitIsRefused) {
  std::vector<std::string> pieces = {Head("Transfer-Encoding: chunked")};
  for (int i = 0; i < 5; ++i) pieces.push_back("190\r\n" + std::string(400, 'a') + "\r\n");  // 5 x 400 bytes
  pieces.push_back("0\r\n\r\n");
  CannedServer server(pieces);
  ExpectTooLarge(Get(server.port(), 1000));
}

TEST(ClientResponseLimitTest, ABodyEndedByTheConnectionClosingIsRefusedPastTheLimit) {
  // No Content-Length and no chunks: the body runs until the server closes.
  CannedServer server({"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
                       std::string(600, 'a'), std::string(600, 'a')});
  ExpectTooLarge(Get(server.port(), 1000));
}

}  // namespace
}  // namespace aih::http
