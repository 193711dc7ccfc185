// tickshm-bridge in: what it counts (written, gaps, lost, duplicates, rejected messages) and the status
// segment that shows it to tickshm-stat and the tests.
#include <spdlog/spdlog.h>

#include "in_bridge.hpp"

namespace tickshm::bridge {

InBridge::Totals InBridge::totals() const {
  Totals t = closed_;
  for (const auto& s : streams_) {
    t.written += s.written();
    t.gaps += s.gaps();
    t.lost += s.lost();
    t.duplicates += s.duplicates();
  }
  return t;
}

std::uint64_t InBridge::rejected_total() const {
  std::uint64_t n = 0;
  for (auto c : rejected_) n += c;
  return n;
}

void InBridge::reject(WireError e, const char* subject) {
  const auto k = static_cast<std::size_t>(e);
  ++rejected_[k];
  const std::uint64_t now = now_ns();
  if (now - last_warn_ns_[k] >= kNsPerSec) {
    last_warn_ns_[k] = now;
    spdlog::warn("dropped a message on {}: {} ({} such so far)", subject, wire_error_name(e), rejected_[k]);
  }
}

void InBridge::update_status(std::uint64_t now) {
  BridgeStatusLayout& s = status_.raw();
  const Totals t = totals();
  const NatsEvents& ev = link_.events();
  std::uint64_t joined = 0;
  if (!streams_.empty()) joined = streams_[0].joined_at();
  BridgeStatusWriter::set(s.heartbeat_ns, now);
  BridgeStatusWriter::set(s.batches, batches_);
  BridgeStatusWriter::set(s.ticks, t.written);
  BridgeStatusWriter::set(s.gaps, t.gaps);
  BridgeStatusWriter::set(s.lost_ticks, t.lost);
  BridgeStatusWriter::set(s.duplicates, t.duplicates);
  BridgeStatusWriter::set(s.rejected, rejected_total());
  BridgeStatusWriter::set(s.reconnects, ev.reconnects.load(std::memory_order_relaxed));
  BridgeStatusWriter::set(s.connected, ev.connected.load(std::memory_order_relaxed) ? 1 : 0);
  BridgeStatusWriter::set(s.lag_ns, lag_ns_);
  BridgeStatusWriter::set(s.upstream_epoch, epoch_);
  BridgeStatusWriter::set(s.epochs, epochs_);
  BridgeStatusWriter::set(s.next_seq, streams_.empty() ? 0 : streams_[0].expected());
  BridgeStatusWriter::set(s.upstream_cursor, upstream_cursor_);
  BridgeStatusWriter::set(s.snapshots, snapshots_);
  BridgeStatusWriter::set(s.publish_errors, inbox_.dropped());
  BridgeStatusWriter::set(s.joined_at, joined);
}

}  // namespace tickshm::bridge
