// How a feed and a registered reader look to an observer: the one classification that the
// subscriber, the dashboard and tickshm-stat all show.
#pragma once

#include <cstdint>

namespace tickshm {

// WAITING: no valid segment under the name (yet).
enum class FeedState { kWaiting, kLive, kStale, kDead, kClosed };
const char* feed_state_name(FeedState s) noexcept;  // "WAITING", "LIVE", "STALE", "DEAD", "CLOSED"

enum class ReaderState { kAlive, kStale, kDead };
const char* reader_state_name(ReaderState s) noexcept;  // "alive", "stale", "dead"

// A feed heartbeat older than this is stale (the writer refreshes it every 100 ms, idle or not).
inline constexpr std::uint64_t kFeedStaleNs = 1'000'000'000ULL;
// A reader whose heartbeat is older than this is stale: readers refresh it at least every second, so
// two missed refreshes mean it is stuck (stopped with SIGSTOP, spinning elsewhere, ...).
inline constexpr std::uint64_t kReaderStaleNs = 2'000'000'000ULL;

struct FeedFacts {
  bool segment_valid = false;  // a validated data segment is mapped
  bool closed = false;         // its state word says closed
  bool writer_alive = true;    // the writer pid runs (and is the same process)
  std::uint64_t heartbeat_age_ns = 0;
};
// Order matters: a closed segment is CLOSED even though its writer is gone; a dead writer is DEAD
// whatever its last heartbeat said; only a running writer can be STALE.
FeedState classify_feed(const FeedFacts& f) noexcept;

ReaderState classify_reader(bool alive, std::uint64_t heartbeat_ns, std::uint64_t now_ns) noexcept;

// Ticks a reader still has to read; 0 when its cursor is ahead (it reads another epoch, or the
// counters were sampled a moment apart).
std::uint64_t reader_lag(std::uint64_t published, std::uint64_t cursor) noexcept;

}  // namespace tickshm
