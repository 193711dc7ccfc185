// The control segment /tickshm.NAME.ctl: the reader registry, read-write for every participant.
//
//   offset 0                   4096                 4096 + 256          4096 + 256 * slot_count
//   +--------------------------+--------------------+-------- ... ------+
//   | ControlHeader (4 KiB)    | ReaderSlot 0       | ReaderSlot 1 ...  |
//   |  identity, epoch,        |  identity (line 0) |                   |
//   |  sleepers bitmask (own), |  counters (line 1) |                   |
//   |  wake futex word and     |                    |                   |
//   |  waking bitmask (own)    |                    |                   |
//   +--------------------------+--------------------+-------- ... ------+
//
// A reader claims a slot by CAS on `owner` (free -> pid|claiming), fills it, then stores pid|active.
// A reader about to sleep sets its bit in `sleepers` and sleeps on the `wake` futex word. A writer
// that finds any bit set moves them all to `waking`, bumps `wake` and wakes ONE sleeper; each reader
// woken with its bit in `waking` wakes up to kWakeFanOut more before it reads (a fan-out tree), so the
// writer's cost does not grow with the number of sleepers (docs/LAYOUT.md 2.3).
// Everything here may be scribbled on by any process that can open it read-write: the writer only
// ever stores into it, bumps a counter and calls FUTEX_WAKE, none of which can block or fail on what
// the words hold, and every value read from it is bounded before use.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "tickshm/layout.hpp"

namespace tickshm {

inline constexpr char kControlMagic[8] = {'T', 'I', 'C', 'K', 'C', 'T', 'L', '\0'};
inline constexpr std::uint32_t kControlLayoutVersion = 3;
inline constexpr std::uint32_t kReaderSlots = 64;  // one bit each in the 64-bit sleepers word
inline constexpr std::size_t kReaderNameLength = 32;
inline constexpr std::size_t kReaderRoleLength = 16;
// How many more sleepers a reader woken in a round wakes: 2 makes a binary tree, 64 sleepers woken in
// six steps after the writer's one.
inline constexpr int kWakeFanOut = 2;
// A writer that finds nobody announcing a sleep looks this often (by its ticks' stamps and its
// heartbeat) for a round whose wake stopped on the way, and wakes one of its sleepers again.
inline constexpr std::uint64_t kWakeRescueNs = 1'000'000;

enum class SlotState : std::uint64_t { kFree = 0, kClaiming = 1, kActive = 2 };

// A reader refreshes its slot's heartbeat at least this often while it runs (waiting or reading).
inline constexpr std::uint64_t kReaderHeartbeatPeriodNs = 1'000'000'000ULL;
// A slot whose heartbeat is older than this is reclaimable even if its pid lives: a squatter (an owner
// word naming pid 1, say) or a stopped reader, which registers again when it resumes.
inline constexpr std::uint64_t kReaderStaleAfterNs = 10'000'000'000ULL;

// owner word = pid << 8 | SlotState: one CAS claims the slot and names the claimer, so a claimer that
// dies half-way leaves a slot whose pid tells it is dead.
constexpr std::uint64_t slot_owner(std::int32_t pid, SlotState s) noexcept {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(pid)) << 8) | static_cast<std::uint64_t>(s);
}
constexpr SlotState owner_state(std::uint64_t owner) noexcept {
  return static_cast<SlotState>(owner & 0xFF);
}
constexpr std::int32_t owner_pid(std::uint64_t owner) noexcept {
  return static_cast<std::int32_t>(owner >> 8);
}

enum class WaitStrategy : std::uint32_t { kSpin = 0, kBlock = 1, kAdaptive = 2 };

struct ControlHeader {
  char magic[8];                 // "TICKCTL\0"
  std::uint32_t layout_version;  // kControlLayoutVersion
  std::uint32_t header_size;     // sizeof(ControlHeader)
  std::uint64_t total_size;
  std::uint32_t slot_count;  // kReaderSlots
  std::uint32_t slot_size;   // sizeof(ReaderSlot)
  std::uint64_t epoch;       // equals the data segment's epoch it was created with
  std::int32_t writer_pid;
  std::uint32_t reserved0;
  std::uint8_t pad0[kFalseSharingRange - 48];
  // Bit i set: reader slot i is (about to be) asleep. Readers set their own bit with fetch_or and clear
  // it when they wake; the writer clears the whole word (exchange) when it wakes them. Atomic.
  std::uint64_t sleepers;
  std::uint8_t pad1[kFalseSharingRange - 8];
  // The "cursor moved" futex word: bumped by the writer before each round of wakes; a reader sleeps
  // while it still holds the value it read before announcing its sleep. Any value is valid. Atomic.
  std::uint32_t wake;
  std::uint32_t reserved1;
  // Bit i set: reader slot i was asleep when the writer took the round's `sleepers`, and has not yet
  // passed its wake on. The writer ORs a round in; each reader clears its own bit, and when it was set
  // wakes up to kWakeFanOut more sleepers while other bits remain. On the wake word's line, not the
  // sleepers line the writer loads every tick. Any value is valid (it costs wake-ups at most). Atomic.
  std::uint64_t waking;
  std::uint8_t pad2[kPageSize - 2 * kFalseSharingRange - 16];
};

struct ReaderSlot {
  // Line 0-1: identity, written by the owner while claiming.
  std::uint64_t owner;           // slot_owner(pid, state); atomic, claimed by CAS
  std::uint64_t start_time;      // /proc start time of pid
  char name[kReaderNameLength];  // NUL-padded
  char role[kReaderRoleLength];  // "algo", "dash", "bench", ...
  std::uint32_t wait_strategy;   // WaitStrategy
  std::uint32_t reserved0;
  std::uint64_t attached_ns;   // CLOCK_MONOTONIC when claimed
  std::uint64_t heartbeat_ns;  // CLOCK_MONOTONIC, refreshed by the reader at least every second
  std::uint8_t pad0[kFalseSharingRange - 88];
  // Line 2-3: counters, written by the owner only (relaxed stores), read by anyone.
  std::uint64_t cursor;  // next sequence the reader will read
  std::uint64_t received;
  std::uint64_t lost;
  std::uint64_t joined_at;  // sequence at which the reader joined this epoch
  std::uint64_t p50_ns;     // publish -> read latency summary, about once a second
  std::uint64_t p99_ns;
  std::uint64_t p999_ns;
  std::uint64_t max_ns;
  std::uint64_t verify_errors;  // checksum mismatches (feed --verify)
  std::uint8_t pad1[kFalseSharingRange - 72];
};

TICKSHM_ASSERT_SHM_TYPE(ControlHeader);
static_assert(sizeof(ControlHeader) == kPageSize);
static_assert(offsetof(ControlHeader, magic) == 0);
static_assert(offsetof(ControlHeader, layout_version) == 8);
static_assert(offsetof(ControlHeader, header_size) == 12);
static_assert(offsetof(ControlHeader, total_size) == 16);
static_assert(offsetof(ControlHeader, slot_count) == 24);
static_assert(offsetof(ControlHeader, slot_size) == 28);
static_assert(offsetof(ControlHeader, epoch) == 32);
static_assert(offsetof(ControlHeader, writer_pid) == 40);
static_assert(offsetof(ControlHeader, sleepers) == 128);
static_assert(offsetof(ControlHeader, wake) == 256);
static_assert(offsetof(ControlHeader, waking) == 264);
static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic_ref<std::uint32_t>::is_always_lock_free);

TICKSHM_ASSERT_SHM_TYPE(ReaderSlot);
static_assert(sizeof(ReaderSlot) == 256);
static_assert(alignof(ReaderSlot) == 8);
static_assert(offsetof(ReaderSlot, owner) == 0);
static_assert(offsetof(ReaderSlot, start_time) == 8);
static_assert(offsetof(ReaderSlot, name) == 16);
static_assert(offsetof(ReaderSlot, role) == 48);
static_assert(offsetof(ReaderSlot, wait_strategy) == 64);
static_assert(offsetof(ReaderSlot, attached_ns) == 72);
static_assert(offsetof(ReaderSlot, heartbeat_ns) == 80);
static_assert(offsetof(ReaderSlot, cursor) == 128);
static_assert(offsetof(ReaderSlot, received) == 136);
static_assert(offsetof(ReaderSlot, lost) == 144);
static_assert(offsetof(ReaderSlot, joined_at) == 152);
static_assert(offsetof(ReaderSlot, p50_ns) == 160);
static_assert(offsetof(ReaderSlot, p99_ns) == 168);
static_assert(offsetof(ReaderSlot, p999_ns) == 176);
static_assert(offsetof(ReaderSlot, max_ns) == 184);
static_assert(offsetof(ReaderSlot, verify_errors) == 192);

inline constexpr std::uint64_t kControlSize =
    sizeof(ControlHeader) + std::uint64_t{kReaderSlots} * sizeof(ReaderSlot);

}  // namespace tickshm
