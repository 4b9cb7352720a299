#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <thread>

namespace aih::testing {

std::string MakeTempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  return mkdtemp(tmpl.data());
}

namespace {
std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(AIH_BINARY));
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}
}  // namespace

int RunAihistory(const std::vector<std::string>& args, std::string* output) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    auto argv = Argv(args);
    execv(AIH_BINARY, argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct ServerProcess::SharedLog {
  std::mutex mu;
  std::string text;
};

std::string ServerProcess::Log() const {
  std::lock_guard lock(log_->mu);
  return log_->text;
}

std::string ServerProcess::LogOnceItHolds(const std::string& text, int within_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(within_ms);
  std::string log = Log();
  while (log.find(text) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    log = Log();
  }
  return log;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& store, const std::vector<std::string>& extra,
                                                    bool loopback_receivers) {
  std::vector<std::string> args = {"serve", "--store", store, "--port", "0"};
  if (loopback_receivers) {
    for (const char* a : {"--webhook-allow-network", "127.0.0.0/8", "--webhook-allow-network", "::1/128",
                          "--webhook-allow-http"}) {
      args.push_back(a);
    }
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return StartWithArguments(args);
}

std::unique_ptr<ServerProcess> ServerProcess::StartWithArguments(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return nullptr;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    auto argv = Argv(args);
    execv(AIH_BINARY, argv.data());
    _exit(127);
  }
  close(fds[1]);
  auto server = std::unique_ptr<ServerProcess>(new ServerProcess());
  server->pid_ = pid;
  // Read until it says where it listens (or gives up after 30 s).
  std::regex http_re("listening on http://[^:]+:([0-9]+)"), https_re("listening on https://[^:]+:([0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool wants_https = false;
  for (auto& a : args) wants_https |= a == "--https-port";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 200) > 0) {
      char buf[4096];
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      server->output_.append(buf, static_cast<size_t>(n));
    }
    std::smatch m;
    if (std::regex_search(server->output_, m, http_re)) server->port_ = std::stoi(m[1]);
    if (std::regex_search(server->output_, m, https_re)) server->https_port_ = std::stoi(m[1]);
    if (server->port_ > 0 && (!wants_https || server->https_port_ > 0)) break;
  }
  // Keep draining its output so it never blocks on a full pipe, keeping it for Log().
  server->log_ = std::make_shared<SharedLog>();
  server->log_->text = server->output_;
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  std::thread([fd = fds[0], log = server->log_] {
    char buf[4096];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, 500);
      ssize_t n = read(fd, buf, sizeof buf);
      if (n > 0) {
        std::lock_guard lock(log->mu);
        log->text.append(buf, static_cast<size_t>(n));
      }
      if (n == 0 || (n < 0 && errno != EAGAIN)) break;
    }
    close(fd);
  }).detach();
  if (server->port_ <= 0) {
    fprintf(stderr, "aihistory serve did not start:\n%s\n", server->output_.c_str());
    return nullptr;
  }
  return server;
}

void ServerProcess::Kill9() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

int ServerProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Terminate();
}

}  // namespace aih::testing
