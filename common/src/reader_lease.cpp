// The registry slot lease: claim by CAS on the owner word, fill, activate; heartbeat; release.
#include "tickshm/reader_lease.hpp"

#include <fmt/format.h>

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

}  // namespace

Result<ReaderLease> ReaderLease::claim(ControlView ctl, std::string_view feed, const ReaderIdentity& who,
                                       std::uint64_t now) {
  const std::int32_t pid = ::getpid();
  int claimed = -1;
  for (std::uint32_t i = 0; i < kReaderSlots && claimed < 0; ++i) {
    ReaderSlot& s = ctl.slot(i);
    std::uint64_t owner = observe(s.owner);
    if (slot_reclaimable(s, owner, now) &&
        aref(s.owner).compare_exchange_strong(owner, slot_owner(pid, SlotState::kClaiming),
                                              std::memory_order_acq_rel)) {
      claimed = static_cast<int>(i);
    }
  }
  if (claimed < 0) {
    return make_error(Errc::kRegistryFull,
                      fmt::format("reader registry of '{}' is full ({} readers)", feed, kReaderSlots));
  }
  ReaderSlot& s = ctl.slot(static_cast<std::uint32_t>(claimed));
  store_relaxed(s.heartbeat_ns, now);  // first: a fresh heartbeat keeps the claim from looking stale
  // A dead previous owner may have left its bits set: the writer would wake for nobody, and we would
  // pass on a round we were never woken in.
  aref(ctl.header().sleepers).fetch_and(~(1ULL << claimed), std::memory_order_acq_rel);
  aref(ctl.header().waking).fetch_and(~(1ULL << claimed), std::memory_order_relaxed);
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
  lease.slot_ =
      std::unique_ptr<ReaderSlot, ReaderSlotRelease>(&s, ReaderSlotRelease{&lease.ctl_->header(), claimed});
  return lease;
}

bool ReaderLease::activate(std::uint64_t joined_at) noexcept {
  ReaderSlot& s = *slot_;
  store_relaxed(s.cursor, joined_at);
  store_relaxed(s.joined_at, joined_at);
  // SYNC POINT S1: the slot's identity is complete before anyone sees it active. A CAS, not a store:
  // a claim that someone judged stale and took over meanwhile is theirs now.
  std::uint64_t claiming = slot_owner(::getpid(), SlotState::kClaiming);
  if (aref(s.owner).compare_exchange_strong(claiming, slot_owner(::getpid(), SlotState::kActive),
                                            std::memory_order_acq_rel)) {
    return true;
  }
  slot_.release();  // not ours to free
  return false;
}

bool ReaderLease::stolen() const noexcept {
  return load_relaxed(slot_->owner) != slot_owner(::getpid(), SlotState::kActive);
}

Result<ReaderLease> ReaderLease::renew(ReaderLease&& old, std::string_view feed, const ReaderIdentity& who,
                                       std::uint64_t now) {
  old.slot_.release();  // someone else's now: neither freed nor written again
  ControlView ctl = std::move(*old.ctl_);
  old.ctl_.reset();
  return claim(std::move(ctl), feed, who, now);
}

void ReaderLease::heartbeat(std::uint64_t now) noexcept {
  if (!stolen()) store_relaxed(slot_->heartbeat_ns, now);
}

void ReaderLease::store_progress(std::uint64_t cursor, std::uint64_t received, std::uint64_t lost) noexcept {
  ReaderSlot& s = *slot_;
  store_relaxed(s.cursor, cursor);
  store_relaxed(s.received, received);
  store_relaxed(s.lost, lost);
}

void ReaderLease::flush(const ReaderProgress& p, const LatencyHistogram& hist) noexcept {
  if (stolen()) return;
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
  aref(control->waking).fetch_and(~(1ULL << index), std::memory_order_relaxed);
  // Only if it is still ours: a slot reclaimed while we were silent belongs to its new owner.
  std::uint64_t mine = slot_owner(::getpid(), SlotState::kActive);
  if (!aref(s->owner).compare_exchange_strong(mine, slot_owner(0, SlotState::kFree),
                                              std::memory_order_acq_rel)) {
    mine = slot_owner(::getpid(), SlotState::kClaiming);
    aref(s->owner).compare_exchange_strong(mine, slot_owner(0, SlotState::kFree), std::memory_order_acq_rel);
  }
}

}  // namespace tickshm
