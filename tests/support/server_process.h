// ServerProcess: the real `aihistory serve` binary, started on a free loopback port for a test.
//
// Start() runs the binary (AIH_BINARY, set by CMake) with `--store <store> --port 0` plus extra
// arguments, and waits for the line it prints once it listens ("aihistory: listening on
// http://127.0.0.1:<port>"). `store` is a data directory or a postgresql:// URL; several servers over
// one PostgreSQL store must be given the same `--public-url` (or `--issuer`), as in production
// (docs/scale-out.md). Kill9() simulates a crash; the destructor stops it politely.
//
// Test receivers listen on loopback over plain http, which a server refuses by default: unless
// `loopback_receivers` is false, the server is started with `--webhook-allow-network 127.0.0.0/8
// --webhook-allow-network ::1/128 --webhook-allow-http`.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace aih::testing {

// A fresh temporary directory (removed by the caller if wanted).
std::string MakeTempDir(const std::string& prefix);

// Runs the aihistory binary with `args` to completion; returns its exit code, output in *output.
int RunAihistory(const std::vector<std::string>& args, std::string* output = nullptr);

class ServerProcess {
 public:
  static std::unique_ptr<ServerProcess> Start(const std::string& store, const std::vector<std::string>& extra_args = {},
                                              bool loopback_receivers = true);
  // Runs `aihistory <args>` exactly (no --store or --port added), waiting for it to listen as Start does.
  static std::unique_ptr<ServerProcess> StartWithArguments(const std::vector<std::string>& args);
  ~ServerProcess();

  int port() const { return port_; }
  int https_port() const { return https_port_; }
  pid_t pid() const { return pid_; }
  const std::string& output() const { return output_; }  // what it printed until it listened
  std::string Log() const;  // everything it has printed so far (standard output and error)
  // Log() once it holds `text`, or after `within_ms` without it: its output reaches Log() through a
  // pipe read on another thread, so a line printed before a response may not be there yet when the
  // response is.
  std::string LogOnceItHolds(const std::string& text, int within_ms = 10'000) const;

  void Kill9();      // SIGKILL, as a crash would
  int Terminate();   // SIGTERM, then wait; returns the exit status

 private:
  pid_t pid_ = -1;
  int port_ = -1;
  int https_port_ = -1;
  std::string output_;
  struct SharedLog;
  std::shared_ptr<SharedLog> log_;  // appended to by the thread that drains its output
};

}  // namespace aih::testing
