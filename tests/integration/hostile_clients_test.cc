// Hostile clients at the transport: a real server over loopback, attacked as a client could.
// Connection floods (idle, slowloris, half-open TLS), clients that never read, running out of
// descriptors, and framing the server cannot read. Each test states the attack and what must
// still hold. Bounds carry a tenfold margin or more: they tell "works" from "stuck", not fast
// from slow. Attackers connect from other loopback addresses (127.0.0.2, ...) than the
// well-behaved client (127.0.0.1), as they would from other hosts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration_fixture.h"
#include "support/gzip.h"

namespace aih::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Lets this process hold thousands of sockets (the attackers).
void RaiseOwnDescriptorLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

// A connected TCP socket to 127.0.0.1:port from the loopback address `source`, or -1.
int Connect(int port, const std::string& source = "127.0.0.1") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);  // bounds connect() too
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The n-th attacker address: 127.0.0.2, 127.0.0.3, ...
std::string AttackerAddress(int n) { return "127.0.0." + std::to_string(2 + n); }

bool SendAll(int fd, const std::string& bytes) {
  for (size_t sent = 0; sent < bytes.size();) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Everything the server sends until it closes the connection, or until `seconds` pass.
std::string ReadUntilClosed(int fd, int seconds, bool* closed = nullptr) {
  std::string in;
  auto deadline = Clock::now() + std::chrono::seconds(seconds);
  if (closed) *closed = false;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[16384];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (closed) *closed = true;
      break;
    }
    in.append(buf, static_cast<size_t>(n));
  }
  return in;
}

// Whether the server closes (or resets) `fd` within `seconds`; what it sent is dropped.
bool ClosedWithin(int fd, int seconds) {
  bool closed = false;
  ReadUntilClosed(fd, seconds, &closed);
  return closed;
}

// The first flight of a TLS client: sent to the server, which answers and then waits for a client
// that never goes on (a half-open handshake). One ClientHello replayed on every connection.
std::string ClientHello() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_set_connect_state(ssl);
  SSL_do_handshake(ssl);  // writes the ClientHello, then wants to read
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  std::string hello(data, static_cast<size_t>(size));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return hello;
}

// The server's resident memory, in MB (from /proc/<pid>/status).
double RssMb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

// CPU time the server has used so far, in seconds (utime + stime of /proc/<pid>/stat).
double CpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(all.substr(all.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

bool IsValidJson(const std::string& body) {
  simdjson::dom::parser parser;
  return !parser.parse(body).error();  // simdjson also checks the UTF-8
}

class HostileClientsTest : public ServerTest {
 protected:
  void SetUp() override {
    RaiseOwnDescriptorLimit();
    ServerTest::SetUp();
  }
  void TearDown() override {
    CloseAttackers();
    ServerTest::TearDown();
  }
  void Restart(const std::vector<std::string>& flags) {
    server_.reset();
    StartServer(flags);
  }
  // Restarts the server as a shell with `ulimit -n <soft>` would start it: the common default of
  // 1,024 descriptors, with a higher hard limit.
  void RestartWithSoftDescriptorLimit(rlim_t soft, const std::vector<std::string>& flags) {
    rlimit own{};
    getrlimit(RLIMIT_NOFILE, &own);
    rlimit lowered = own;
    lowered.rlim_cur = soft;
    setrlimit(RLIMIT_NOFILE, &lowered);
    server_.reset();
    server_ = ServerProcess::Start(store_, flags);  // inherits the lowered limit
    setrlimit(RLIMIT_NOFILE, &own);
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<HttpClient>(server_->port());
    exporter_token_ = FetchToken(*client_, demo_.tenant_id, demo_.exporter_id, demo_.exporter_secret);
    writer_token_ = FetchToken(*client_, demo_.tenant_id, demo_.writer_id, demo_.writer_secret);
    ASSERT_FALSE(exporter_token_.empty());
  }

  // Opens `count` connections to `port` spread over `addresses` attacker addresses, sends each
  // `first_bytes` (may be empty) and keeps them open; returns how many connected.
  int Attack(int port, int count, int addresses, const std::string& first_bytes) {
    int connected = 0;
    for (int i = 0; i < count; ++i) {
      int fd = Connect(port, AttackerAddress(i % addresses));
      if (fd < 0) continue;
      if (!first_bytes.empty()) SendAll(fd, first_bytes);
      attackers_.push_back(fd);
      ++connected;
    }
    return connected;
  }
  void CloseAttackers() {
    for (int fd : attackers_) close(fd);
    attackers_.clear();
  }

  std::string ExportRequest(const std::string& query) {
    return "GET /v1.0/copilot/users/" + demo_.licensed_user +
           "/interactionHistory/getAllEnterpriseInteractions" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
           "Authorization: Bearer " + exporter_token_ + "\r\n\r\n";
  }

  // A well-behaved client on a new connection: its export, and how long it took.
  HttpResult ExportOnNewConnection(double* seconds) {
    auto start = Clock::now();
    HttpClient fresh(server_->port());
    auto result = fresh.Send("GET", "/v1.0/copilot/users/" + demo_.licensed_user +
                                        "/interactionHistory/getAllEnterpriseInteractions?$top=10",
                             {{"Authorization", "Bearer " + exporter_token_}});
    *seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  }

  // Stores `count` interactions of about `bytes` each for the licensed user.
  void StoreLargeItems(int count, size_t bytes) {
    const std::string filler(bytes, 'x');
    for (int first = 0; first < count; first += 250) {
      std::string batch = "[";
      for (int i = first; i < std::min(count, first + 250); ++i) {
        char created[32];
        std::snprintf(created, sizeof created, "2026-03-%02dT%02d:%02d:00Z", 1 + i / 1440, (i / 60) % 24, i % 60);
        std::string item = Item("big" + std::to_string(i), created);
        item.replace(item.find("prompt "), 7, "prompt " + filler + " ");
        batch += (i > first ? "," : "") + item;
      }
      batch += "]";
      ASSERT_EQ(Write(batch).status, 200);
    }
  }

  // Many clients at once, each reading a large page whole: every worker thread and its database
  // connection warmed up, so that the baseline is the server's normal state under load.
  void WarmUp(const std::string& query) {
    std::vector<std::thread> clients;
    for (int i = 0; i < 64; ++i) {
      clients.emplace_back([&] {
        HttpClient client(server_->port());
        client.Send("GET", "/v1.0/copilot/users/" + demo_.licensed_user + "/interactionHistory/getAllEnterpriseInteractions" +
                               query, {{"Authorization", "Bearer " + exporter_token_}});
      });
    }
    for (auto& t : clients) t.join();
  }

  // Waits (up to `seconds`) for the server's RSS to fall to `mb`; returns the last reading.
  double WaitForRssAtMost(double mb, int seconds) {
    double rss = RssMb(server_->pid());
    for (auto deadline = Clock::now() + std::chrono::seconds(seconds); rss > mb && Clock::now() < deadline;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      rss = RssMb(server_->pid());
    }
    return rss;
  }

  std::vector<int> attackers_;
};

// --- Framing (item 6) ---

TEST_P(HostileClientsTest, AnUnknownTransferEncodingIsRefusedAndItsBodyNeverReadAsARequest) {
  for (const std::string coding : {"gzip", "xchunked", "gzip, chunked", "chunked, gzip"}) {
    int fd = Connect(server_->port());
    ASSERT_GE(fd, 0);
    // The body is itself a request: read as having no body, it would be answered as the next one.
    const std::string smuggled = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_TRUE(SendAll(fd, "POST /v1.0/copilot/interactionHistory/interactions HTTP/1.1\r\nHost: x\r\n"
                            "Transfer-Encoding: " + coding + "\r\n\r\n" + smuggled));
    bool closed = false;
    std::string wire = ReadUntilClosed(fd, 20, &closed);
    close(fd);
    EXPECT_TRUE(closed) << coding << ": the connection stays open";
    EXPECT_TRUE(wire.rfind("HTTP/1.1 501 ", 0) == 0 || wire.rfind("HTTP/1.1 400 ", 0) == 0) << coding << ": " << wire;
    size_t responses = 0;
    for (size_t at = 0; (at = wire.find("HTTP/1.1 ", at)) != std::string::npos; ++at) ++responses;
    EXPECT_EQ(responses, 1u) << coding << ": the body was answered as a request:\n" << wire;
    std::string body = wire.substr(std::min(wire.size(), wire.find("\r\n\r\n") + 4));
    EXPECT_TRUE(IsValidJson(body)) << body;
  }
}

TEST_P(HostileClientsTest, ABodyInAContentEncodingTheServerDoesNotDecodeGets415NamingIt) {
  auto result = client_->Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                              {{"Authorization", "Bearer " + writer_token_},
                               {"Content-Type", "application/json"},
                               {"Content-Encoding", "br"}},
                              "[" + Item("ce-1") + "]");
  EXPECT_EQ(result.status, 415) << result.body;
  EXPECT_NE(result.body.find("'br'"), std::string::npos) << result.body;
  EXPECT_TRUE(IsValidJson(result.body)) << result.body;
  // Nothing was stored.
  auto page = Export();
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("ce-1"), std::string::npos);
  // identity is no coding at all.
  auto plain = client_->Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                             {{"Authorization", "Bearer " + writer_token_},
                              {"Content-Type", "application/json"},
                              {"Content-Encoding", "identity"}},
                             "[" + Item("ce-2") + "]");
  EXPECT_EQ(plain.status, 200) << plain.body;
}

// gzip is decoded (OTLP exporters compress so), and the body limit holds for what it inflates to.
TEST_P(HostileClientsTest, AGzipBodyIsInflatedWithinTheBodyLimit) {
  auto send = [&](const std::string& body) {
    return client_->Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                         {{"Authorization", "Bearer " + writer_token_},
                          {"Content-Type", "application/json"},
                          {"Content-Encoding", "gzip"}},
                         body);
  };
  auto zipped = send(Gzip("[" + Item("gz-1") + "]"));
  EXPECT_EQ(zipped.status, 200) << zipped.body;
  EXPECT_NE(Export().body.find("gz-1"), std::string::npos);

  // 64 MB of blanks in about 64 KB: past the 8 MB limit once inflated.
  auto bomb = send(Gzip("[" + Item("gz-2") + std::string(64 << 20, ' ') + "]"));
  EXPECT_EQ(bomb.status, 413) << bomb.body;
  EXPECT_NE(bomb.body.find("inflates to more than"), std::string::npos) << bomb.body;

  auto corrupt = send("not gzip at all");
  EXPECT_EQ(corrupt.status, 400) << corrupt.body;
  EXPECT_NE(corrupt.body.find("gzip"), std::string::npos) << corrupt.body;
  auto cut = Gzip("[" + Item("gz-3") + "]");
  auto truncated = send(cut.substr(0, cut.size() / 2));
  EXPECT_EQ(truncated.status, 400) << truncated.body;
  EXPECT_EQ(Export().body.find("gz-2"), std::string::npos);
  EXPECT_EQ(Export().body.find("gz-3"), std::string::npos);
}

// --- Errors are valid JSON (item 7) ---

TEST_P(HostileClientsTest, BytesThatAreNotUtf8InTheClientRequestIdOrAPathAreNotEchoedRaw) {
  const std::string bad = "id-\xff\xfe-\xc3(-\xed\xa0\x80-end";
  auto by_header = client_->Send("GET", "/v1.0/copilot/users/nobody/interactionHistory/getAllEnterpriseInteractions",
                                 {{"client-request-id", bad}});
  EXPECT_EQ(by_header.status, 401);
  EXPECT_TRUE(IsValidJson(by_header.body)) << by_header.body;
  EXPECT_NE(by_header.body.find("id-\xEF\xBF\xBD"), std::string::npos) << by_header.body;
  EXPECT_NE(by_header.body.find("-end"), std::string::npos) << by_header.body;

  auto by_path = client_->Send("GET", "/v1.0/copilot/users/%FF%FEx%C3/interactionHistory/getAllEnterpriseInteractions",
                               {{"Authorization", "Bearer " + exporter_token_}, {"client-request-id", bad}});
  EXPECT_GE(by_path.status, 400);
  EXPECT_TRUE(IsValidJson(by_path.body)) << by_path.body;
  auto unknown = client_->Send("GET", "/v1.0/\xff\xfe/%FF", {{"client-request-id", bad}});
  EXPECT_GE(unknown.status, 400);
  EXPECT_TRUE(IsValidJson(unknown.body)) << unknown.body;
}

// --- Connections (item 1) ---

TEST_P(HostileClientsTest, AnExportSucceedsWhileFiveThousandIdleSlowlorisAndHalfOpenTlsConnectionsAreHeld) {
  // Started as with `ulimit -n 1024`: the server must raise its own limit.
  ASSERT_NO_FATAL_FAILURE(RestartWithSoftDescriptorLimit(1024, {"--https-port", "0"}));
  ASSERT_GT(server_->https_port(), 0);
  double seconds = 0;
  ASSERT_EQ(ExportOnNewConnection(&seconds).status, 200);

  // 25 attacker addresses, 200 connections each (under the per-address limit).
  EXPECT_EQ(Attack(server_->port(), 1700, 25, ""), 1700);                                      // idle
  EXPECT_EQ(Attack(server_->port(), 1700, 25, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "), 1700);  // slowloris
  EXPECT_EQ(Attack(server_->https_port(), 1600, 25, ClientHello()), 1600);                     // half-open TLS

  auto result = ExportOnNewConnection(&seconds);
  EXPECT_EQ(result.status, 200) << result.body.substr(0, 200);
  EXPECT_LT(seconds, 10.0) << "an export normally takes milliseconds";
}

TEST_P(HostileClientsTest, ConnectionsOverThePerAddressLimitAreRefusedAndOtherAddressesServed) {
  ASSERT_NO_FATAL_FAILURE(Restart({"--max-connections-per-address", "20"}));
  ASSERT_EQ(Attack(server_->port(), 40, 1, ""), 40);
  int refused = 0;
  for (size_t i = 20; i < attackers_.size(); ++i) refused += ClosedWithin(attackers_[i], 5);
  EXPECT_EQ(refused, 20);
  EXPECT_FALSE(ClosedWithin(attackers_[0], 1)) << "the first 20 are within the limit";
  double seconds = 0;
  EXPECT_EQ(ExportOnNewConnection(&seconds).status, 200);
}

TEST_P(HostileClientsTest, AtTheTotalLimitTheLongestIdleConnectionMakesRoom) {
  ASSERT_NO_FATAL_FAILURE(Restart({"--max-connections", "60"}));
  ASSERT_EQ(Attack(server_->port(), 100, 5, ""), 100);
  // The first 40 gave way to the last 40 (the test's own client holds one more, and gives way too).
  EXPECT_TRUE(ClosedWithin(attackers_[0], 5));
  EXPECT_FALSE(ClosedWithin(attackers_.back(), 1));
  double seconds = 0;
  auto result = ExportOnNewConnection(&seconds);
  EXPECT_EQ(result.status, 200);
  EXPECT_LT(seconds, 10.0);
}

TEST_P(HostileClientsTest, SlowHeadsIdleConnectionsAndStalledHandshakesAreClosedByTheirTimeouts) {
  ASSERT_NO_FATAL_FAILURE(Restart({"--https-port", "0", "--request-head-timeout", "2", "--idle-timeout", "2", "--tls-handshake-timeout", "2"}));
  const auto start = Clock::now();
  // Slowloris: a header byte every 200 ms keeps every read alive, but the head never completes.
  int slow = Connect(server_->port());
  ASSERT_GE(slow, 0);
  ASSERT_TRUE(SendAll(slow, "GET /health HTTP/1.1\r\nHost: x\r\n"));
  bool slow_closed = false;
  for (int i = 0; i < 100 && !slow_closed; ++i) {  // 20 s: ten times the timeout
    slow_closed = send(slow, "X", 1, MSG_NOSIGNAL) <= 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    pollfd p{slow, POLLIN, 0};
    if (poll(&p, 1, 0) > 0) {
      char c;
      slow_closed = recv(slow, &c, 1, MSG_DONTWAIT) <= 0;
    }
  }
  close(slow);
  EXPECT_TRUE(slow_closed) << "a request head dribbled for 20 s is still being read";
  // Idle keep-alive after a complete exchange.
  int idle = Connect(server_->port());
  ASSERT_GE(idle, 0);
  ASSERT_TRUE(SendAll(idle, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  bool idle_closed = false;
  std::string wire = ReadUntilClosed(idle, 20, &idle_closed);
  close(idle);
  EXPECT_NE(wire.find("HTTP/1.1 200"), std::string::npos) << wire;
  EXPECT_TRUE(idle_closed) << "an idle kept-alive connection is still open after 20 s";
  // A TLS connection that never starts its handshake.
  int tls = Connect(server_->https_port());
  ASSERT_GE(tls, 0);
  EXPECT_TRUE(ClosedWithin(tls, 20));
  close(tls);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 60.0);
}

TEST_P(HostileClientsTest, AcceptBacksOffInsteadOfSpinningWhenDescriptorsRunOut) {
  // The process's descriptors run out long before its connection limit (10000 by default).
  rlimit tight{300, 300};
  ASSERT_EQ(prlimit(server_->pid(), RLIMIT_NOFILE, &tight, nullptr), 0);
  Attack(server_->port(), 600, 4, "");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double cpu_before = CpuSeconds(server_->pid());
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const double cpu = CpuSeconds(server_->pid()) - cpu_before;
  EXPECT_LT(cpu, 0.6) << "a spinning accept loop takes a whole core (3 s in 3 s)";
  CloseAttackers();
  double seconds = 0;
  auto result = ExportOnNewConnection(&seconds);
  EXPECT_EQ(result.status, 200);
}

// --- Memory (item 2) ---

TEST_P(HostileClientsTest, ClientsThatNeverReadALargePageNeitherGrowMemoryNorBlockOthers) {
  StoreLargeItems(1000, 2000);  // a $top=1000 page of about 2.3 MB
  double seconds = 0;
  ASSERT_EQ(ExportOnNewConnection(&seconds).status, 200);
  WarmUp("?$top=1000");
  std::this_thread::sleep_for(std::chrono::seconds(6));  // freed heap returned
  const double baseline = RssMb(server_->pid());
  std::string request = ExportRequest("?$top=1000");
  ASSERT_EQ(Attack(server_->port(), 300, 2, request), 300);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // every page read as far as it will go
  const double during = RssMb(server_->pid());
  auto result = ExportOnNewConnection(&seconds);
  EXPECT_EQ(result.status, 200);
  EXPECT_LT(seconds, 10.0) << "300 clients that never read must not hold the worker threads";
  // Bounded means each connection holds at most its two parts in flight (256 KB each: 150 MB for 300
  // clients, plus the allocator's slack); unbounded would hold every page whole (300 x 2.3 MB = 690
  // MB). The slack is large and varies: six runs of the same build (session 10, the binaries before
  // and after that session's changes alike) grew by 156 to 257 MB, so a bound of 200 MB failed now
  // and then with nothing wrong. 400 MB stays far below what holding the pages whole would take.
  EXPECT_LT(during, baseline + 400.0) << "baseline " << baseline << " MB";
  CloseAttackers();
  const double after = WaitForRssAtMost(baseline + 10, 30);
  EXPECT_LT(after, baseline + 50) << "baseline " << baseline << " MB, during " << during << " MB";
  std::printf("server RSS: baseline %.0f MB, during the attack %.0f MB, after %.0f MB\n", baseline, during, after);
}

TEST_P(HostileClientsTest, FiveThousandHalfOpenTlsHandshakesNeitherGrowMemoryNorKeepIt) {
  ASSERT_NO_FATAL_FAILURE(Restart({"--https-port", "0"}));
  double seconds = 0;
  ASSERT_EQ(ExportOnNewConnection(&seconds).status, 200);
  const double baseline = RssMb(server_->pid());
  EXPECT_EQ(Attack(server_->https_port(), 5000, 25, ClientHello()), 5000);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const double during = RssMb(server_->pid());
  // Bounded means only --max-tls-handshakes of them hold TLS state at a time, each until the
  // handshake timeout; the rest wait unaccepted or are refused. Unbounded would hold all 5,000.
  EXPECT_LT(during, baseline + 200.0) << "baseline " << baseline << " MB";
  auto result = ExportOnNewConnection(&seconds);
  EXPECT_EQ(result.status, 200);
  CloseAttackers();
  const double after = WaitForRssAtMost(baseline + 10, 30);
  EXPECT_LT(after, baseline + 50) << "baseline " << baseline << " MB, during " << during << " MB";
  std::printf("server RSS: baseline %.0f MB, during the attack %.0f MB, after %.0f MB\n", baseline, during, after);
}

// With a stream buffer far smaller than a part, every part of a page makes the page pause and
// continue from its last row: the client must still get exactly the items paging would give it,
// and a nextLink that continues after them.
TEST_P(HostileClientsTest, APageThatPausesForItsClientContinuesExactlyWhereItStopped) {
  StoreLargeItems(700, 900);
  ASSERT_NO_FATAL_FAILURE(Restart({"--stream-buffer-bytes", "16384"}));
  auto ids = [](const std::string& page) {
    std::vector<std::string> found;
    for (size_t p = 0; (p = page.find("{\"id\":\"", p)) != std::string::npos;) {
      p += 7;
      found.push_back(page.substr(p, page.find('"', p) - p));
    }
    return found;
  };
  auto next_link = [](const std::string& page) {
    size_t link = page.rfind("\"@odata.nextLink\":\"");
    if (link == std::string::npos) return std::string();
    size_t begin = page.find("/v1.0/", link);
    return page.substr(begin, page.find('"', begin) - begin);
  };
  std::vector<std::string> paged;
  for (std::string target = "?$top=50"; !target.empty();) {
    auto page = target[0] == '?' ? Export(target)
                                 : client_->Send("GET", target, {{"Authorization", "Bearer " + exporter_token_}});
    ASSERT_EQ(page.status, 200);
    for (auto& id : ids(page.body)) paged.push_back(id);
    target = next_link(page.body);
  }
  ASSERT_GT(paged.size(), 700u);
  auto whole = Export("?$top=1000");
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.headers["transfer-encoding"], "chunked");
  EXPECT_TRUE(whole.complete);
  EXPECT_EQ(ids(whole.body), paged);
  auto first = Export("?$top=400");
  ASSERT_EQ(first.status, 200);
  std::string next = next_link(first.body);
  ASSERT_FALSE(next.empty());
  auto second = client_->Send("GET", next, {{"Authorization", "Bearer " + exporter_token_}});
  ASSERT_EQ(second.status, 200);
  std::vector<std::string> both = ids(first.body);
  for (auto& id : ids(second.body)) both.push_back(id);
  EXPECT_EQ(both, paged);
}

// Transport behaviour does not depend on the engine.
INSTANTIATE_TEST_SUITE_P(Engines, HostileClientsTest, ::testing::Values(std::string("sqlite")), EngineName);

}  // namespace
}  // namespace aih::testing
