// Clock: the time the service judges expiry, leases, retries and (later) retention by. Production
// uses SystemClock; tests inject a ManualClock to drive hours or years in microseconds.
//
// Threading: every Clock may be read from any thread; ManualClock may be moved from any thread too.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace aih {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMillis() const = 0;  // unix milliseconds
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms) : now_(now_ms) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Set(int64_t now_ms) { now_ = now_ms; }
  void Advance(std::chrono::milliseconds by) { now_ += by.count(); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace aih
