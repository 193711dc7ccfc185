// The writer: creates a feed's segments under the single-writer lock and publishes ticks.
#include "tickshm/publisher.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "segment_create.hpp"
#include "tickshm/futex.hpp"
#include "tickshm/names.hpp"
#include "tickshm/seqlock.hpp"
#include "writer_lock.hpp"

namespace tickshm {
namespace {

Status validate_options(const PublisherOptions& o) {
  if (auto st = validate_name(o.segment); !st) return st;
  if (!is_power_of_two(o.ring_capacity) || o.ring_capacity < kMinRingCapacity ||
      o.ring_capacity > kMaxRingCapacity) {
    return make_error(
        Errc::kInvalidArgument,
        fmt::format("ring capacity {} must be a power of two in [2, 67108864]", o.ring_capacity));
  }
  if (o.symbols.empty() || o.symbols.size() > kMaxSymbols) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("symbol count {} must be in [1, {}]", o.symbols.size(), kMaxSymbols));
  }
  for (const SymbolSpec& s : o.symbols) {
    if (s.name.empty() || s.name.size() >= kSymbolNameLength) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("symbol '{}' must be 1 to 15 characters", s.name));
    }
    for (const char c : s.name) {
      if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f || c == ',') {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("symbol '{}' has a character that is not printable", s.name));
      }
    }
    if (s.reference_price <= 0 || s.reference_price > std::int64_t{kMaxTickPrice}) {
      return make_error(
          Errc::kInvalidArgument,
          fmt::format("symbol {} reference price {} is outside (0, 4294967295]", s.name, s.reference_price));
    }
    if (s.tick_size == 0)
      return make_error(Errc::kInvalidArgument, fmt::format("symbol {} has tick size 0", s.name));
  }
  // Only the writer may write the data segment: readers map it read-only and trust what the OS keeps
  // others from writing (a group writer could forge ticks or truncate it under every reader).
  if ((o.mode & ~mode_t{0644}) != 0 || (o.mode & 0600) != 0600) {
    return make_error(
        Errc::kInvalidArgument,
        fmt::format("mode {:04o} must give the owner rw and nobody else write access (at most 0644)",
                    o.mode));
  }
  return ok_status();
}

// From the lock on, a failure unlinks what we created (a partial failure rolls back).
struct Rollback {
  const std::string& data_path;
  const std::string& ctl_path;
  bool armed = true;
  ~Rollback() {
    if (armed) {
      ::shm_unlink(data_path.c_str());
      ::shm_unlink(ctl_path.c_str());
    }
  }
};

}  // namespace

Result<Publisher> Publisher::create(const PublisherOptions& o) {
  if (auto st = validate_options(o); !st) return std::move(st).error();
  const std::string data_path = data_segment_path(o.segment);
  const std::string ctl_path = control_segment_path(o.segment);
  const DataGeometry g = data_geometry(o.ring_capacity, static_cast<std::uint32_t>(o.symbols.size()));

  auto fd = take_writer_lock(o, data_path, ctl_path);
  if (!fd) return std::move(fd).error();
  Rollback rollback{data_path, ctl_path};
  ::fchmod(fd->get(), o.mode);  // the umask must not narrow what --mode asked for
  if (auto st = reserve(fd->get(), g.total_size, data_path); !st) return std::move(st).error();
  auto ctl_fd = create_control_segment(o.mode, ctl_path);
  if (!ctl_fd) return std::move(ctl_fd).error();
  auto data_map = map_shared(fd->get(), g.total_size, true, data_path, /*populate=*/true);
  if (!data_map) return std::move(data_map).error();
  auto ctl_map = map_shared(ctl_fd->get(), kControlSize, true, ctl_path);
  if (!ctl_map) return std::move(ctl_map).error();

  const std::uint64_t epoch = new_epoch();
  const std::int32_t pid = ::getpid();
  // Control segment first: it must exist, with the epoch, before the data segment says "live".
  write_control_header(*reinterpret_cast<ControlHeader*>(ctl_map->data()), epoch, pid);
  write_data_header(data_map->data(), o, g, epoch, pid);
  auto& h = *reinterpret_cast<DataHeader*>(data_map->data());
  // SYNC POINT C1: every field above is visible to a reader that observes "live" (validate_data_segment).
  tickshm::publish(h.state, static_cast<std::uint32_t>(SegmentState::kLive));
  rollback.armed = false;

  Publisher p;
  p.name_ = o.segment;
  p.data_fd_ = std::move(fd.value());
  p.data_ = std::move(data_map.value());
  p.ctl_ = std::move(ctl_map.value());
  p.data_guard_ = FaultGuard::watch(p.data_);
  p.ctl_guard_ = FaultGuard::watch(p.ctl_);
  p.hdr_ = &h;
  p.quotes_ = reinterpret_cast<QuoteRecord*>(p.data_.data() + g.quote_board_offset);
  p.ring_ = reinterpret_cast<TickRecord*>(p.data_.data() + g.ring_offset);
  p.ctl_hdr_ = reinterpret_cast<ControlHeader*>(p.ctl_.data());
  p.slots_ = reinterpret_cast<ReaderSlot*>(p.ctl_.data() + sizeof(ControlHeader));
  p.mask_ = o.ring_capacity - 1;
  p.prefetch_ahead_ = std::min(kPrefetchAhead, o.ring_capacity / 4);
  p.symbol_count_ = static_cast<std::uint32_t>(o.symbols.size());
  p.verify_ = o.verify;
  p.wake_mode_ = o.wake;
  spdlog::debug("created {} ({} bytes, ring {}, {} symbols, epoch {:016x})", data_path, g.total_size,
                o.ring_capacity, o.symbols.size(), epoch);
  return p;
}

Publisher::~Publisher() {
  close();
}

void Publisher::wake_sleepers() noexcept {
  // SYNC POINT W2. Dekker handshake with Waiter::block_once (R1/R2): we store the cursor (W1) then
  // load `sleepers`; a reader sets its bit then re-loads the cursor. The seq_cst fence here and the
  // reader's seq_cst RMW + load guarantee at least one side sees the other's store, so a reader never
  // sleeps through a tick. x86: a release store followed by a load may be reordered without it.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (load_relaxed(ctl_hdr_->sleepers) == 0) {
    // Nobody to wake, and now and then (by the last tick's stamp, our own store): a stalled round.
    if (cursor_ != 0) {
      const std::uint64_t stamp = load_relaxed(ring_[(cursor_ - 1) & mask_].publish_ns);
      if (stamp - last_rescue_ns_ >= kWakeRescueNs) rescue_round(stamp);
    }
    return;
  }
  if (wake_mode_ == WakeMode::kAll) {
    wake_all();
    return;
  }
  // Taking the word means one round per announced sleep, not one per tick until the sleepers clear
  // their own bits. Whatever a peer wrote into these words, none of this can block or fail.
  const std::uint64_t round = aref(ctl_hdr_->sleepers).exchange(0, std::memory_order_acq_rel);
  // SYNC POINT W3a: the round's sleepers, for the readers to wake one another (R5). Before W3, whose
  // release makes it visible to a reader that was woken and observes `wake`.
  aref(ctl_hdr_->waking).fetch_or(round, std::memory_order_relaxed);
  // SYNC POINT W3: a new value, so a reader between R0 and R3 does not sleep; release: pairs with R0/R5.
  aref(ctl_hdr_->wake).fetch_add(1, std::memory_order_release);
  // One sleeper, whatever their number: the kernel wakes each waiter a FUTEX_WAKE names, inside the
  // call, so waking all of them here would cost the writer per sleeper. The woken one passes it on.
  futex_wake(&ctl_hdr_->wake, 1);
}

void Publisher::wake_all() noexcept {
  // Every sleeper now (WakeMode::kAll, and closing: none left to a fan-out whose readers may be leaving
  // too). Taking the word means one wake per announced sleep, not one per tick until they clear it.
  aref(ctl_hdr_->sleepers).exchange(0, std::memory_order_acq_rel);
  aref(ctl_hdr_->wake).fetch_add(1, std::memory_order_release);
  futex_wake_all(&ctl_hdr_->wake);
}

void Publisher::rescue_round(std::uint64_t now) noexcept {
  // A round whose wake stopped on the way: the reader woken for it was stopped or killed before it
  // passed the wake on (R5), and the rest of the round sleeps with bits left in `waking` while nobody
  // announces a new sleep, so no new round would reach them before their timed wait ends. Wake the
  // longest waiter (one of them): it passes the round on. Nobody waiting means every bit left belongs
  // to a reader that is awake (it no longer needs the wake) or stopped: clear them, so that stale bits
  // do not make us look again.
  last_rescue_ns_ = now;
  const std::uint64_t left = load_relaxed(ctl_hdr_->waking);
  if (left == 0) return;
  if (futex_wake(&ctl_hdr_->wake, 1) == 0) aref(ctl_hdr_->waking).fetch_and(~left, std::memory_order_relaxed);
}

void Publisher::set_quote(std::uint32_t symbol, const Quote& v) noexcept {
  if (symbol >= symbol_count_) return;
  QuoteRecord& q = quotes_[symbol];
  const std::uint64_t odd = seqlock_write_begin(q.seq);
  store_payload(q.last, v.last);
  store_payload(q.bid, v.bid);
  store_payload(q.ask, v.ask);
  store_payload(q.bid_size, v.bid_size);
  store_payload(q.ask_size, v.ask_size);
  store_payload(q.last_size, v.last_size);
  store_payload(q.volume, v.volume);
  store_payload(q.open, v.open);
  store_payload(q.high, v.high);
  store_payload(q.low, v.low);
  store_payload(q.tick_count, v.tick_count);
  store_payload(q.trade_count, v.trade_count);
  store_payload(q.update_ns, v.update_ns);
  seqlock_write_end(q.seq, odd);
}

void Publisher::heartbeat(std::uint64_t now) noexcept {
  store_relaxed(hdr_->heartbeat_ns, now);
  // With readers announcing sleeps, the next tick's round wakes the longest waiter anyway.
  if (now - last_rescue_ns_ >= kWakeRescueNs && load_relaxed(ctl_hdr_->sleepers) == 0) rescue_round(now);
}

void Publisher::close() noexcept {
  if (!data_.valid()) return;  // closed, never opened, or moved from
  tickshm::publish(hdr_->state, static_cast<std::uint32_t>(SegmentState::kClosed));
  // Wake every sleeper so it sees "closed" now rather than at its next timeout.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  wake_all();
  if (!keep_) {
    ::shm_unlink(data_segment_path(name_).c_str());
    ::shm_unlink(control_segment_path(name_).c_str());
  }
  hdr_ = nullptr;
  quotes_ = nullptr;
  ring_ = nullptr;
  ctl_hdr_ = nullptr;
  slots_ = nullptr;
  data_.reset();
  ctl_.reset();
  data_fd_.reset();  // drops the writer lock last
}

std::uint64_t Publisher::epoch() const noexcept {
  return hdr_ ? hdr_->epoch : 0;
}
std::uint32_t Publisher::symbol_count() const noexcept {
  return symbol_count_;
}
const DataHeader& Publisher::header() const noexcept {
  return *hdr_;
}

std::vector<ReaderInfo> Publisher::readers() const {
  if (slots_ == nullptr) return {};
  return read_registry(slots_);  // our own mapping of the control segment
}

}  // namespace tickshm
