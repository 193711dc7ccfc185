// Truncation under our feet: a shared mapping whose file someone else shrinks raises SIGBUS on the
// next access past the new end. A watched mapping's fault is turned into a flag instead: the handler
// maps zero-filled private pages over the whole range and returns, the access completes (reading
// zeros, or writing where nobody else looks), and the owner, seeing faulted(), reports and detaches.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "tickshm/posix.hpp"

namespace tickshm {

struct FaultGuardEntry {
  std::atomic<std::uintptr_t> begin{0};  // 0: free
  std::atomic<std::size_t> length{0};
  std::atomic<std::uint32_t> faulted{0};
};

struct FaultGuardRelease {
  void operator()(FaultGuardEntry* e) const noexcept;
};

class FaultGuard {
 public:
  FaultGuard() = default;  // watches nothing
  // Watches m (installs the SIGBUS handler on first use, chaining to any other). Watches nothing when
  // the table of watched mappings is full (256), so the caller then crashes as before, never worse.
  static FaultGuard watch(const Mapping& m) noexcept;

  // The mapping's file was truncated under it: its contents are now zeros of our own.
  bool faulted() const noexcept { return entry_ && entry_->faulted.load(std::memory_order_relaxed) != 0; }

 private:
  std::unique_ptr<FaultGuardEntry, FaultGuardRelease> entry_;
};

}  // namespace tickshm
