// Process liveness from /proc: a pid plus its start time, so a reused pid is not taken for the old one.
#include "tickshm/process.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tickshm/posix.hpp"

namespace tickshm {
namespace {

// Reads /proc/PID/stat; returns false if the process is gone. state is field 3, start time field 22.
bool read_stat(pid_t pid, char& state, std::uint64_t& start_time) noexcept {
  // A stack buffer: the liveness checks are noexcept and run inside readers' loops, so nothing allocates.
  char path[64];
  *fmt::format_to_n(path, sizeof path - 1, "/proc/{}/stat", static_cast<int>(pid)).out = '\0';
  const int fd = retry_eintr([&] { return ::open(path, O_RDONLY | O_CLOEXEC); });
  if (fd < 0) return false;
  char buf[1024];
  const ssize_t n = retry_eintr([&] { return ::read(fd, buf, sizeof buf - 1); });
  ::close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  // The command name (field 2) may contain spaces and parentheses: fields restart after the last ')'.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr || p[1] == '\0') return false;
  p += 2;  // ") S ..."
  state = *p;
  int field = 3;
  while (*p != '\0' && field < 22) {
    if (*p == ' ') ++field;
    ++p;
  }
  if (field != 22) return false;
  start_time = std::strtoull(p, nullptr, 10);
  return true;
}

}  // namespace

std::uint64_t process_start_time(pid_t pid) noexcept {
  char state = 0;
  std::uint64_t start = 0;
  return read_stat(pid, state, start) ? start : 0;
}

bool process_alive(pid_t pid, std::uint64_t start_time) noexcept {
  if (pid <= 0) return false;
  char state = 0;
  std::uint64_t start = 0;
  if (!read_stat(pid, state, start)) {
    // No /proc entry we can read: fall back to kill(0), EPERM means it exists but is not ours.
    return ::kill(pid, 0) == 0 || errno == EPERM;
  }
  if (state == 'Z' || state == 'X') return false;
  return start_time == 0 || start == start_time;
}

}  // namespace tickshm
