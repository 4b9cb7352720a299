// Graceful shutdown (serve.cc, http::Server::Drain): on SIGTERM the server refuses new connections,
// lets the request in flight finish and commit, exits 0, and does not wait for idle connections;
// --shutdown-grace bounds how long it waits for a request that does not finish.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <future>
#include <set>

#include "integration_fixture.h"

namespace aih::testing {
namespace {

// A loopback TCP connection that sends exactly what it is given, when it is given.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      error_ = errno;
      close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  bool connected() const { return fd_ >= 0; }
  int error() const { return error_; }
  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  // Reads until `done(received)` holds or the connection ends (30 s at most per read).
  std::string ReadUntil(const std::function<bool(const std::string&)>& done) {
    timeval timeout{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buf[65536];
    while (!done(received_)) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<size_t>(n));
    }
    return received_;
  }

 private:
  int fd_ = -1;
  int error_ = 0;
  std::string received_;
};

// Whether `text` holds a whole response with a Content-Length body.
bool WholeResponse(const std::string& text) {
  auto end = text.find("\r\n\r\n", text.find("HTTP/1.1 200") == std::string::npos ? 0 : text.find("HTTP/1.1 200"));
  if (end == std::string::npos) return false;
  auto at = text.find("Content-Length: ");
  if (at == std::string::npos) at = text.find("content-length: ");
  if (at == std::string::npos) return false;
  return text.size() >= end + 4 + std::stoul(text.substr(at + 16));
}

class ShutdownTest : public ServerTest {
 protected:
  // A POST of `items` interactions whose head asks "Expect: 100-continue": the server's
  // "100 Continue" proves that the request has reached it before the body is sent.
  std::string Head(size_t body_bytes) {
    return "POST /v1.0/copilot/interactionHistory/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Authorization: Bearer " + writer_token_ + "\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: " + std::to_string(body_bytes) + "\r\n\r\n";
  }
  std::string Batch(const std::string& prefix, int n, std::vector<std::string>* ids) {
    std::string body = "[";
    for (int i = 0; i < n; ++i) {
      ids->push_back(prefix + std::to_string(i));
      body += (i ? "," : "") + Item(ids->back(), "2026-04-01T00:00:00Z");
    }
    return body + "]";
  }
};

TEST_P(ShutdownTest, SigtermLetsTheRequestInFlightFinishRefusesNewConnectionsAndExitsZero) {
  StartServer({"--shutdown-grace", "600"});
  const int port = server_->port();
  // An idle kept-alive connection must not hold the shutdown up.
  RawConnection idle(port);
  ASSERT_TRUE(idle.Send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_NE(idle.ReadUntil(WholeResponse).find("200 OK"), std::string::npos);

  std::vector<std::string> ids;
  const std::string body = Batch("drain-", 2000, &ids);
  RawConnection writer(port);
  ASSERT_TRUE(writer.Send(Head(body.size()) + body.substr(0, body.size() / 2)));
  ASSERT_NE(writer.ReadUntil([](const std::string& t) { return t.find("\r\n\r\n") != std::string::npos; })
                .find("100 Continue"),
            std::string::npos);

  // SIGTERM while the batch is half sent; Terminate() waits for the process to end.
  auto exited = std::async(std::launch::async, [&] { return server_->Terminate(); });
  bool refused = false;
  for (int i = 0; i < 3000 && !refused; ++i) {
    RawConnection probe(port);
    refused = !probe.connected() && probe.error() == ECONNREFUSED;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(refused) << "new connections were still accepted after SIGTERM";

  // The request in flight completes, acknowledged, and its connection is closed after it.
  ASSERT_TRUE(writer.Send(body.substr(body.size() / 2)));
  const std::string response = writer.ReadUntil(WholeResponse);
  EXPECT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response.substr(0, 2000);
  EXPECT_NE(response.find("\"stored\":2000"), std::string::npos) << response.substr(0, 2000);
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response.substr(0, 2000);

  // It exits by itself, long before the grace period, with status 0.
  ASSERT_EQ(exited.wait_for(std::chrono::seconds(60)), std::future_status::ready)
      << "the server waited for an idle connection";
  const int status = exited.get();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "exit status " << status;

  // What it acknowledged was committed.
  StartServer();
  std::set<std::string> found;
  std::string target = "/v1.0/copilot/users/" + demo_.licensed_user +
                       "/interactionHistory/getAllEnterpriseInteractions?$top=1000";
  while (!target.empty()) {
    auto r = client_->Send("GET", target, {{"Authorization", "Bearer " + exporter_token_}});
    ASSERT_EQ(r.status, 200) << r.body;
    for (size_t i = 0; i < JsonLength(r.body, "value"); ++i) found.insert(JsonValue(r.body, "value." + std::to_string(i) + ".id"));
    std::string next = JsonValue(r.body, "@odata.nextLink");
    target = next == "<missing>" ? "" : next.substr(next.find("/v1.0/"));
  }
  size_t missing = 0;
  for (const auto& id : ids) missing += found.count(id) == 0;
  EXPECT_EQ(missing, 0u);
}

TEST_P(ShutdownTest, TheGracePeriodBoundsTheWaitForARequestThatNeverFinishes) {
  StartServer({"--shutdown-grace", "1"});
  std::vector<std::string> ids;
  const std::string body = Batch("stall-", 10, &ids);
  RawConnection stalled(server_->port());
  ASSERT_TRUE(stalled.Send(Head(body.size())));
  ASSERT_NE(stalled.ReadUntil([](const std::string& t) { return t.find("\r\n\r\n") != std::string::npos; })
                .find("100 Continue"),
            std::string::npos);
  // The body never comes: the server gives up after its grace period (1 s), not after the
  // request's read timeout (60 s).
  auto exited = std::async(std::launch::async, [&] { return server_->Terminate(); });
  ASSERT_EQ(exited.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const int status = exited.get();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "exit status " << status;
}

INSTANTIATE_TEST_SUITE_P(Engines, ShutdownTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
