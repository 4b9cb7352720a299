#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace aih::cli {

Progress::Progress(std::string label, uint64_t total_bytes, bool enabled)
    : label_(std::move(label)), total_(total_bytes), tty_(enabled && isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() { Done(); }

void Progress::Done() {
  if (!tty_) return;
  // The final state, even when the work was too quick for a periodic draw, then the end of the line.
  if (updated_) Draw(std::chrono::steady_clock::now());
  if (drawn_) std::fprintf(stderr, "\n");
  std::fflush(stderr);
  tty_ = false;
}

void Progress::Update(uint64_t bytes_done, uint64_t items_done) {
  if (!tty_) return;
  bytes_ = bytes_done;
  items_ = items_done;
  updated_ = true;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && (total_ == 0 || bytes_done < total_)) return;
  Draw(now);
}

void Progress::Draw(std::chrono::steady_clock::time_point now) {
  last_draw_ = now;
  drawn_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(items_) / seconds : 0;
  if (total_ > 0) {
    int width = 30;
    int filled = static_cast<int>(static_cast<double>(bytes_) / static_cast<double>(total_) * width);
    if (filled > width) filled = width;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(width - filled), '.');
    std::fprintf(stderr, "\r%s [%s] %3d%%  %llu items  %.0f items/s", label_.c_str(), bar.c_str(),
                 static_cast<int>(100.0 * static_cast<double>(bytes_) / static_cast<double>(total_)),
                 static_cast<unsigned long long>(items_), rate);
  } else {
    std::fprintf(stderr, "\r%s %llu items  %.0f items/s", label_.c_str(), static_cast<unsigned long long>(items_), rate);
  }
  std::fflush(stderr);
}

}  // namespace aih::cli
