// The real clock and the Publisher sink's housekeeping (heartbeat, damage warning, statistics line).
#include "publisher_sink.hpp"

#include <time.h>

#include <algorithm>

#include <spdlog/spdlog.h>

namespace tickshm::feed {

void RealClock::sleep_until(std::uint64_t t) const noexcept {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(t / kNsPerSec);
  ts.tv_nsec = static_cast<long>(t % kNsPerSec);
  // EINTR (a signal) returns early on purpose: the loop re-checks the stop and pause flags.
  ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

void PublisherSink::maintain(std::uint64_t now, std::uint64_t published, bool paused) {
  pub_.heartbeat(now);
  if (now < next_stats_) return;
  if (pub_.damaged() && !damage_logged_) {
    damage_logged_ = true;
    spdlog::error(
        "a segment of '{}' was truncated by someone with write access to it: readers can no "
        "longer read or be woken; restart the feed",
        pub_.segment());
  }
  if (next_stats_ != 0) {
    const double secs = static_cast<double>(now - last_stats_ns_) / 1e9;
    const double rate = secs > 0 ? static_cast<double>(published - last_published_) / secs : 0;
    std::size_t attached = 0;
    std::uint64_t slowest = 0;
    for (const auto& r : pub_.readers()) {
      if (!r.alive) continue;
      ++attached;
      slowest = std::max(slowest, published > r.cursor ? published - r.cursor : 0);
    }
    spdlog::info("published {} ticks, {:.0f} ticks/s, {} readers attached, slowest reader lag {} ticks{}",
                 published, rate, attached, slowest, paused ? " (paused)" : "");
  }
  last_stats_ns_ = now;
  last_published_ = published;
  next_stats_ = now + kNsPerSec;
}

}  // namespace tickshm::feed
