// A reader's slot in a feed's registry, held for as long as the lease lives (RAII): claim, heartbeat,
// counters, release.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tickshm/control_layout.hpp"
#include "tickshm/histogram.hpp"
#include "tickshm/result.hpp"
#include "tickshm/segment.hpp"

namespace tickshm {

// What a reader shows in the registry.
struct ReaderIdentity {
  std::string name;  // truncated to kReaderNameLength - 1 characters
  std::string role;
  WaitStrategy wait = WaitStrategy::kAdaptive;
};

// A reader's counters as they go to its slot.
struct ReaderProgress {
  std::uint64_t cursor = 0, received = 0, lost = 0, verify_errors = 0;
};

// Frees a claimed slot: clears its sleepers bit and stores the owner word "free".
struct ReaderSlotRelease {
  ControlHeader* control = nullptr;
  int index = -1;
  void operator()(ReaderSlot* s) const noexcept;
};

class ReaderLease {
 public:
  // Claims a slot in feed's registry `ctl`: a free one, or one whose owner is dead. kRegistryFull when
  // none is.
  [[nodiscard]] static Result<ReaderLease> claim(ControlView ctl, std::string_view feed,
                                                 const ReaderIdentity& who, std::uint64_t now);

  ReaderLease() = default;  // holds nothing
  ReaderLease(ReaderLease&&) noexcept = default;
  // Member-wise assignment would unmap the registry before releasing the slot in it: owners hold a
  // lease in a std::optional and reset it instead.
  ReaderLease& operator=(ReaderLease&&) = delete;
  ~ReaderLease() = default;  // the slot's deleter frees it (before the mapping goes)

  bool held() const noexcept { return slot_ != nullptr; }
  int index() const noexcept { return held() ? slot_.get_deleter().index : -1; }
  ReaderSlot& slot() const noexcept { return *slot_; }
  ControlHeader& control() const noexcept { return ctl_->header(); }

  // Where this epoch's reading begins; then the slot turns active (its identity complete). False: the
  // claim was taken over meanwhile (judged stale) and the lease holds nothing now.
  [[nodiscard]] bool activate(std::uint64_t joined_at) noexcept;
  // Someone reclaimed our slot (we were silent longer than kReaderStaleAfterNs: stopped, say).
  bool stolen() const noexcept;
  // After stolen(): a new slot in the same registry; the old one is left to its new owner.
  [[nodiscard]] static Result<ReaderLease> renew(ReaderLease&& old, std::string_view feed,
                                                 const ReaderIdentity& who, std::uint64_t now);
  void heartbeat(std::uint64_t now) noexcept;
  // Three relaxed stores to our own line: the counters exact for anyone looking.
  void store_progress(std::uint64_t cursor, std::uint64_t received, std::uint64_t lost) noexcept;
  void flush(const ReaderProgress& p, const LatencyHistogram& hist) noexcept;

 private:
  std::optional<ControlView> ctl_;  // declared first: outlives slot_, whose release writes into it
  std::unique_ptr<ReaderSlot, ReaderSlotRelease> slot_;
};

}  // namespace tickshm
