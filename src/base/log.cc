#include "base/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

#include "base/json_string.h"
#include "base/utc_time.h"

namespace aih::log {
namespace {

struct Sink {
  std::atomic<int> level{static_cast<int>(Level::kInfo)};
  std::atomic<bool> text{false};
  std::mutex mu;  // guards fd and path, and orders whole lines
  int fd = STDERR_FILENO;
  std::string path;  // empty: stderr
};

Sink& TheSink() {
  static Sink* sink = new Sink();  // never destroyed: threads may log during exit
  return *sink;
}

Result<int> OpenFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Status::Unavailable("cannot open the log file " + path + ": " + std::strerror(errno));
  return fd;
}

// 2026-12-06T01:20:03.142Z
std::string Now() {
  return FormatUtcMillis(std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count());
}

// A text value: bare when it is a plain word, else quoted as a JSON string.
void AppendTextValue(std::string& out, std::string_view value) {
  bool plain = !value.empty();
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += value;
  } else {
    AppendJsonString(out, value);
  }
}

}  // namespace

Result<Level> ParseLevel(std::string_view name) {
  if (name == "error") return Level::kError;
  if (name == "warn") return Level::kWarn;
  if (name == "info") return Level::kInfo;
  if (name == "debug") return Level::kDebug;
  return Status::BadRequest("the log level is error, warn, info or debug, not '" + std::string(name) + "'");
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kError: return "error";
    case Level::kWarn: return "warn";
    case Level::kInfo: return "info";
    case Level::kDebug: return "debug";
  }
  return "info";
}

Status Configure(const Options& options) {
  Sink& sink = TheSink();
  int fd = STDERR_FILENO;
  if (!options.file.empty()) {
    auto opened = OpenFile(options.file);
    if (!opened.ok()) return opened.status();
    fd = *opened;
  }
  std::lock_guard lock(sink.mu);
  if (sink.fd != STDERR_FILENO) ::close(sink.fd);
  sink.fd = fd;
  sink.path = options.file;
  sink.level = static_cast<int>(options.level);
  sink.text = options.text;
  return Status::Ok();
}

Status Reopen() {
  Sink& sink = TheSink();
  std::string path;
  {
    std::lock_guard lock(sink.mu);
    path = sink.path;
  }
  if (path.empty()) return Status::Ok();
  auto opened = OpenFile(path);
  if (!opened.ok()) return opened.status();
  std::lock_guard lock(sink.mu);
  if (sink.fd != STDERR_FILENO) ::close(sink.fd);
  sink.fd = *opened;
  return Status::Ok();
}

void Reset() {
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mu);
  if (sink.fd != STDERR_FILENO) ::close(sink.fd);
  sink.fd = STDERR_FILENO;
  sink.path.clear();
  sink.level = static_cast<int>(Level::kInfo);
  sink.text = false;
}

bool Enabled(Level level) {
  return static_cast<int>(level) <= TheSink().level.load(std::memory_order_relaxed);
}

Line::Line(Level level, std::string_view event) : enabled_(Enabled(level)) {
  if (!enabled_) return;
  text_ = TheSink().text.load(std::memory_order_relaxed);
  line_.reserve(256);
  if (text_) {
    line_ += Now();
    line_ += ' ';
    line_ += LevelName(level);
    line_ += ' ';
    AppendTextValue(line_, event);
  } else {
    line_ += "{\"time\":\"";
    line_ += Now();
    line_ += "\",\"level\":\"";
    line_ += LevelName(level);
    line_ += "\",\"event\":";
    AppendJsonString(line_, event);
  }
}

void Line::Key(std::string_view key) {
  if (text_) {
    line_ += ' ';
    line_ += key;
    line_ += '=';
  } else {
    line_ += ',';
    AppendJsonString(line_, key);
    line_ += ':';
  }
}

Line& Line::Str(std::string_view key, std::string_view value) {
  if (!enabled_) return *this;
  Key(key);
  if (text_) {
    AppendTextValue(line_, value);
  } else {
    AppendJsonString(line_, value);
  }
  return *this;
}

Line& Line::Int(std::string_view key, int64_t value) {
  if (!enabled_) return *this;
  Key(key);
  line_ += std::to_string(value);
  return *this;
}

Line& Line::Num(std::string_view key, double value) {
  if (!enabled_) return *this;
  Key(key);
  if (!std::isfinite(value)) {
    line_ += "null";  // JSON has no NaN or infinity
    return *this;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  line_.append(buf, end);
  return *this;
}

Line& Line::Bool(std::string_view key, bool value) {
  if (!enabled_) return *this;
  Key(key);
  line_ += value ? "true" : "false";
  return *this;
}

Line::~Line() {
  if (!enabled_) return;
  if (!text_) line_ += '}';
  line_ += '\n';
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mu);
  const char* data = line_.data();
  size_t left = line_.size();
  while (left > 0) {
    ssize_t n = ::write(sink.fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to report that the log cannot be written
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace aih::log
