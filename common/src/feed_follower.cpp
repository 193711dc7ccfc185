// Following a feed: attach when it is live, check its writer's health, leave a closed or dead epoch.
#include "tickshm/feed_follower.hpp"

#include <fmt/format.h>

#include "tickshm/names.hpp"

namespace tickshm {
namespace {

constexpr std::uint64_t kCheckPeriodNs = 20'000'000;  // liveness checks
constexpr std::uint64_t kAttachRetryNs = 50'000'000;

}  // namespace

void FeedFollower::emit(SubscriberEvent::Kind k, std::string msg) const {
  if (on_event_) on_event_(SubscriberEvent{k, std::move(msg)});
}

Result<DataView> FeedFollower::open(std::uint64_t now) const {
  auto dv = DataView::open(segment_, /*populate=*/true);
  if (!dv) return dv;
  if (dv->state() == SegmentState::kClosed) {
    return make_error(Errc::kNotReady, "feed '" + segment_ + "' has closed; waiting for a new one");
  }
  if (dv->health(now) == WriterHealth::kDead) {
    return make_error(Errc::kNotReady, fmt::format("feed '{}' writer (pid {}) is dead; waiting for a new one",
                                                   segment_, dv->header().writer_pid));
  }
  return dv;
}

void FeedFollower::adopt(DataView data, std::uint64_t now) noexcept {
  data_.emplace(std::move(data));
  status_ = FeedState::kLive;
  ++epochs_seen_;
  next_check_ns_ = now + kCheckPeriodNs;
  last_refusal_.clear();
}

void FeedFollower::leave() noexcept {
  data_.reset();
  waited_ = true;
  next_attach_ns_ = 0;
}

void FeedFollower::refused(const Error& e, std::uint64_t now) {
  next_attach_ns_ = now + kAttachRetryNs;
  waited_ = true;
  if (e.message == last_refusal_) return;
  last_refusal_ = e.message;
  const bool waiting = e.code == Errc::kNotFound || e.code == Errc::kNotReady;
  const SubscriberEvent::Kind kind = waiting                         ? SubscriberEvent::kWaitingForFeed
                                     : e.code == Errc::kRegistryFull ? SubscriberEvent::kRegistryFull
                                                                     : SubscriberEvent::kRefused;
  emit(kind, waiting ? "waiting for feed '" + segment_ + "': " + last_refusal_ : last_refusal_);
}

FeedFollower::Verdict FeedFollower::check(std::uint64_t now, bool drained, std::uint64_t cursor,
                                          std::uint64_t received, std::uint64_t lost) {
  next_check_ns_ = now + kCheckPeriodNs;
  if (data_->truncated()) {
    status_ = FeedState::kDead;
    emit(SubscriberEvent::kRefused,
         fmt::format("feed '{}': its data segment {} was truncated under this reader (by someone with write "
                     "access to it) after {} ticks; detached, waiting for a valid segment",
                     segment_, data_->path(), cursor));
    return Verdict::kLeave;
  }
  const WriterHealth h = data_->health(now);
  switch (h) {
    case WriterHealth::kClosed:
    case WriterHealth::kDead:
      if (!drained) return Verdict::kStay;  // read what was published before leaving the epoch
      status_ = h == WriterHealth::kClosed ? FeedState::kClosed : FeedState::kDead;
      emit(
          h == WriterHealth::kClosed ? SubscriberEvent::kFeedClosed : SubscriberEvent::kFeedDead,
          fmt::format("feed '{}' {} after {} ticks (received {}, lost {}); waiting for a new epoch", segment_,
                      (h == WriterHealth::kClosed ? "closed" : "writer died"), cursor, received, lost));
      return Verdict::kLeave;
    case WriterHealth::kStale:
      if (status_ != FeedState::kStale) {
        status_ = FeedState::kStale;
        emit(SubscriberEvent::kFeedStale, "feed '" + segment_ + "' is stale: no heartbeat for over 1 s");
      }
      return Verdict::kStay;
    case WriterHealth::kLive:
      if (status_ == FeedState::kStale)
        emit(SubscriberEvent::kAttached, "feed '" + segment_ + "' is live again");
      status_ = FeedState::kLive;
      return Verdict::kStay;
  }
  return Verdict::kStay;
}

}  // namespace tickshm
