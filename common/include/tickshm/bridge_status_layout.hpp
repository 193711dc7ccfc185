// A bridge's status segment /tickshm.NAME.bridge.{in,out}: its counters, for tickshm-stat and the dashboard.
//
//   offset 0                 160                                 512
//   +------------------------+-----------------------------------+
//   | identity (written once | counters: one writer (the bridge) |
//   | before magic is set)   | stores each as a relaxed atomic   |
//   +------------------------+-----------------------------------+
//
// Each counter is a separate 8-byte atomic word: a reader may see one counter a batch ahead of another,
// never a torn value. Storing the magic last (release) publishes the identity.
// docs/LAYOUT.md ("Bridge status segment") is the prose version; change both and bump the version.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tickshm/layout.hpp"

namespace tickshm {

inline constexpr char kBridgeMagic[8] = {'T', 'S', 'H', 'M', 'B', 'R', 'G', '\0'};
inline constexpr std::uint32_t kBridgeLayoutVersion = 1;
inline constexpr std::size_t kBridgeNameLength = 64;

enum class BridgeDirection : std::uint32_t { kOut = 1, kIn = 2 };

struct BridgeStatusLayout {
  char magic[8];                        // "TSHMBRG\0", stored last at creation
  std::uint32_t layout_version;         // kBridgeLayoutVersion
  std::uint32_t size;                   // sizeof(BridgeStatusLayout)
  std::uint32_t direction;              // BridgeDirection
  std::int32_t pid;                     // the bridge process
  std::uint64_t start_time;             // its /proc start time (a reused pid is not it)
  char feed[kBridgeNameLength];         // local segment, NUL-padded
  char remote_feed[kBridgeNameLength];  // upstream feed (in) or the feed published (out), NUL-padded
  // Counters (atomic, relaxed: each is a statistic on its own; no reader orders one against another).
  std::uint64_t heartbeat_ns;     // CLOCK_MONOTONIC, at least every 100 ms
  std::uint64_t batches;          // batch messages sent (out) or accepted (in)
  std::uint64_t ticks;            // ticks sent (out) or written to the local segment (in)
  std::uint64_t gaps;             // in: sequence gaps detected; out: times it was lapped by the feed
  std::uint64_t lost_ticks;       // in: ticks missing in those gaps; out: ticks the feed lapped it by
  std::uint64_t duplicates;       // in: ticks dropped as already written (re-delivery)
  std::uint64_t rejected;         // in: hostile or malformed messages dropped
  std::uint64_t reconnects;       // NATS reconnections
  std::uint64_t connected;        // 1 while connected to a NATS server, else 0
  std::uint64_t lag_ns;           // in: send-to-receive time of the last batch (clocks of two hosts)
  std::uint64_t upstream_epoch;   // the upstream feed's epoch being carried
  std::uint64_t epochs;           // upstream epochs seen
  std::uint64_t next_seq;         // the upstream sequence expected (in) or to send (out) next
  std::uint64_t upstream_cursor;  // the feed's write cursor last reported
  std::uint64_t snapshots;        // snapshots answered or pushed (out), taken (in)
  std::uint64_t publish_errors;   // out: NATS publish calls that failed (their ticks are gaps downstream)
  std::uint64_t joined_at;        // in: the upstream sequence this epoch's copy began at
  std::uint8_t reserved[512 - 160 - 17 * 8];
};

TICKSHM_ASSERT_SHM_TYPE(BridgeStatusLayout);
static_assert(sizeof(BridgeStatusLayout) == 512);
static_assert(alignof(BridgeStatusLayout) == 8);
static_assert(offsetof(BridgeStatusLayout, magic) == 0);
static_assert(offsetof(BridgeStatusLayout, layout_version) == 8);
static_assert(offsetof(BridgeStatusLayout, size) == 12);
static_assert(offsetof(BridgeStatusLayout, direction) == 16);
static_assert(offsetof(BridgeStatusLayout, pid) == 20);
static_assert(offsetof(BridgeStatusLayout, start_time) == 24);
static_assert(offsetof(BridgeStatusLayout, feed) == 32);
static_assert(offsetof(BridgeStatusLayout, remote_feed) == 96);
static_assert(offsetof(BridgeStatusLayout, heartbeat_ns) == 160);
static_assert(offsetof(BridgeStatusLayout, batches) == 168);
static_assert(offsetof(BridgeStatusLayout, ticks) == 176);
static_assert(offsetof(BridgeStatusLayout, gaps) == 184);
static_assert(offsetof(BridgeStatusLayout, lost_ticks) == 192);
static_assert(offsetof(BridgeStatusLayout, duplicates) == 200);
static_assert(offsetof(BridgeStatusLayout, rejected) == 208);
static_assert(offsetof(BridgeStatusLayout, reconnects) == 216);
static_assert(offsetof(BridgeStatusLayout, connected) == 224);
static_assert(offsetof(BridgeStatusLayout, lag_ns) == 232);
static_assert(offsetof(BridgeStatusLayout, upstream_epoch) == 240);
static_assert(offsetof(BridgeStatusLayout, epochs) == 248);
static_assert(offsetof(BridgeStatusLayout, next_seq) == 256);
static_assert(offsetof(BridgeStatusLayout, upstream_cursor) == 264);
static_assert(offsetof(BridgeStatusLayout, snapshots) == 272);
static_assert(offsetof(BridgeStatusLayout, publish_errors) == 280);
static_assert(offsetof(BridgeStatusLayout, joined_at) == 288);

}  // namespace tickshm
