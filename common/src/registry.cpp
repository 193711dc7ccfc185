// The registry: wait strategy names, the control segment view, and its rows copied out.
#include "tickshm/registry.hpp"

#include <fmt/format.h>

#include <cstring>

#include "shm_map.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/validation.hpp"

namespace tickshm {

const char* wait_name(WaitStrategy w) noexcept {
  switch (w) {
    case WaitStrategy::kSpin:
      return "spin";
    case WaitStrategy::kBlock:
      return "block";
    case WaitStrategy::kAdaptive:
      return "adaptive";
  }
  return "?";
}

Result<WaitStrategy> parse_wait(std::string_view s) {
  if (s == "spin") return WaitStrategy::kSpin;
  if (s == "block") return WaitStrategy::kBlock;
  if (s == "adaptive") return WaitStrategy::kAdaptive;
  return make_error(Errc::kInvalidArgument,
                    "wait strategy '" + std::string(s) + "' is not one of spin, block, adaptive");
}

Result<ControlView> ControlView::open(std::string_view feed, bool writable) {
  if (auto st = validate_name(feed); !st) return std::move(st).error();
  const std::string path = control_segment_path(feed);
  auto m = open_and_map(path, writable, sizeof(ControlHeader), "control segment");
  if (!m) return std::move(m).error();
  if (auto st = validate_control_segment(m->data(), m->size()); !st) {
    Error e = std::move(st).error();
    e.message = path + ": " + e.message;
    return e;
  }
  return ControlView(std::move(m.value()));
}

static std::string bounded(const char* p, std::size_t n) {
  return std::string(p, strnlen(p, n));
}

bool slot_reclaimable(const ReaderSlot& s, std::uint64_t owner, std::uint64_t now) noexcept {
  const SlotState st = owner_state(owner);
  if (st == SlotState::kFree) return true;
  if (st != SlotState::kActive && st != SlotState::kClaiming) return true;  // garbage
  // Silent too long, whatever its pid: a squatter, or a reader stopped long enough to have lost it.
  const std::uint64_t hb = load_relaxed(s.heartbeat_ns);
  if (now > hb && now - hb > kReaderStaleAfterNs) return true;
  // Its process is gone (the start time tells a reused pid apart, once written: active slots only).
  const std::uint64_t start = st == SlotState::kActive ? load_relaxed(s.start_time) : 0;
  return !process_alive(owner_pid(owner), start);
}

std::vector<std::string> ControlView::free_reclaimable_slots(std::uint64_t now) const {
  std::vector<std::string> freed;
  for (std::uint32_t i = 0; i < kReaderSlots; ++i) {
    ReaderSlot& s = slot(i);
    std::uint64_t owner = observe(s.owner);
    if (owner_state(owner) == SlotState::kFree || !slot_reclaimable(s, owner, now)) continue;
    if (aref(s.owner).compare_exchange_strong(owner, slot_owner(0, SlotState::kFree),
                                              std::memory_order_acq_rel)) {
      freed.push_back(fmt::format("slot {} (pid {})", i, owner_pid(owner)));
    }
  }
  return freed;
}

std::vector<ReaderInfo> ControlView::readers() const {
  return read_registry(&slot(0));
}

std::vector<ReaderInfo> read_registry(const ReaderSlot* slots) {
  std::vector<ReaderInfo> out;
  for (std::uint32_t i = 0; i < kReaderSlots; ++i) {
    const ReaderSlot& s = slots[i];
    const std::uint64_t owner = observe(s.owner);
    const SlotState st = owner_state(owner);
    if (st != SlotState::kActive && st != SlotState::kClaiming) continue;
    ReaderInfo r;
    r.slot = i;
    r.pid = owner_pid(owner);
    r.name = bounded(s.name, kReaderNameLength);
    r.role = bounded(s.role, kReaderRoleLength);
    const auto w = load_relaxed(s.wait_strategy);
    r.wait = w <= 2 ? static_cast<WaitStrategy>(w) : WaitStrategy::kAdaptive;
    r.attached_ns = load_relaxed(s.attached_ns);
    r.heartbeat_ns = load_relaxed(s.heartbeat_ns);
    r.cursor = load_relaxed(s.cursor);
    r.received = load_relaxed(s.received);
    r.lost = load_relaxed(s.lost);
    r.joined_at = load_relaxed(s.joined_at);
    r.p50_ns = load_relaxed(s.p50_ns);
    r.p99_ns = load_relaxed(s.p99_ns);
    r.p999_ns = load_relaxed(s.p999_ns);
    r.max_ns = load_relaxed(s.max_ns);
    r.verify_errors = load_relaxed(s.verify_errors);
    r.alive = process_alive(r.pid, st == SlotState::kActive ? load_relaxed(s.start_time) : 0);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace tickshm
