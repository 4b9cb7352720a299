// Progress: a one-line progress bar on standard error, drawn only when it is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace aih::cli {

class Progress {
 public:
  // `total_bytes` 0: unknown (shows counts only).
  Progress(std::string label, uint64_t total_bytes);
  ~Progress();  // ends the line

  void Update(uint64_t bytes_done, uint64_t items_done);

 private:
  std::string label_;
  uint64_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  uint64_t items_ = 0;
};

}  // namespace aih::cli
