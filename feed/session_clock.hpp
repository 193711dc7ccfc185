// The simulated session clock both price models share: trading time cut into minutes, sessions of
// 09:30-16:00 on weekdays, and the calendar time stamped on each tick.
#pragma once

#include <cstdint>

namespace tickshm::feed {

inline constexpr std::uint64_t kNs = 1'000'000'000ULL;
inline constexpr std::uint64_t kSessionNs = 23'400 * kNs;  // 09:30-16:00, 6.5 hours
inline constexpr std::uint32_t kSessionBuckets = 390;      // one per simulated minute
inline constexpr std::uint64_t kBucketNs = kSessionNs / kSessionBuckets;
inline constexpr double kTradingYearNs = 252.0 * static_cast<double>(kSessionNs);
// 2024-01-02 (a Tuesday) 09:30 New York = 14:30 UTC: where simulated time starts.
inline constexpr std::uint64_t kDefaultOpenUnixNs = 1'704'205'800ULL * kNs;

// The intraday "smile": relative tick intensity at session fraction x in [0, 1), mean 1 over a session.
double smile_intensity(double x) noexcept;

// Unix ns of the open of the next weekday after the session opening at open_unix_ns.
std::uint64_t next_session_open(std::uint64_t open_unix_ns) noexcept;

// Trading time runs on through the night (volatility is per unit of trading time); the calendar jumps
// to the next weekday's open. A tick at trading time t carries event time t + calendar_offset.
struct SessionClock {
  explicit SessionClock(std::uint64_t start_unix_ns) noexcept
      : calendar_open(start_unix_ns), calendar_offset(start_unix_ns) {}

  // The next simulated minute; after the session's last, the first of the next session. Returns true
  // when a session ended.
  bool next_minute() noexcept {
    bool rolled = false;
    if (++bucket == kSessionBuckets) {
      bucket = 0;
      ++session;
      session_start += kSessionNs;
      calendar_open = next_session_open(calendar_open);
      calendar_offset = calendar_open - session_start;
      rolled = true;
    }
    bucket_end = session_start + (bucket + 1) * kBucketNs;
    return rolled;
  }

  std::uint64_t now = 0;  // trading ns elapsed
  std::uint64_t bucket_end = kBucketNs;
  std::uint64_t session_start = 0;  // trading ns at this session's open
  std::uint64_t session = 0;        // sessions completed
  std::uint64_t calendar_open;      // unix ns of this session's open
  std::uint64_t calendar_offset;    // event_ns = now + calendar_offset
  std::uint32_t bucket = 0;         // minute of the session
};

}  // namespace tickshm::feed
