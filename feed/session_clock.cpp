// The session clock's calendar and the intraday smile of tick intensity.
#include "session_clock.hpp"

#include <cmath>

namespace tickshm::feed {

double smile_intensity(double x) noexcept {
  // U shape: busiest in the first minutes, quieter at lunch, a second peak into the close.
  // The constant normalises the mean over [0, 1) to 1 (computed for these coefficients).
  auto raw = [](double v) { return 1.0 + 2.5 * std::exp(-v / 0.05) + 1.5 * std::exp(-(1.0 - v) / 0.05); };
  static const double mean = [&] {
    double sum = 0;
    for (int k = 0; k < 100'000; ++k) sum += raw((k + 0.5) / 100'000.0);
    return sum / 100'000.0;
  }();
  return raw(x) / mean;
}

std::uint64_t next_session_open(std::uint64_t open_unix_ns) noexcept {
  constexpr std::uint64_t kDayNs = 86'400 * kNs;
  std::uint64_t next = open_unix_ns + kDayNs;
  for (;;) {
    const std::uint64_t weekday = (next / kDayNs + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    if (weekday != 0 && weekday != 6) return next;
    next += kDayNs;
  }
}

}  // namespace tickshm::feed
