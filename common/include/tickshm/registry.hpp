// The reader registry as others see it: the control segment's view and its rows copied out for people.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tickshm/control_layout.hpp"
#include "tickshm/fault_guard.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"

namespace tickshm {

// One registry row, copied out for people (stat, dashboard, feed log).
struct ReaderInfo {
  std::uint32_t slot = 0;
  std::int32_t pid = 0;
  bool alive = false;
  std::string name, role;
  WaitStrategy wait = WaitStrategy::kAdaptive;
  std::uint64_t attached_ns = 0, heartbeat_ns = 0;
  std::uint64_t cursor = 0, received = 0, lost = 0, joined_at = 0;
  std::uint64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0, verify_errors = 0;
};

const char* wait_name(WaitStrategy w) noexcept;  // "spin", "block", "adaptive"
[[nodiscard]] Result<WaitStrategy> parse_wait(std::string_view s);

// The active and claiming slots among the kReaderSlots at `slots` (a control segment's registry), each
// checked for liveness (one /proc read per slot). Used by ControlView and by the writer on its own mapping.
std::vector<ReaderInfo> read_registry(const ReaderSlot* slots);

// A slot another reader may take: free, garbage, silent beyond kReaderStaleAfterNs (whatever its pid),
// or its owner gone (pid, and start time once active).
bool slot_reclaimable(const ReaderSlot& s, std::uint64_t owner, std::uint64_t now) noexcept;

// A validated mapping of /tickshm.NAME.ctl. Readers map it read-write (they claim slots in it);
// tickshm-stat and the dashboard map it read-only.
class ControlView {
 public:
  [[nodiscard]] static Result<ControlView> open(std::string_view feed, bool writable);

  ControlHeader& header() const noexcept { return *reinterpret_cast<ControlHeader*>(map_.data()); }
  ReaderSlot& slot(std::uint32_t i) const noexcept {
    return reinterpret_cast<ReaderSlot*>(map_.data() + sizeof(ControlHeader))[i];
  }
  std::uint64_t epoch() const noexcept { return header().epoch; }
  // Active and claiming slots, each checked for liveness (one /proc read per slot).
  std::vector<ReaderInfo> readers() const;
  bool truncated() const noexcept { return guard_.faulted(); }
  // Frees every held slot that is reclaimable (needs a writable view): what stat --clean does to a
  // squatted or abandoned registry. Returns "slot N (pid P)" for each slot freed.
  std::vector<std::string> free_reclaimable_slots(std::uint64_t now) const;

 private:
  explicit ControlView(Mapping m) : map_(std::move(m)), guard_(FaultGuard::watch(map_)) {}
  Mapping map_;
  FaultGuard guard_;  // a truncated control segment turns into private zeros, never SIGBUS
};

}  // namespace tickshm
