// The server's streamed and deferred responses (http::ResponseStream): what a client sees on the wire.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"

namespace aih::http {
namespace {

// Sends one request and reads until the server closes the connection (Connection: close), so that
// a truncated response is seen as exactly what arrived.
std::string Exchange(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "<no connection>";
  }
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string in;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) in.append(buf, static_cast<size_t>(n));
  close(fd);
  return in;
}

std::string Get(const std::string& path, const std::string& version = "1.1") {
  return "GET " + path + " HTTP/" + version + "\r\nHost: x\r\nConnection: close\r\nclient-request-id: c-1\r\n\r\n";
}

// 3 MB: more than a socket takes at once, so the server writes each part in several goes.
std::string LargePart(char fill) { return std::string(3 << 20, fill); }

// The body of a chunked response, its chunks joined; "<malformed>" when the framing is broken.
std::string Dechunk(const std::string& wire) {
  size_t at = wire.find("\r\n\r\n");
  if (at == std::string::npos) return "<malformed>";
  std::string body;
  for (at += 4;;) {
    size_t eol = wire.find("\r\n", at);
    if (eol == std::string::npos) return "<malformed>";
    size_t size = std::stoul(wire.substr(at, eol - at), nullptr, 16);
    if (size == 0) return body;
    if (eol + 2 + size + 2 > wire.size()) return "<malformed>";
    body.append(wire, eol + 2, size);
    at = eol + 2 + size + 2;
  }
}

// A producer of kPacedParts parts of 256 KB that honours back-pressure: it stops when Write()
// says so and continues from where it stopped when the server runs its rest.
constexpr int kPacedParts = 64;
std::string PacedPart(int i) { return std::string(256 * 1024, static_cast<char>('a' + i % 26)); }

Response Paced(const Request& request, std::shared_ptr<int> next, std::atomic<int>* produced) {
  while (*next < kPacedParts) {
    const int i = (*next)++;
    ++*produced;
    if (!request.stream->Write(PacedPart(i))) {
      request.stream->Resume([&request, next, produced] { return Paced(request, next, produced); });
      return Response();
    }
  }
  Response end;
  end.body = "end";
  return end;
}

class ResponseStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.http_port = 0;
    options.worker_threads = 2;
    options.stream_buffer_bytes = 64 * 1024;
    auto server = Server::Start(options, [this](const Request& request) {
      Response response;
      if (request.path().rfind("/defer", 0) == 0) return Deferred(request);
      if (request.path() == "/paced" && request.stream->can_stream()) {
        request.stream->Begin(response);
        return Paced(request, std::make_shared<int>(0), &produced_);
      }
      if (!request.stream->can_stream()) {
        response.body = "not streamed";
        return response;
      }
      response.SetHeader("x-kind", "streamed");
      request.stream->Begin(response);
      if (request.path() == "/large") {
        for (char c : std::string("abc")) request.stream->Write(LargePart(c));
        response.body = "end";
        return response;
      }
      request.stream->Write("first,");
      request.stream->Write("");  // ignored: an empty chunk would end the body
      request.stream->Write("second,");
      if (request.path() == "/broken") {
        Response failure;
        failure.status = 500;  // too late to say so: the head has gone
        failure.body = "{\"error\":{}}";
        return failure;
      }
      response.body = "last";
      return response;
    });
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }

  // /defer-now: the continuation is called before the handler returns; /defer-held: it is kept until
  // Release(); /defer-dropped: it is destroyed uncalled.
  Response Deferred(const Request& request) {
    auto answer = request.stream->Defer();
    const std::string path(request.path());
    auto rest = [path] {
      Response r;
      r.status = 201;
      r.body = "answered " + path;
      return r;
    };
    if (path == "/defer-now") {
      answer(rest);
      answer(rest);  // ignored: one answer per request
    } else if (path == "/defer-held") {
      std::lock_guard lock(mu_);
      held_.push_back([answer, rest] { answer(rest); });
    }
    ++deferred_;
    Response ignored;
    ignored.body = "never sent";
    return ignored;
  }
  void Release() {
    std::vector<std::function<void()>> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
    }
    for (auto& answer : held) std::thread(answer).detach();  // from threads of nobody's
  }

  std::unique_ptr<Server> server_;
  std::atomic<int> produced_{0};
  std::atomic<int> deferred_{0};
  std::mutex mu_;
  std::vector<std::function<void()>> held_;
};

TEST_F(ResponseStreamTest, ADeferredRequestIsAnsweredByItsContinuationEvenBeforeTheHandlerReturns) {
  for (const char* version : {"1.1", "1.0"}) {
    for (int i = 0; i < 20; ++i) {  // the continuation races the handler's return: never a lost or doubled answer
      std::string wire = Exchange(server_->http_port(), Get("/defer-now", version));
      EXPECT_EQ(wire.rfind(std::string("HTTP/1.1 201 Created\r\n"), 0), 0u) << wire;
      EXPECT_NE(wire.find("request-id: "), std::string::npos) << wire;
      EXPECT_NE(wire.find("client-request-id: c-1\r\n"), std::string::npos) << wire;
      EXPECT_NE(wire.find("\r\n\r\nanswered /defer-now"), std::string::npos) << wire;
      EXPECT_EQ(wire.find("never sent"), std::string::npos) << wire;
      EXPECT_EQ(wire.find("answered", wire.find("answered") + 1), std::string::npos) << wire;
    }
  }
}

TEST_F(ResponseStreamTest, DeferredRequestsHoldNoWorker) {
  constexpr int kDeferred = 5;  // more than the two workers
  std::vector<std::string> wires(kDeferred);
  std::vector<std::thread> clients;
  for (int i = 0; i < kDeferred; ++i) {
    clients.emplace_back([&, i] { wires[i] = Exchange(server_->http_port(), Get("/defer-held")); });
  }
  for (int i = 0; i < 3000 && deferred_ < kDeferred; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(deferred_, kDeferred) << "the deferred requests did not all reach a handler: they hold the workers";
  // Both workers are free for others while five requests wait.
  EXPECT_NE(Exchange(server_->http_port(), Get("/ok")).find("4\r\nlast\r\n0\r\n\r\n"), std::string::npos);
  Release();
  for (auto& t : clients) t.join();
  for (const auto& wire : wires) {
    EXPECT_EQ(wire.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << wire;
    EXPECT_NE(wire.find("answered /defer-held"), std::string::npos) << wire;
  }
}

TEST_F(ResponseStreamTest, AContinuationDroppedUncalledClosesTheConnectionUnanswered) {
  EXPECT_EQ(Exchange(server_->http_port(), Get("/defer-dropped")), "");
  // And the server goes on serving.
  EXPECT_NE(Exchange(server_->http_port(), Get("/defer-now")).find("answered /defer-now"), std::string::npos);
}

TEST_F(ResponseStreamTest, PartsArriveAsOneChunkedBodyWithTheHeadersOfBegin) {
  std::string wire = Exchange(server_->http_port(), Get("/ok"));
  EXPECT_EQ(wire.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << wire;
  EXPECT_NE(wire.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << wire;
  EXPECT_NE(wire.find("x-kind: streamed\r\n"), std::string::npos) << wire;
  EXPECT_NE(wire.find("request-id: "), std::string::npos) << wire;
  EXPECT_NE(wire.find("client-request-id: c-1\r\n"), std::string::npos) << wire;
  std::string body = wire.substr(wire.find("\r\n\r\n") + 4);
  EXPECT_EQ(body, "6\r\nfirst,\r\n7\r\nsecond,\r\n4\r\nlast\r\n0\r\n\r\n");
}

TEST_F(ResponseStreamTest, AFailureAfterTheHeadTruncatesTheResponseInsteadOfCompletingIt) {
  std::string wire = Exchange(server_->http_port(), Get("/broken"));
  EXPECT_EQ(wire.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << wire;
  std::string body = wire.substr(wire.find("\r\n\r\n") + 4);
  // Whatever was sent before the failure, never the last chunk: a client cannot take it as whole.
  EXPECT_EQ(body.find("0\r\n\r\n"), std::string::npos) << body;
  EXPECT_EQ(body.find("error"), std::string::npos) << body;
}

TEST_F(ResponseStreamTest, Http10RequestsAreNotStreamed) {
  std::string wire = Exchange(server_->http_port(), Get("/ok", "1.0"));
  EXPECT_EQ(wire.find("chunked"), std::string::npos) << wire;
  EXPECT_NE(wire.find("\r\n\r\nnot streamed"), std::string::npos) << wire;
}

TEST_F(ResponseStreamTest, KeepAliveContinuesAfterAStreamedResponse) {
  std::string two = "GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string wire = Exchange(server_->http_port(), two);
  size_t first = wire.find("4\r\nlast\r\n0\r\n\r\n");
  ASSERT_NE(first, std::string::npos) << wire;
  EXPECT_NE(wire.find("4\r\nlast\r\n0\r\n\r\n", first + 1), std::string::npos) << wire;
}

// Connections are spread over the I/O threads (one io_context each); parts larger than the socket
// buffer arrive whole and in order on every one of them at once.
TEST_F(ResponseStreamTest, LargePartsArriveWholeOnManyConnectionsAtOnce) {
  constexpr int kClients = 6;
  std::vector<std::string> bodies(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] { bodies[i] = Dechunk(Exchange(server_->http_port(), Get("/large"))); });
  }
  for (auto& t : clients) t.join();
  const std::string expected = LargePart('a') + LargePart('b') + LargePart('c') + "end";
  for (int i = 0; i < kClients; ++i) {
    EXPECT_EQ(bodies[i].size(), expected.size()) << "client " << i;
    EXPECT_TRUE(bodies[i] == expected) << "client " << i << " received different bytes";
  }
}

// A client that does not read holds the producer at the stream buffer (plus what the kernel's socket
// buffers took), not at the whole body; once it reads, the rest follows, whole and in order.
TEST_F(ResponseStreamTest, AProducerWaitsForAClientThatDoesNotReadAndGoesOnWhenItDoes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->http_port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string request = Get("/paced");
  ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_LE(produced_.load(), kPacedParts / 2) << "the producer ran ahead of a client that reads nothing";
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string wire;
  char buf[65536];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) wire.append(buf, static_cast<size_t>(n));
  close(fd);
  std::string expected;
  for (int i = 0; i < kPacedParts; ++i) expected += PacedPart(i);
  expected += "end";
  std::string body = Dechunk(wire);
  EXPECT_EQ(body.size(), expected.size());
  EXPECT_TRUE(body == expected) << "the body arrived different";
  EXPECT_EQ(produced_.load(), kPacedParts);
}

}  // namespace
}  // namespace aih::http
