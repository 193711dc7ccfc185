// tickshm-bridge out's state: a reader of the local feed that publishes it to NATS. One class, its parts
// in files by concept: bridge_out.cpp (connecting and the loop), out_batches.cpp (batching and sending),
// out_snapshot.cpp (the snapshot responder), out_status.cpp (the status segment).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "js_publisher.hpp"
#include "nats_link.hpp"
#include "options.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::bridge {

class OutBridge {
 public:
  OutBridge(const Options& o, NatsLink link, Subscriber sub, BridgeStatusWriter status);

  // With --jetstream: batches go through JetStream with acks; as many are kept unacknowledged as the
  // reconnect buffer would hold, beyond which the bridge stops reading the feed and is lapped.
  Status use_jetstream();

  std::string closed_reason() const { return link_.closed_reason(); }

  Status subscribe_requests();

  int run(const std::atomic<bool>& stop);

 private:
  // out_batches.cpp. A new epoch of the feed: per-symbol state reset, its snapshot pushed.
  void new_epoch(std::uint64_t first);

  // The batch being built, sent (flagged when a lap comes before it).
  void flush();

  // The batch just sent, split by symbol: one message per symbol present, in tick order.
  void publish_per_symbol(std::uint64_t cursor);

  // Nothing sent for a while: tell the receivers where the stream is, so a lost tail is a counted gap.
  void idle_heartbeat();

  // out_snapshot.cpp. Up to 16 pending snapshot requests answered per call.
  void answer_requests();

  // The directory and quote board of the epoch being carried, to `reply` or pushed to all.
  void send_snapshot(const char* reply);

  // out_status.cpp.
  void update_status(std::uint64_t now);

  const Options& o_;
  NatsLink link_;
  Subscriber sub_;
  BridgeStatusWriter status_;
  std::optional<JsPublisher> js_;  // after link_: destroyed before it
  std::optional<NatsSubscription> requests_;
  std::string feed_, ticks_subject_;
  std::vector<std::string> symbol_subjects_;
  std::vector<std::byte> buf_, hb_buf_;
  std::vector<std::vector<std::byte>> sym_bufs_;
  std::vector<std::uint64_t> sym_next_;
  std::vector<std::uint32_t> touched_;
  std::uint64_t linger_ns_ = 0;
  std::uint64_t epoch_ = 0, epochs_ = 0;
  std::uint64_t first_seq_ = 0, first_publish_ns_ = 0, next_seq_ = 0;
  std::uint32_t count_ = 0;
  std::uint64_t batches_ = 0, ticks_ = 0, lapped_events_ = 0, publish_errors_ = 0, snapshots_ = 0;
  std::uint64_t upstream_cursor_ = 0, last_status_ns_ = 0, reported_lost_ = 0;
  std::uint64_t stalls_ = 0, last_stall_warn_ns_ = 0;
  bool sent_since_idle_ = false, stalled_ = false;
  char msg_id_[48] = {};
};

}  // namespace tickshm::bridge
