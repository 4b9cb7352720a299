// Env: the service's view of the world outside the process (the time, randomness, and the faults of
// the store's files), in one seam that tests replace, as LevelDB's Env. Production code asks
// Env::Default(); a store opened with another Env (store.h: StoreOptions::env) takes its file faults
// from it, so tests can fail an fsync, fill the disk or cut the power at any step.
//
// Threading: an Env is shared by every thread; its members are safe to call concurrently.
#pragma once

#include <cstddef>

#include "base/clock.h"
#include "base/file_faults.h"

namespace aih {

class Env {
 public:
  virtual ~Env() = default;

  virtual const Clock& clock() const = 0;
  // Fills `out` with `n` cryptographically strong random bytes; false only if the generator fails.
  virtual bool Random(unsigned char* out, size_t n) = 0;
  // The faults to inject into the store's file operations; nullptr (the default) injects none and
  // costs nothing.
  virtual FileFaults* file_faults() { return nullptr; }

  // The system clock, OpenSSL's generator, no faults.
  static Env& Default();
};

// TestEnv: a manual clock and a fault schedule, with the system's randomness.
class TestEnv final : public Env {
 public:
  explicit TestEnv(int64_t now_ms = 0) : clock_(now_ms) {}
  const Clock& clock() const override { return clock_; }
  bool Random(unsigned char* out, size_t n) override { return Default().Random(out, n); }
  FileFaults* file_faults() override { return &faults_; }

  ManualClock& manual_clock() { return clock_; }
  FaultSchedule& faults() { return faults_; }

 private:
  ManualClock clock_;
  FaultSchedule faults_;
};

}  // namespace aih
