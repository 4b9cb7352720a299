// FileFaults: failures injected into the store's file operations, in the manner of SQLite's fault
// simulation and LevelDB's FaultInjectionTestEnv, so that tests can prove what a failed fsync, a full
// disk or a power loss at any step does to the data.
//
// The store asks Before() ahead of every write, sync, truncation and deletion of one of its files
// and carries out the answer: the operation fails as the system would fail it, or (kPowerLoss) the
// machine stops there: this operation and every later one fails, and every file loses what was
// written to it since its last sync (the most a real power loss may take).
//
// Threading: Before() is called from any thread that writes a store file (the group-commit writer,
// a checkpoint, a connection closing); implementations synchronise themselves.
#pragma once

#include <cstdint>
#include <mutex>
#include <string_view>

namespace aih {

enum class FileOp { kWrite, kSync, kTruncate, kDelete };

enum class FileFault {
  kNone,
  kIoError,    // this operation fails with an I/O error (EIO); a failed fsync
  kFull,       // this operation fails for lack of space (ENOSPC)
  kPowerLoss,  // the machine stops before this operation (see above); every later one fails too
};

class FileFaults {
 public:
  virtual ~FileFaults() = default;
  virtual FileFault Before(FileOp op, std::string_view path) = 0;
};

// FaultSchedule: counts the operations it is asked about and injects one fault at the Nth operation
// of a kind (1-based), so that a test can run a workload once to count its steps, then again with a
// fault at each step in turn. After a kPowerLoss every later operation is refused as well.
class FaultSchedule final : public FileFaults {
 public:
  // No fault; counting only.
  void Clear() { Arm(FileFault::kNone, 0, {}); }
  // `fault` at the `step`th operation counted from now whose kind is in `ops` (all kinds when empty).
  void Arm(FileFault fault, int64_t step, std::initializer_list<FileOp> ops);

  // Operations asked about since the last Arm/Clear (of the armed kinds).
  int64_t steps() const;
  // Whether the armed fault has been injected.
  bool fired() const;

  FileFault Before(FileOp op, std::string_view path) override;

 private:
  mutable std::mutex mu_;
  FileFault fault_ = FileFault::kNone;
  int64_t at_ = 0;
  bool kinds_[4] = {true, true, true, true};
  int64_t steps_ = 0;
  bool fired_ = false;
  bool stopped_ = false;  // a power loss happened: everything fails until re-armed
};

}  // namespace aih
