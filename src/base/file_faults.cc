#include "base/file_faults.h"

namespace aih {

void FaultSchedule::Arm(FileFault fault, int64_t step, std::initializer_list<FileOp> ops) {
  std::lock_guard<std::mutex> lock(mu_);
  fault_ = fault;
  at_ = step;
  for (bool& kind : kinds_) kind = ops.size() == 0;
  for (FileOp op : ops) kinds_[static_cast<int>(op)] = true;
  steps_ = 0;
  fired_ = false;
  stopped_ = false;
}

int64_t FaultSchedule::steps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return steps_;
}

bool FaultSchedule::fired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fired_;
}

FileFault FaultSchedule::Before(FileOp op, std::string_view) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return FileFault::kPowerLoss;
  if (!kinds_[static_cast<int>(op)]) return FileFault::kNone;
  if (++steps_ != at_ || fault_ == FileFault::kNone) return FileFault::kNone;
  fired_ = true;
  if (fault_ == FileFault::kPowerLoss) stopped_ = true;
  return fault_;
}

}  // namespace aih
