// The reader: attach/wait/re-attach, the seqlock ring read with exact loss counting, and waiting.
#include "tickshm/subscriber.hpp"

#include <semaphore.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {
namespace {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

constexpr std::uint64_t kMaintainPeriodNs = 20'000'000;  // liveness checks while idle
constexpr std::uint64_t kStatsPeriodNs = 1'000'000'000;  // latency summary to the registry
constexpr std::uint64_t kAttachRetryNs = 50'000'000;
constexpr std::uint32_t kTicksPerMaintain = 4096;  // while busy, look at the clock this often

void copy_bounded(char* dst, std::size_t cap, const std::string& src) {
  std::memset(dst, 0, cap);
  std::memcpy(dst, src.data(), std::min(src.size(), cap - 1));
}

}  // namespace

const char* feed_status_name(FeedStatus s) noexcept {
  switch (s) {
    case FeedStatus::kWaiting:
      return "WAITING";
    case FeedStatus::kLive:
      return "LIVE";
    case FeedStatus::kStale:
      return "STALE";
    case FeedStatus::kDead:
      return "DEAD";
    case FeedStatus::kClosed:
      return "CLOSED";
  }
  return "?";
}

Result<Subscriber> Subscriber::create(SubscriberOptions o) {
  if (auto st = validate_name(o.segment); !st) return std::move(st).error();
  if (o.block_timeout_ns == 0) o.block_timeout_ns = 100'000'000;
  return Subscriber(std::move(o));
}

Subscriber::Subscriber(SubscriberOptions o) : opt_(std::move(o)) {}

Subscriber::Subscriber(Subscriber&& o) noexcept
    : opt_(std::move(o.opt_)),
      data_(std::move(o.data_)),
      ctl_(std::move(o.ctl_)),
      ring_(o.ring_),
      write_cursor_(o.write_cursor_),
      mask_(o.mask_),
      slot_ptr_(std::exchange(o.slot_ptr_, nullptr)),
      slot_(std::exchange(o.slot_, -1)),
      cursor_(o.cursor_),
      received_(o.received_),
      lost_(o.lost_),
      joined_at_(o.joined_at_),
      total_received_(o.total_received_),
      total_lost_(o.total_lost_),
      verify_errors_(o.verify_errors_),
      epochs_seen_(o.epochs_seen_),
      last_epoch_(o.last_epoch_),
      last_publish_ns_(o.last_publish_ns_),
      dense_(o.dense_),
      held_(o.held_),
      hold_since_ns_(o.hold_since_ns_),
      margin_(o.margin_),
      read_limit_(o.read_limit_),
      waited_(o.waited_),
      status_(o.status_),
      hist_(o.hist_),
      stop_(o.stop_),
      on_event_(std::move(o.on_event_)) {
  o.data_.reset();
  o.ctl_.reset();
}

Subscriber::~Subscriber() {
  detach();
}

void Subscriber::emit(SubscriberEvent::Kind k, std::string msg) {
  if (on_event_) on_event_(SubscriberEvent{k, std::move(msg)});
}

Status Subscriber::try_attach() {
  auto dv = DataView::open(opt_.segment, /*populate=*/true);
  if (!dv) return std::move(dv).error();
  const std::uint64_t now = now_ns();
  if (dv->state() == SegmentState::kClosed) {
    return make_error(Errc::kNotReady, "feed '" + opt_.segment + "' has closed; waiting for a new one");
  }
  if (dv->health(now) == WriterHealth::kDead) {
    return make_error(Errc::kNotReady, "feed '" + opt_.segment + "' writer (pid " +
                                           std::to_string(dv->header().writer_pid) +
                                           ") is dead; waiting for a new one");
  }
  std::optional<ControlView> ctl;
  if (opt_.register_reader) {
    auto c = ControlView::open(opt_.segment, true);
    if (!c) return std::move(c).error();
    if (c->epoch() != dv->epoch()) {
      return make_error(Errc::kNotReady,
                        "control segment of '" + opt_.segment + "' belongs to another epoch");
    }
    // Claim a slot: a free one, or one whose owner died (its pid tells, with its start time when active).
    const std::int32_t pid = ::getpid();
    int claimed = -1;
    for (std::uint32_t i = 0; i < kReaderSlots && claimed < 0; ++i) {
      ReaderSlot& s = c->slot(i);
      std::uint64_t owner = observe(s.owner);
      const SlotState st = owner_state(owner);
      bool take = st == SlotState::kFree;
      if (!take) {
        const std::uint64_t start = st == SlotState::kActive ? load_relaxed(s.start_time) : 0;
        take = !process_alive(owner_pid(owner), start);
      }
      if (take && aref(s.owner).compare_exchange_strong(owner, slot_owner(pid, SlotState::kClaiming),
                                                        std::memory_order_acq_rel)) {
        claimed = static_cast<int>(i);
      }
    }
    if (claimed < 0) {
      return make_error(Errc::kRegistryFull, "reader registry of '" + opt_.segment + "' is full (" +
                                                 std::to_string(kReaderSlots) + " readers)");
    }
    ReaderSlot& s = c->slot(static_cast<std::uint32_t>(claimed));
    // A dead previous owner may have left its bit set; the writer would post a semaphore we reset.
    aref(c->header().sleepers).fetch_and(~(1ULL << claimed), std::memory_order_acq_rel);
    ::sem_init(&s.sem, 1, 0);
    store_relaxed(s.start_time, process_start_time(pid));
    copy_bounded(s.name, kReaderNameLength, opt_.name);
    copy_bounded(s.role, kReaderRoleLength, opt_.role);
    store_relaxed(s.wait_strategy, static_cast<std::uint32_t>(opt_.wait));
    store_relaxed(s.attached_ns, now);
    store_relaxed(s.heartbeat_ns, now);
    for (std::uint64_t* f :
         {&s.received, &s.lost, &s.p50_ns, &s.p99_ns, &s.p999_ns, &s.max_ns, &s.verify_errors}) {
      store_relaxed(*f, std::uint64_t{0});
    }
    slot_ = claimed;
    slot_ptr_ = &s;
    ctl = std::move(c.value());
  }

  // A reader that waited for this feed (started first, or following a restart) reads the epoch from its
  // first tick; one that joins a running feed starts at the live edge.
  const bool from_zero = waited_ || opt_.from_start;
  total_received_ += received_;
  total_lost_ += lost_;
  received_ = lost_ = 0;
  cursor_ = from_zero ? 0 : dv->write_cursor();
  joined_at_ = cursor_;
  ring_ = dv->ring();
  mask_ = dv->ring_mask();
  write_cursor_ = &dv->header().write_cursor;
  margin_ = std::min(opt_.dense_margin, (mask_ + 1) / 4);
  read_limit_ = kNoLimit;
  dense_ = held_ = false;
  hold_since_ns_ = 0;
  last_epoch_ = dv->epoch();
  ++epochs_seen_;
  if (slot_ptr_ != nullptr) {
    store_relaxed(slot_ptr_->cursor, cursor_);
    store_relaxed(slot_ptr_->joined_at, joined_at_);
    // SYNC POINT S1: the slot's identity is complete before anyone sees it active.
    publish(slot_ptr_->owner, slot_owner(::getpid(), SlotState::kActive));
  }
  char msg[256];
  std::snprintf(msg, sizeof msg,
                "attached to feed '%s' epoch %016llx (writer pid %d), %u symbols, reading from tick %llu",
                opt_.segment.c_str(), static_cast<unsigned long long>(dv->epoch()), dv->header().writer_pid,
                dv->symbol_count(), static_cast<unsigned long long>(cursor_));
  data_ = std::move(dv.value());
  ctl_ = std::move(ctl);
  status_ = FeedStatus::kLive;
  next_maintain_ns_ = now + kMaintainPeriodNs;
  next_stats_ns_ = now + kStatsPeriodNs;
  last_refusal_.clear();
  emit(SubscriberEvent::kAttached, msg);
  return ok_status();
}

void Subscriber::detach() noexcept {
  if (slot_ptr_ != nullptr && ctl_) {
    flush_stats();
    aref(ctl_->header().sleepers).fetch_and(~(1ULL << slot_), std::memory_order_acq_rel);
    publish(slot_ptr_->owner, slot_owner(0, SlotState::kFree));
  }
  slot_ptr_ = nullptr;
  slot_ = -1;
  ring_ = nullptr;
  write_cursor_ = nullptr;
  data_.reset();
  ctl_.reset();
}

Subscriber::Read Subscriber::read_slot(std::uint64_t s, TickRecord& out) const noexcept {
  const TickRecord& slot = ring_[s & mask_];
  const std::uint64_t w1 = observe(slot.seq);  // pairs with the writer's SYNC POINT P2
  if (w1 == seq_published(s)) {
    load_words<sizeof(TickRecord) - sizeof(std::uint64_t)>(&out.publish_ns, &slot.publish_ns);
    // Keeps the payload loads above from being satisfied after the re-check below.
    std::atomic_thread_fence(std::memory_order_acquire);
    const std::uint64_t w2 = load_relaxed(slot.seq);
    if (w2 == w1) {
      out.seq = s;
      return Read::kOk;
    }
    return Read::kLapped;  // the writer came round and overwrote the slot during our copy
  }
  // Below: tick s is not published yet (older tick, or being written). Above: a newer lap holds the slot.
  return w1 < seq_published(s) ? Read::kEmpty : Read::kLapped;
}

void Subscriber::skip_lapped() noexcept {
  // The slot holds tick cursor_ + k*capacity (k >= 1), so the writer's cursor is at least cursor_ +
  // capacity. Everything older than cursor - capacity + 1 has been or is being overwritten.
  const std::uint64_t c = observe(*write_cursor_);
  const std::uint64_t cap = mask_ + 1;
  std::uint64_t oldest = c > cap ? c - cap + 1 : 0;
  if (oldest <= cursor_) oldest = cursor_ + 1;
  lost_ += oldest - cursor_;
  cursor_ = oldest;
}

bool Subscriber::published_at(std::uint64_t s) const noexcept {
  // Only a hint where the head is (a later lap counts too): read_slot() still checks every tick.
  return load_relaxed(ring_[s & mask_].seq) >= seq_published(s);
}

bool Subscriber::extend_read_limit() noexcept {
  // Reading a dense stream: stay dense_margin ticks short of the head, so our loads and the
  // prefetches they train stay off the lines being written. Where the head is, slot words tell, not
  // the write cursor: the writer stores its cursor every tick, so each look at it costs the writer a
  // cross-core invalidation at its next store, while a published slot is not written for a lap.
  held_ = false;
  if (published_at(cursor_ + 2 * margin_)) {
    read_limit_ = cursor_ + margin_ + 1;  // the head is past cursor + 2 margins: read one margin's worth
    hold_since_ns_ = 0;
    return true;
  }
  // Within two margins. A sixteenth of a margin or more waiting (8 ticks by default: the writer is
  // faster than ~8 M ticks/s, a flat-out writer even when something slows it): hold them back until
  // we have held them dense_hold_ns by our own clock, then read to the head. A writer faster than
  // 16 M ticks/s fills two margins before then (with the default 16 us). Our clock, not the ticks'
  // stamps: a writer slowed down (by the machine, or by a reader reading right behind it) has
  // old-looking ticks by the time two margins wait, and reading them to the head because of that
  // kept a spinning reader on the lines being written and the writer slow (13 -> 50-60 ns/tick).
  // Fewer waiting: a moderate stream, read to the head now; try_next() finds the slot empty there.
  if (published_at(cursor_ + std::max<std::uint64_t>(margin_ / 16, 1))) {
    const std::uint64_t now = now_ns();
    if (hold_since_ns_ == 0) hold_since_ns_ = now;
    if (now - hold_since_ns_ < opt_.dense_hold_ns) {
      held_ = true;
      return false;
    }
  }
  hold_since_ns_ = 0;
  read_limit_ = kNoLimit;  // to the head; try_next() starts looking again once it is there
  return true;
}

bool Subscriber::try_next(TickRecord& out) noexcept {
  if (ring_ == nullptr) return false;
  for (;;) {
    if (cursor_ >= read_limit_ && !extend_read_limit()) return false;
    const Read r = read_slot(cursor_, out);
    if (r == Read::kEmpty) {
      if (dense_ && margin_ != 0) read_limit_ = cursor_;  // at the head: keep the margin from here
      return false;
    }
    if (r == Read::kLapped) {
      skip_lapped();
      continue;
    }
    ++cursor_;
    ++received_;
    const bool dense = out.publish_ns - last_publish_ns_ < opt_.dense_backoff_ns;  // going back: not dense
    last_publish_ns_ = out.publish_ns;
    if (dense != dense_) {
      dense_ = dense;
      read_limit_ = dense && margin_ != 0 ? cursor_ : kNoLimit;  // dense: look at the head first
    }
    if (out.symbol >= data_->symbol_count() ||
        (opt_.verify &&
         ((out.flags & kTickFlagChecksum) == 0 || tick_checksum(out.seq, out) != out.checksum))) {
      ++verify_errors_;
      continue;  // never hand out an index the directory lacks, nor a tick that failed its checksum
    }
    return true;
  }
}

Subscriber::Next Subscriber::next(TickRecord& out, std::uint64_t deadline_ns) {
  for (;;) {
    if (ring_ == nullptr) {
      // Not attached: wait for a feed, retrying at a modest pace and saying why once per reason.
      const std::uint64_t now = now_ns();
      if (now >= next_attach_ns_) {
        auto st = try_attach();
        if (st) continue;
        next_attach_ns_ = now + kAttachRetryNs;
        waited_ = true;
        if (st.error().message != last_refusal_) {
          last_refusal_ = st.error().message;
          const Errc code = st.error().code;
          const bool waiting = code == Errc::kNotFound || code == Errc::kNotReady;
          const SubscriberEvent::Kind kind = waiting                       ? SubscriberEvent::kWaitingForFeed
                                             : code == Errc::kRegistryFull ? SubscriberEvent::kRegistryFull
                                                                           : SubscriberEvent::kRefused;
          emit(kind, waiting ? "waiting for feed '" + opt_.segment + "': " + last_refusal_ : last_refusal_);
        }
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
  if (slot_ptr_ != nullptr) {
    // Drained: make the counters exact for anyone looking (three stores to our own cache line).
    store_relaxed(slot_ptr_->cursor, cursor_);
    store_relaxed(slot_ptr_->received, received_);
    store_relaxed(slot_ptr_->lost, lost_);
  }
  if (held_) {
    // Holding back a dense stream's newest ticks: let the writer move on, then look again (try_next()
    // reads them once held dense_hold_ns). Bounded by that time, so no deadline check here. On our own
    // clock whatever the strategy: a blocking reader that napped here (50 us, and the kernel's timer
    // slack adds more) held a paced writer's catch-up bursts that long: two `block` readers sharing a
    // core had a p99 four times worse.
    held_ = false;
    spin_for(opt_.dense_backoff_ns);
    return true;
  }
  const std::uint64_t start = now_ns();
  std::uint64_t now = start;
  bool paused = false;  // one pause per catch-up: a stream that thinned out is polled again at once
  if (opt_.wait != WaitStrategy::kBlock) {
    // Look at the clock every 256 polls when spinning (stop flag, deadline, liveness), every 16 when
    // the spin has a budget: one `pause` takes 19 ns on this project's AMD EPYC and ~40 ns on recent
    // Intel, so 256 polls are 5-10 us, and a 5 us budget became 10 us, the whole gap at 100 k ticks/s:
    // two adaptive readers sharing a core then never slept, and took turns on it a scheduler slice
    // at a time.
    const std::uint32_t look_every = opt_.wait == WaitStrategy::kAdaptive ? 15 : 255;
    for (std::uint32_t i = 1;; ++i) {
      // Poll the slot's own sequence word: the line the tick arrives in, one transfer instead of two.
      if (published_at(cursor_)) return true;
      if (dense_ && !paused) {
        // Caught up with a dense stream: let the writer get ahead, then read the backlog in one go.
        pause_dense(deadline_ns);
        paused = true;
        continue;
      }
      cpu_relax();
      if ((i & look_every) == 0) {
        now = now_ns();
        if (now >= next_maintain_ns_) {
          maintain(now);
          if (ring_ == nullptr) return true;  // detached: next() re-attaches
        }
        if (stopping() || (deadline_ns != 0 && now >= deadline_ns)) return false;
        if (opt_.wait == WaitStrategy::kAdaptive && now - start >= opt_.spin_ns) break;
      }
    }
  }
  if (opt_.wait == WaitStrategy::kBlock && dense_) {
    // Caught up with a dense stream: nap (see pause_dense), then take the backlog in one go. Only if
    // it is still dense a moment later (timed on our own clock, then one look): a paced writer catching
    // up after a stall publishes a short dense burst too, and a 50 us nap (plus the kernel's timer
    // slack) after each of those made the ~1 % of ticks behind them ~100 us late. A stream that
    // stopped is slept on.
    spin_for(opt_.dense_backoff_ns);
    if (published_at(cursor_)) {
      pause_dense(deadline_ns);
      return true;
    }
  }
  for (;;) {
    if (block_once(deadline_ns)) return true;
    now = now_ns();
    if (now >= next_maintain_ns_) {
      maintain(now);
      if (ring_ == nullptr) return true;
    }
    if (stopping() || (deadline_ns != 0 && now >= deadline_ns)) return false;
  }
}

void Subscriber::pause_dense(std::uint64_t deadline_ns) noexcept {
  if (opt_.wait == WaitStrategy::kBlock) {
    // Nap without setting our sleepers bit: the writer has nobody to post, so it makes no system call.
    std::uint64_t nap = opt_.dense_nap_ns;
    if (deadline_ns != 0) {
      const std::uint64_t now = now_ns();
      nap = deadline_ns > now ? std::min(nap, deadline_ns - now) : 0;
    }
    if (nap != 0) std::this_thread::sleep_for(std::chrono::nanoseconds(nap));
    return;
  }
  spin_for(opt_.dense_backoff_ns);  // spin, adaptive
}

void Subscriber::spin_for(std::uint64_t ns) noexcept {
  // Our own clock (vDSO, on our own core): nothing the writer writes is touched.
  const std::uint64_t until = now_ns() + ns;
  while (now_ns() < until) cpu_relax();
}

bool Subscriber::block_once(std::uint64_t deadline_ns) {
  // Data, or a closed feed: the latter forces the liveness check so the caller detaches at once.
  auto ready = [&] {
    if (observe(*write_cursor_) > cursor_) return true;
    if (data_->state() == SegmentState::kClosed) next_maintain_ns_ = 0;
    return false;
  };
  if (slot_ptr_ == nullptr) {  // unregistered: no semaphore to sleep on, so nap briefly
    std::this_thread::sleep_for(std::chrono::microseconds(500));
    return ready();
  }
  std::uint64_t& sleepers = ctl_->header().sleepers;
  const std::uint64_t bit = 1ULL << slot_;
  // SYNC POINT R1: announce the sleep (seq_cst RMW) ...
  aref(sleepers).fetch_or(bit, std::memory_order_seq_cst);
  // SYNC POINT R2: ... then look again (seq_cst load): pairs with the writer's W1/W2, see wake_sleepers.
  if (aref(*write_cursor_).load(std::memory_order_seq_cst) > cursor_ ||
      data_->state() == SegmentState::kClosed) {
    aref(sleepers).fetch_and(~bit, std::memory_order_acq_rel);
    return ready();
  }
  std::uint64_t until = now_ns() + opt_.block_timeout_ns;
  if (deadline_ns != 0 && deadline_ns < until) until = deadline_ns;
  timespec ts{static_cast<time_t>(until / kNsPerSec), static_cast<long>(until % kNsPerSec)};
  ::sem_clockwait(&slot_ptr_->sem, CLOCK_MONOTONIC, &ts);  // EINTR and ETIMEDOUT: just look again
  aref(sleepers).fetch_and(~bit, std::memory_order_acq_rel);
  return ready();
}

void Subscriber::flush_stats() noexcept {
  if (slot_ptr_ == nullptr) return;
  ReaderSlot& s = *slot_ptr_;
  store_relaxed(s.cursor, cursor_);
  store_relaxed(s.received, received_);
  store_relaxed(s.lost, lost_);
  store_relaxed(s.verify_errors, verify_errors_);
  if (hist_.count() != 0) {
    const LatencySummary l = summarize(hist_);
    store_relaxed(s.p50_ns, l.p50_ns);
    store_relaxed(s.p99_ns, l.p99_ns);
    store_relaxed(s.p999_ns, l.p999_ns);
    store_relaxed(s.max_ns, l.max_ns);
  }
}

void Subscriber::maintain(std::uint64_t now) noexcept {
  since_maintain_ = 0;
  if (ring_ == nullptr) return;
  if (slot_ptr_ != nullptr) store_relaxed(slot_ptr_->heartbeat_ns, now);
  if (now >= next_stats_ns_) {
    flush_stats();
    next_stats_ns_ = now + kStatsPeriodNs;
  }
  if (now < next_maintain_ns_) return;
  next_maintain_ns_ = now + kMaintainPeriodNs;
  const bool drained = observe(*write_cursor_) <= cursor_;
  const WriterHealth h = data_->health(now);
  switch (h) {
    case WriterHealth::kClosed:
    case WriterHealth::kDead:
      if (!drained) return;  // read what was published before leaving the epoch
      status_ = h == WriterHealth::kClosed ? FeedStatus::kClosed : FeedStatus::kDead;
      emit(h == WriterHealth::kClosed ? SubscriberEvent::kFeedClosed : SubscriberEvent::kFeedDead,
           std::string("feed '") + opt_.segment + "' " +
               (h == WriterHealth::kClosed ? "closed" : "writer died") + " after " + std::to_string(cursor_) +
               " ticks (received " + std::to_string(received_) + ", lost " + std::to_string(lost_) +
               "); waiting for a new epoch");
      detach();
      waited_ = true;
      next_attach_ns_ = 0;
      return;
    case WriterHealth::kStale:
      if (status_ != FeedStatus::kStale) {
        status_ = FeedStatus::kStale;
        emit(SubscriberEvent::kFeedStale, "feed '" + opt_.segment + "' is stale: no heartbeat for over 1 s");
      }
      return;
    case WriterHealth::kLive:
      if (status_ == FeedStatus::kStale)
        emit(SubscriberEvent::kAttached, "feed '" + opt_.segment + "' is live again");
      status_ = FeedStatus::kLive;
      return;
  }
}

}  // namespace tickshm
