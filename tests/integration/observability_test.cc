// Metrics and logs of a running server (api/metrics_resource.h, http/request_log.h, base/log.h):
// /metrics is off on the public listener unless it has a token, and then answers that token only;
// a --metrics-port listener serves it on its own; requests move the counters; each request leaves one
// JSON line with its route template and caller, and never a token, secret or content; SIGHUP reopens
// the log file.
#include <gmock/gmock.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "integration_fixture.h"

namespace aih::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMetricsToken[] = "metrics-token-6f1d2c9a8b7e4d3c";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The value of the sample `series` (name and labels exactly as exposed), or -1 when absent.
double Sample(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

// Waits (up to 10 s) until `path` holds `text`; returns what it holds then.
std::string WaitForText(const std::string& path, const std::string& text) {
  std::string content;
  for (int i = 0; i < 200; ++i) {
    content = ReadAll(path);
    if (content.find(text) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return content;
}

class ObservabilityTest : public ServerTest {
 protected:
  HttpResult Metrics(const std::string& authorization = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    return client_->Send("GET", "/metrics", headers);
  }
};

TEST_P(ObservabilityTest, MetricsAreNotServedOnThePublicListenerWithoutAToken) {
  EXPECT_EQ(Metrics().status, 404);
  EXPECT_EQ(Metrics("Bearer " + exporter_token_).status, 404);
}

TEST_P(ObservabilityTest, MetricsAnswerTheirOwnTokenOnlyAndCountRequests) {
  StartServer({"--metrics-token", kMetricsToken});
  EXPECT_EQ(Metrics().status, 401);
  EXPECT_EQ(Metrics("Bearer wrong-token").status, 401);
  EXPECT_EQ(Metrics(std::string("Bearer ") + kMetricsToken + "x").status, 401);
  // A Graph token of the tenant's own exporter is no credential for the monitoring.
  HttpResult graph = Metrics("Bearer " + exporter_token_);
  EXPECT_EQ(graph.status, 401);
  EXPECT_THAT(graph.body, HasSubstr("metrics token"));

  ASSERT_EQ(Write(Item("obs-1")).status, 200);
  ASSERT_EQ(Write("{\"value\":[" + Item("obs-2") + "," + Item("obs-3") + "]}").status, 200);
  HttpResult page = Export();
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(client_->Send("GET", "/v1.0/no/such/place").status, 404);

  HttpResult scrape = Metrics(std::string("Bearer ") + kMetricsToken);
  ASSERT_EQ(scrape.status, 200) << scrape.body;
  EXPECT_EQ(scrape.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scrape.body;
  EXPECT_EQ(Sample(text, "aihistory_interactions_ingested_total"), 3) << text;
  // The page holds the demo's history and the three new items: every one is counted.
  size_t on_page = 0;
  for (size_t at = page.body.find("\"interactionType\""); at != std::string::npos;
       at = page.body.find("\"interactionType\"", at + 1)) {
    ++on_page;
  }
  EXPECT_GE(on_page, 3u);
  EXPECT_EQ(Sample(text, "aihistory_interactions_exported_total"), on_page) << text;
  EXPECT_GT(Sample(text, "aihistory_ingested_bytes_total"), 100);
  EXPECT_GT(Sample(text, "aihistory_exported_bytes_total"), 100);
  // By route template (the user's id is not in it), method and status.
  EXPECT_EQ(Sample(text, "aihistory_http_requests_total{route=\"/v1.0/copilot/interactionHistory/interactions\","
                         "method=\"POST\",status=\"200\"}"),
            2)
      << text;
  EXPECT_EQ(Sample(text, "aihistory_http_requests_total{route=\"/v1.0/copilot/users/{user}/interactionHistory/"
                         "getAllEnterpriseInteractions\",method=\"GET\",status=\"200\"}"),
            1)
      << text;
  EXPECT_GE(Sample(text, "aihistory_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}"), 1);
  EXPECT_THAT(text, Not(HasSubstr(demo_.licensed_user)));
  EXPECT_THAT(text, Not(HasSubstr("no/such/place")));
  EXPECT_EQ(Sample(text, "aihistory_http_request_duration_seconds_count{route=\"/v1.0/copilot/interactionHistory/"
                         "interactions\",method=\"POST\"}"),
            2);
  EXPECT_GE(Sample(text, "aihistory_http_requests_total{route=\"/metrics\",method=\"GET\",status=\"401\"}"), 4);
  EXPECT_GE(Sample(text, "aihistory_connections_open"), 1);
  EXPECT_GT(Sample(text, "aihistory_store_size_bytes"), 0);
}

TEST_P(ObservabilityTest, ThrottledRequestsAreCountedByReason) {
  StartServer({"--metrics-token", kMetricsToken, "--throttle-rps", "1", "--throttle-burst", "2"});
  int throttled = 0;
  for (int i = 0; i < 10; ++i) throttled += Export().status == 429;
  ASSERT_GE(throttled, 1);
  HttpResult scrape = Metrics(std::string("Bearer ") + kMetricsToken);
  EXPECT_EQ(Sample(scrape.body, "aihistory_requests_refused_total{reason=\"throttled\"}"), throttled) << scrape.body;
}

TEST_P(ObservabilityTest, AMetricsListenerOfItsOwnServesMetricsWithoutATokenAndThePublicOneDoesNot) {
  StartServer({"--metrics-port", "0"});
  std::smatch m;
  std::string log;
  for (int i = 0; i < 100 && !std::regex_search(log, m, std::regex("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics"));
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    log = server_->Log();
  }
  ASSERT_FALSE(m.empty()) << log;
  HttpClient monitoring(std::stoi(m[1]));
  HttpResult scrape = monitoring.Send("GET", "/metrics");
  EXPECT_EQ(scrape.status, 200);
  EXPECT_THAT(scrape.body, HasSubstr("# TYPE aihistory_http_requests_total counter"));
  EXPECT_EQ(monitoring.Send("GET", "/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions").status, 404);
  EXPECT_EQ(Metrics().status, 404);
}

TEST_P(ObservabilityTest, EachRequestLeavesOneJsonLineWithoutTokensSecretsOrContent) {
  const std::string log_file = data_dir_ + "/aihistory.log";
  StartServer({"--log-file", log_file});
  const std::string content = "the-confidential-prompt-text-42";
  std::string item = Item("obs-log-1");
  item.replace(item.find("prompt obs-log-1"), std::string("prompt obs-log-1").size(), content);
  HttpResult written = client_->Send("POST", "/v1.0/copilot/interactionHistory/interactions",
                                     {{"Authorization", "Bearer " + writer_token_},
                                      {"Content-Type", "application/json"},
                                      {"client-request-id", "my-client-request-7"}},
                                     item);
  ASSERT_EQ(written.status, 200) << written.body;
  const std::string text = WaitForText(log_file, "my-client-request-7");
  std::string line;
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) {
    if (l.find("my-client-request-7") != std::string::npos) line = l;
  }
  ASSERT_FALSE(line.empty()) << text;
  EXPECT_THAT(line, HasSubstr("\"level\":\"info\",\"event\":\"request\",\"request_id\":\"" +
                              written.headers["request-id"] + "\",\"client_request_id\":\"my-client-request-7\""));
  EXPECT_THAT(line, HasSubstr("\"tenant\":\"" + demo_.tenant_id + "\""));
  EXPECT_THAT(line, HasSubstr("\"app\":\"" + demo_.writer_id + "\""));
  EXPECT_THAT(line, HasSubstr("\"method\":\"POST\",\"route\":\"/v1.0/copilot/interactionHistory/interactions\","
                              "\"status\":200,\"bytes\":" + std::to_string(written.body.size()) + ","));
  EXPECT_THAT(line, HasSubstr("\"duration_ms\":"));
  EXPECT_THAT(line, HasSubstr("\"items\":1"));
  // The token requests of SetUp carried client secrets; the write carried a token and content.
  EXPECT_THAT(text, HasSubstr("\"route\":\"/{tenant}/oauth2/v2.0/token\""));
  EXPECT_THAT(text, Not(HasSubstr(demo_.writer_secret)));
  EXPECT_THAT(text, Not(HasSubstr(demo_.exporter_secret)));
  EXPECT_THAT(text, Not(HasSubstr(writer_token_)));
  EXPECT_THAT(text, Not(HasSubstr(content)));
  EXPECT_THAT(text, HasSubstr("\"event\":\"start\""));
  EXPECT_THAT(text, HasSubstr("\"event\":\"configuration\""));
}

TEST_P(ObservabilityTest, SighupReopensTheLogFileAfterItWasMovedAway) {
  const std::string log_file = data_dir_ + "/aihistory.log";
  StartServer({"--log-file", log_file});
  ASSERT_EQ(client_->Send("GET", "/v1.0/before-rotation").status, 404);
  std::filesystem::rename(log_file, log_file + ".1");
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);
  const std::string reopened = WaitForText(log_file, "\"event\":\"log_reopened\"");
  EXPECT_THAT(reopened, HasSubstr("\"event\":\"log_reopened\""));
  ASSERT_EQ(client_->Send("GET", "/v1.0/after-rotation", {{"client-request-id", "after-rotation"}}).status, 404);
  EXPECT_THAT(WaitForText(log_file, "after-rotation"), HasSubstr("\"client_request_id\":\"after-rotation\""));
  EXPECT_THAT(ReadAll(log_file + ".1"), Not(HasSubstr("after-rotation")));
  EXPECT_THAT(ReadAll(log_file + ".1"), HasSubstr("\"event\":\"configuration\""));
  // Still serving, and SIGHUP did not stop it.
  EXPECT_EQ(Export().status, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, ObservabilityTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
