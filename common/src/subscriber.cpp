// The reader facade: attach (follower, lease, cursor), next() over the cursor and the waiter, upkeep.
#include "tickshm/subscriber.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <thread>

#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"

namespace tickshm {
namespace {

constexpr std::uint64_t kStatsPeriodNs = 1'000'000'000;  // latency summary to the registry
constexpr std::uint32_t kTicksPerMaintain = 4096;        // while busy, look at the clock this often

}  // namespace

// What the waiter asks now and then: upkeep when due, then whether to go on waiting.
class Subscriber::Monitor final : public WaitMonitor {
 public:
  Monitor(Subscriber& s, std::uint64_t deadline_ns) : s_(s), deadline_ns_(deadline_ns) {}
  Look look(std::uint64_t now, bool feed_closed) override {
    if (feed_closed) s_.feed_.check_soon();
    if (s_.feed_.check_due(now)) {
      s_.maintain(now);
      if (!s_.attached()) return Look::kReady;  // detached: next() re-attaches
    }
    if (s_.stopping() || (deadline_ns_ != 0 && now >= deadline_ns_)) return Look::kGiveUp;
    return Look::kGoOn;
  }

 private:
  Subscriber& s_;
  std::uint64_t deadline_ns_;
};

Result<Subscriber> Subscriber::create(SubscriberOptions o) {
  if (auto st = validate_name(o.segment); !st) return std::move(st).error();
  if (o.block_timeout_ns == 0) o.block_timeout_ns = 100'000'000;
  return Subscriber(std::move(o));
}

Subscriber::Subscriber(SubscriberOptions o)
    : opt_(std::move(o)),
      feed_(opt_.segment),
      cursor_(DenseTuning{opt_.dense_backoff_ns, opt_.dense_margin, opt_.dense_hold_ns}),
      waiter_(WaitTuning{opt_.wait, opt_.spin_ns, opt_.block_timeout_ns, opt_.dense_backoff_ns,
                         opt_.dense_nap_ns}) {}

Subscriber::~Subscriber() {
  detach();
}

Status Subscriber::try_attach() {
  const std::uint64_t now = now_ns();
  auto dv = feed_.open(now);
  if (!dv) return std::move(dv).error();
  std::optional<ReaderLease> lease;
  if (opt_.register_reader) {
    auto c = ControlView::open(opt_.segment, true);
    if (!c) return std::move(c).error();
    if (c->epoch() != dv->epoch()) {
      return make_error(Errc::kNotReady,
                        "control segment of '" + opt_.segment + "' belongs to another epoch");
    }
    auto l = ReaderLease::claim(std::move(c.value()), opt_.segment, {opt_.name, opt_.role, opt_.wait}, now);
    if (!l) return std::move(l).error();
    lease.emplace(std::move(l.value()));
  }
  // A reader that waited for this feed (started first, or following a restart) reads the epoch from its
  // first tick; one that joins a running feed starts at the live edge.
  const std::uint64_t from = feed_.waited() || opt_.from_start ? 0 : dv->write_cursor();
  if (lease && !lease->activate(from)) {
    return make_error(Errc::kNotReady,
                      "registry slot of '" + opt_.segment + "' was taken over while claiming");
  }
  // Only now: the cursor points into dv's mapping, which a refusal above would unmap on return.
  cursor_.start(*dv, from);
  std::string msg =
      fmt::format("attached to feed '{}' epoch {:016x} (writer pid {}), {} symbols, reading from tick {}",
                  opt_.segment, dv->epoch(), dv->header().writer_pid, dv->symbol_count(), from);
  feed_.adopt(std::move(dv.value()), now);
  lease_.reset();
  if (lease) lease_.emplace(std::move(*lease));
  next_stats_ns_ = now + kStatsPeriodNs;
  feed_.emit(SubscriberEvent::kAttached, msg);
  return ok_status();
}

void Subscriber::detach() noexcept {
  flush_stats();
  lease_.reset();
  cursor_.stop();
}

Subscriber::Next Subscriber::next(TickRecord& out, std::uint64_t deadline_ns) {
  for (;;) {
    if (!cursor_.started()) {
      // Not attached: wait for a feed, retrying at a modest pace and saying why once per reason.
      const std::uint64_t now = now_ns();
      if (feed_.attach_due(now)) {
        auto st = try_attach();
        if (st) continue;
        feed_.refused(st.error(), now);
      }
      if (stopping()) return Next::kStopped;
      if (deadline_ns != 0 && now >= deadline_ns) return Next::kTimeout;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (try_next(out)) {
      if (++since_maintain_ >= kTicksPerMaintain) maintain(now_ns());
      return Next::kTick;
    }
    if (!wait_for_data(deadline_ns)) return stopping() ? Next::kStopped : Next::kTimeout;
  }
}

bool Subscriber::wait_for_data(std::uint64_t deadline_ns) {
  Monitor monitor(*this, deadline_ns);
  return waiter_.wait(cursor_, feed_.data(), lease(), deadline_ns, monitor);
}

void Subscriber::reregister(std::uint64_t now) noexcept {
  // Our slot went to someone else while we were silent (stopped, or starved): take a new one and go on
  // from where we are; the cursor counts what we missed as lost, exactly, when it reads on.
  const int old = lease_->index();
  auto renewed = ReaderLease::renew(std::move(*lease_), opt_.segment, {opt_.name, opt_.role, opt_.wait}, now);
  lease_.reset();
  if (!renewed || !renewed->activate(cursor_.joined_at())) {
    feed_.emit(SubscriberEvent::kRegistryFull,
               fmt::format("registry slot {} of '{}' was reclaimed while this reader was silent, and no slot "
                           "is free now: reading unregistered",
                           old, opt_.segment));
    return;
  }
  lease_.emplace(std::move(renewed.value()));
  flush_stats();
  feed_.emit(
      SubscriberEvent::kAttached,
      fmt::format(
          "registry slot {} of '{}' was reclaimed while this reader was silent; registered again in slot {}",
          old, opt_.segment, lease_->index()));
}

void Subscriber::flush_stats() noexcept {
  if (lease() == nullptr) return;
  lease_->flush({cursor_.cursor(), cursor_.received(), cursor_.lost(), cursor_.verify_errors()}, hist_);
}

void Subscriber::maintain(std::uint64_t now) noexcept {
  since_maintain_ = 0;
  if (!cursor_.started()) return;
  if (lease() != nullptr) {
    if (lease_->stolen()) reregister(now);
    if (lease() != nullptr) lease_->heartbeat(now);
  }
  if (now >= next_stats_ns_) {
    flush_stats();
    next_stats_ns_ = now + kStatsPeriodNs;
  }
  if (!feed_.check_due(now)) return;
  const bool drained = !cursor_.behind();
  if (feed_.check(now, drained, cursor_.cursor(), cursor_.received(), cursor_.lost()) ==
      FeedFollower::Verdict::kLeave) {
    detach();
    feed_.leave();
  }
}

}  // namespace tickshm
