// What the benchmarks read about a process from /proc: the CPU it has used and its peak memory.
#pragma once

#include <sys/types.h>

namespace aih::bench {

// CPU seconds (user + system) the process has used so far: unlike wall time, hardly affected by
// what else the machine runs, so it shows where a loaded machine's figures come from.
double CpuSeconds(pid_t pid);

// The process's peak resident set (VmHWM), in KiB; -1 if it cannot be read.
long PeakRssKb(pid_t pid);

}  // namespace aih::bench
