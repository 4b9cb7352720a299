// The log: one structured line per event, as JSON (default) or as text, to stderr (journald picks
// it up) or to a file that Reopen() opens again after a rotation (SIGHUP).
//
//   log::Info("start").Str("store", path).Int("workers", n);
//
// writes, when the line is destroyed (at the end of the statement), one line:
//
//   {"time":"2026-12-06T01:20:03.142Z","level":"info","event":"start","store":"./data","workers":32}
//
// (text: `2026-12-06T01:20:03.142Z info start store=./data workers=32`). A line below the configured
// level costs a comparison and builds nothing. Each line is one write(2), so lines from concurrent
// threads never interleave. What goes in a line is the caller's choice and responsibility: never a
// token, secret, Authorization header, request body or interaction content.
//
// Thread-safe. Until Configure() is called the log writes JSON at info level to stderr.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::log {

enum class Level { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

// "error", "warn", "info" or "debug"; kBadRequest naming the choices otherwise.
Result<Level> ParseLevel(std::string_view name);
std::string_view LevelName(Level level);

struct Options {
  Level level = Level::kInfo;
  std::string file;   // empty: stderr
  bool text = false;  // key=value text instead of JSON
};

// Opens the file (appending, created 0640 if missing) and applies the options; kUnavailable naming
// the file when it cannot be opened (the previous sink stays).
Status Configure(const Options& options);
// Opens the log file again by its name (after logrotate moved it away) and closes the old one; a
// no-op when logging to stderr. Fails like Configure, keeping the old file.
Status Reopen();
// Back to the defaults (stderr, info, JSON): for tests.
void Reset();

bool Enabled(Level level);

// One line, written when destroyed. Fields appear in the order they are added.
class Line {
 public:
  Line(Level level, std::string_view event);
  ~Line();
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;

  Line& Str(std::string_view key, std::string_view value);
  Line& Int(std::string_view key, int64_t value);
  Line& Num(std::string_view key, double value);
  Line& Bool(std::string_view key, bool value);

 private:
  void Key(std::string_view key);
  bool enabled_;
  bool text_ = false;
  std::string line_;
};

inline Line Error(std::string_view event) { return Line(Level::kError, event); }
inline Line Warn(std::string_view event) { return Line(Level::kWarn, event); }
inline Line Info(std::string_view event) { return Line(Level::kInfo, event); }
inline Line Debug(std::string_view event) { return Line(Level::kDebug, event); }

}  // namespace aih::log
