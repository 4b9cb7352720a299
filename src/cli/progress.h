// Progress: a one-line progress bar on standard error, drawn only when it is a terminal.
// Single-threaded: one command's main loop updates it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace aih::cli {

class Progress {
 public:
  // `total_bytes` 0: unknown (shows counts only). `enabled` false: never draws (e.g. when the
  // command's own output goes to the same terminal).
  Progress(std::string label, uint64_t total_bytes, bool enabled = true);
  ~Progress();  // Done()

  void Update(uint64_t bytes_done, uint64_t items_done);
  // Ends the bar's line, so that what is printed next starts on a line of its own. Call it before
  // printing a summary; further Updates draw nothing.
  void Done();

 private:
  void Draw(std::chrono::steady_clock::time_point now);

  std::string label_;
  uint64_t total_;
  bool tty_;
  bool updated_ = false;  // Update was called: Done() draws the final state
  bool drawn_ = false;    // something is on the line: Done() must end it
  uint64_t bytes_ = 0, items_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace aih::cli
