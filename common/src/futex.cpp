// futex(2) wrappers: FUTEX_WAKE, and FUTEX_WAIT_BITSET with an absolute CLOCK_MONOTONIC timeout.
#include "tickshm/futex.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <ctime>

#include "tickshm/clock.hpp"

namespace tickshm {

int futex_wake(std::uint32_t* word, int n) noexcept {
  const long r = ::syscall(SYS_futex, word, FUTEX_WAKE, n, nullptr, nullptr, 0);
  return r > 0 ? static_cast<int>(r) : 0;
}

int futex_wake_all(std::uint32_t* word) noexcept {
  return futex_wake(word, INT_MAX);
}

void futex_wait_until(const std::uint32_t* word, std::uint32_t expected, std::uint64_t until_ns) noexcept {
  // FUTEX_WAIT_BITSET takes an absolute time on CLOCK_MONOTONIC (no FUTEX_CLOCK_REALTIME), so a wait
  // cut short by a signal and retried by the caller does not stretch. EAGAIN (the word moved),
  // ETIMEDOUT and EINTR all mean: look again.
  const timespec ts{static_cast<time_t>(until_ns / kNsPerSec), static_cast<long>(until_ns % kNsPerSec)};
  ::syscall(SYS_futex, word, FUTEX_WAIT_BITSET, expected, &ts, nullptr, FUTEX_BITSET_MATCH_ANY);
}

}  // namespace tickshm
