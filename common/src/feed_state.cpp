// Feed and reader classification (see feed_state.hpp).
#include "tickshm/feed_state.hpp"

#include "tickshm/data_view.hpp"

namespace tickshm {

static_assert(kFeedStaleNs == kStaleAfterNs, "observers and the subscriber agree on when a feed is stale");

const char* feed_state_name(FeedState s) noexcept {
  switch (s) {
    case FeedState::kWaiting:
      return "WAITING";
    case FeedState::kLive:
      return "LIVE";
    case FeedState::kStale:
      return "STALE";
    case FeedState::kDead:
      return "DEAD";
    case FeedState::kClosed:
      return "CLOSED";
  }
  return "?";
}

const char* reader_state_name(ReaderState s) noexcept {
  switch (s) {
    case ReaderState::kAlive:
      return "alive";
    case ReaderState::kStale:
      return "stale";
    case ReaderState::kDead:
      return "dead";
  }
  return "?";
}

FeedState classify_feed(const FeedFacts& f) noexcept {
  if (!f.segment_valid) return FeedState::kWaiting;
  if (f.closed) return FeedState::kClosed;
  if (!f.writer_alive) return FeedState::kDead;
  if (f.heartbeat_age_ns > kFeedStaleNs) return FeedState::kStale;
  return FeedState::kLive;
}

ReaderState classify_reader(bool alive, std::uint64_t heartbeat_ns, std::uint64_t now_ns) noexcept {
  if (!alive) return ReaderState::kDead;
  // A heartbeat from the future (sampled a moment apart) is fresh, not stale.
  if (now_ns > heartbeat_ns && now_ns - heartbeat_ns > kReaderStaleNs) return ReaderState::kStale;
  return ReaderState::kAlive;
}

std::uint64_t reader_lag(std::uint64_t published, std::uint64_t cursor) noexcept {
  return published > cursor ? published - cursor : 0;
}

}  // namespace tickshm
