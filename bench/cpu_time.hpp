// CPU time a process has used so far, for the bench's "CPU per tick" figures: the sum over its threads
// of /proc/PID/task/TID/schedstat's first field (nanoseconds on a CPU).
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace tickshm::bench {

// 0 when the process is gone or /proc cannot be read; threads that already exited are not counted.
std::uint64_t process_cpu_ns(pid_t pid);

}  // namespace tickshm::bench
