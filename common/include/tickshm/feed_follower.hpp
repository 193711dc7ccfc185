// Which feed a reader is attached to, and whether it is still worth reading: attach, epochs, liveness,
// and following the feed across restarts. Says what happened through the owner's event handler.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "tickshm/feed_state.hpp"
#include "tickshm/result.hpp"
#include "tickshm/segment.hpp"

namespace tickshm {

// What happened, for the owner's log. Never per tick.
struct SubscriberEvent {
  enum Kind { kWaitingForFeed, kAttached, kFeedStale, kFeedDead, kFeedClosed, kRegistryFull, kRefused };
  Kind kind;
  std::string message;
};

class FeedFollower {
 public:
  FeedFollower() = default;
  explicit FeedFollower(std::string segment) : segment_(std::move(segment)) {}

  const std::string& segment() const noexcept { return segment_; }
  // The feed's data segment if it is there and worth attaching to (live, writer not dead).
  [[nodiscard]] Result<DataView> open(std::uint64_t now) const;
  // Attached to `data`; the periodic liveness check starts from now.
  void adopt(DataView data, std::uint64_t now) noexcept;
  // Left the epoch (closed, dead, or the owner detaches): the next one is read from its first tick.
  void leave() noexcept;
  // An attach attempt failed: retry later, and say why once per reason.
  void refused(const Error& e, std::uint64_t now);

  bool attached() const noexcept { return data_.has_value(); }
  const DataView& data() const noexcept { return *data_; }
  const DataView* data_or_null() const noexcept { return data_ ? &*data_ : nullptr; }
  bool attach_due(std::uint64_t now) const noexcept { return now >= next_attach_ns_; }
  bool check_due(std::uint64_t now) const noexcept { return now >= next_check_ns_; }
  void check_soon() noexcept { next_check_ns_ = 0; }
  // A reader that waited for this feed (started first, or following a restart) reads from tick 0.
  bool waited() const noexcept { return waited_; }

  enum class Verdict { kStay, kLeave };
  // Liveness, when check_due(): kLeave once the writer closed or died and we are drained.
  Verdict check(std::uint64_t now, bool drained, std::uint64_t cursor, std::uint64_t received,
                std::uint64_t lost);

  FeedState status() const noexcept { return status_; }
  std::uint64_t epochs_seen() const noexcept { return epochs_seen_; }
  void set_event_handler(std::function<void(const SubscriberEvent&)> h) { on_event_ = std::move(h); }
  void emit(SubscriberEvent::Kind k, std::string msg) const;

 private:
  std::string segment_;
  std::optional<DataView> data_;
  FeedState status_ = FeedState::kWaiting;
  bool waited_ = false;
  std::uint64_t epochs_seen_ = 0;
  std::uint64_t next_check_ns_ = 0, next_attach_ns_ = 0;
  std::string last_refusal_;
  std::function<void(const SubscriberEvent&)> on_event_;
};

}  // namespace tickshm
