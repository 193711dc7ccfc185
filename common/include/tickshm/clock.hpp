// Monotonic and wall-clock nanoseconds; vDSO calls, no system call on the hot path.
#pragma once

#include <cstdint>
#include <ctime>

namespace tickshm {

inline std::uint64_t now_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

inline std::uint64_t unix_now_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

inline constexpr std::uint64_t kNsPerMs = 1'000'000ULL;
inline constexpr std::uint64_t kNsPerSec = 1'000'000'000ULL;

}  // namespace tickshm
