// tickshm-bridge out: the status segment (what was sent, lapped, published in error), and a warning when
// the feed laps this reader.
#include <spdlog/spdlog.h>

#include "out_bridge.hpp"

namespace tickshm::bridge {

void OutBridge::update_status(std::uint64_t now) {
  last_status_ns_ = now;
  BridgeStatusLayout& s = status_.raw();
  const NatsEvents& ev = link_.events();
  BridgeStatusWriter::set(s.heartbeat_ns, now);
  BridgeStatusWriter::set(s.batches, batches_);
  BridgeStatusWriter::set(s.ticks, ticks_);
  BridgeStatusWriter::set(s.gaps, lapped_events_);
  BridgeStatusWriter::set(s.lost_ticks, sub_.total_lost());
  BridgeStatusWriter::set(s.reconnects, ev.reconnects.load(std::memory_order_relaxed));
  BridgeStatusWriter::set(s.connected, ev.connected.load(std::memory_order_relaxed) ? 1 : 0);
  BridgeStatusWriter::set(s.upstream_epoch, epoch_);
  BridgeStatusWriter::set(s.epochs, epochs_);
  BridgeStatusWriter::set(s.next_seq, next_seq_);
  BridgeStatusWriter::set(s.upstream_cursor, upstream_cursor_);
  BridgeStatusWriter::set(s.snapshots, snapshots_);
  BridgeStatusWriter::set(s.publish_errors, publish_errors_);
  const std::uint64_t lost = sub_.total_lost();
  if (lost > reported_lost_) {
    spdlog::warn(
        "lapped by the feed: {} ticks lost so far (NATS or this bridge is slower than the feed; "
        "the feed is never slowed, downstream counts the gap)",
        lost);
    reported_lost_ = lost;
  }
}

}  // namespace tickshm::bridge
