// tickshm-bridge out: the snapshot of the epoch carried (directory and quote board), as a reply to a
// request and pushed to all on every new epoch.
#include <cstring>
#include <string>
#include <vector>

#include "out_bridge.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/segment.hpp"
#include "wire.hpp"

namespace tickshm::bridge {

void OutBridge::answer_requests() {
  if (!requests_) return;
  for (int i = 0; i < 16; ++i) {
    NatsMsg m = requests_->next(0);
    if (!m.valid()) return;
    if (m.reply() != nullptr) send_snapshot(m.reply());
  }
}

void OutBridge::send_snapshot(const char* reply) {
  const DataView* d = sub_.data();
  if (d == nullptr || epoch_ == 0) return;  // not carrying a feed yet: the requester retries
  WireSnapshotHeader h{};
  std::memcpy(h.magic, kSnapshotMagic, sizeof h.magic);
  h.version = kWireVersion;
  h.header_size = sizeof h;
  h.entry_size = sizeof(WireSymbol);
  h.symbol_count = d->symbol_count();
  h.epoch = epoch_;
  h.next_seq = count_ != 0 ? first_seq_ : next_seq_;
  h.send_unix_ns = unix_now_ns();
  h.ring_capacity = d->header().ring_capacity;
  copy_feed_name(h.feed, feed_);
  std::vector<WireSymbol> syms(h.symbol_count);
  const auto dir = d->symbols();
  for (std::uint32_t i = 0; i < h.symbol_count; ++i) {
    WireSymbol& w = syms[i];
    std::memcpy(w.name, dir[i].name, sizeof w.name);
    w.name[sizeof w.name - 1] = '\0';
    w.reference_price = dir[i].reference_price;
    w.tick_size = dir[i].tick_size;
    w.next_symbol_seq = i < sym_next_.size() ? sym_next_[i] : 0;
    Quote q;
    if (d->read_quote(i, q)) {
      w.last = q.last;
      w.bid = q.bid;
      w.ask = q.ask;
      w.bid_size = q.bid_size;
      w.ask_size = q.ask_size;
      w.last_size = q.last_size;
      w.volume = q.volume;
      w.open = q.open;
      w.high = q.high;
      w.low = q.low;
      w.tick_count = q.tick_count;
      w.trade_count = q.trade_count;
    }
  }
  const auto msg = encode_snapshot(h, syms);
  const std::string subject = reply != nullptr ? std::string(reply) : epoch_subject(feed_);
  if (!link_.publish(subject, msg)) ++publish_errors_;
  ++snapshots_;
}

}  // namespace tickshm::bridge
