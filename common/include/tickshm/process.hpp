// Process identity that survives pid reuse: a pid plus its start time from /proc/PID/stat.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace tickshm {

// Start time of pid in clock ticks since boot (field 22 of /proc/PID/stat); 0 if the process is gone.
std::uint64_t process_start_time(pid_t pid) noexcept;

// True if pid runs and, when start_time != 0, is the same process that had that start time.
// Zombies count as dead. One /proc read: call it periodically, never per tick.
bool process_alive(pid_t pid, std::uint64_t start_time) noexcept;

}  // namespace tickshm
