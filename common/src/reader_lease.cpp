// The registry slot lease: claim by CAS on the owner word, fill, activate; heartbeat; release.
#include "tickshm/reader_lease.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "tickshm/process.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {
namespace {

void copy_bounded(char* dst, std::size_t cap, const std::string& src) {
  std::memset(dst, 0, cap);
  std::memcpy(dst, src.data(), std::min(src.size(), cap - 1));
}

// A free slot, or one whose owner died (its pid tells, with its start time once active).
bool claimable(const ReaderSlot& s, std::uint64_t owner) noexcept {
  const SlotState st = owner_state(owner);
  if (st == SlotState::kFree) return true;
  const std::uint64_t start = st == SlotState::kActive ? load_relaxed(s.start_time) : 0;
  return !process_alive(owner_pid(owner), start);
}

}  // namespace

Result<ReaderLease> ReaderLease::claim(ControlView ctl, std::string_view feed, const ReaderIdentity& who,
                                       std::uint64_t now) {
  const std::int32_t pid = ::getpid();
  int claimed = -1;
  for (std::uint32_t i = 0; i < kReaderSlots && claimed < 0; ++i) {
    ReaderSlot& s = ctl.slot(i);
    std::uint64_t owner = observe(s.owner);
    if (claimable(s, owner) && aref(s.owner).compare_exchange_strong(
                                   owner, slot_owner(pid, SlotState::kClaiming), std::memory_order_acq_rel)) {
      claimed = static_cast<int>(i);
    }
  }
  if (claimed < 0) {
    return make_error(Errc::kRegistryFull,
                      "reader registry of '" + std::string(feed) + "' is full (" +
                                                 std::to_string(kReaderSlots) + " readers)");
  }
  ReaderSlot& s = ctl.slot(static_cast<std::uint32_t>(claimed));
  // A dead previous owner may have left its bit set: the writer would wake for nobody.
  aref(ctl.header().sleepers).fetch_and(~(1ULL << claimed), std::memory_order_acq_rel);
  store_relaxed(s.start_time, process_start_time(pid));
  copy_bounded(s.name, kReaderNameLength, who.name);
  copy_bounded(s.role, kReaderRoleLength, who.role);
  store_relaxed(s.wait_strategy, static_cast<std::uint32_t>(who.wait));
  store_relaxed(s.attached_ns, now);
  store_relaxed(s.heartbeat_ns, now);
  for (std::uint64_t* f :
       {&s.received, &s.lost, &s.p50_ns, &s.p99_ns, &s.p999_ns, &s.max_ns, &s.verify_errors}) {
    store_relaxed(*f, std::uint64_t{0});
  }
  ReaderLease lease;
  lease.ctl_.emplace(std::move(ctl));
  lease.slot_ = std::unique_ptr<ReaderSlot, ReaderSlotRelease>(&s, ReaderSlotRelease{&lease.ctl_->header(), claimed});
  return lease;
}

void ReaderLease::activate(std::uint64_t joined_at) noexcept {
  ReaderSlot& s = *slot_;
  store_relaxed(s.cursor, joined_at);
  store_relaxed(s.joined_at, joined_at);
  // SYNC POINT S1: the slot's identity is complete before anyone sees it active.
  publish(s.owner, slot_owner(::getpid(), SlotState::kActive));
}

void ReaderLease::heartbeat(std::uint64_t now) noexcept {
  store_relaxed(slot_->heartbeat_ns, now);
}

void ReaderLease::store_progress(std::uint64_t cursor, std::uint64_t received, std::uint64_t lost) noexcept {
  ReaderSlot& s = *slot_;
  store_relaxed(s.cursor, cursor);
  store_relaxed(s.received, received);
  store_relaxed(s.lost, lost);
}

void ReaderLease::flush(const ReaderProgress& p, const LatencyHistogram& hist) noexcept {
  store_progress(p.cursor, p.received, p.lost);
  ReaderSlot& s = *slot_;
  store_relaxed(s.verify_errors, p.verify_errors);
  if (hist.count() != 0) {
    const LatencySummary l = summarize(hist);
    store_relaxed(s.p50_ns, l.p50_ns);
    store_relaxed(s.p99_ns, l.p99_ns);
    store_relaxed(s.p999_ns, l.p999_ns);
    store_relaxed(s.max_ns, l.max_ns);
  }
}

void ReaderSlotRelease::operator()(ReaderSlot* s) const noexcept {
  aref(control->sleepers).fetch_and(~(1ULL << index), std::memory_order_acq_rel);
  publish(s->owner, slot_owner(0, SlotState::kFree));
}

}  // namespace tickshm
