// tickshm-bridge in: each batch checked, put in stream order (JetStream: held while a gap may still
// fill) and written into the local segment; what never comes is counted lost by the sequencer.
#include "in_bridge.hpp"

namespace tickshm::bridge {

void InBridge::on_batch(NatsMsg& m) {
  const DecodeResult d = decode_batch(m.data(), remote_);
  if (!d.ok) return reject(d.error, m.subject());
  const WireBatchHeader& h = d.batch.header;
  const bool sym_stream = (h.flags & kBatchFlagSymbolStream) != 0;
  if (sym_stream == wanted_.empty()) return reject(WireError::kRecord, m.subject());
  if (h.epoch != epoch_) {
    if (retired(h.epoch)) return;  // the previous epoch's last messages: that epoch is over here
    if (!request_snapshot(h.epoch)) return reject(WireError::kEpoch, m.subject());
  }
  if (!pub_) return;
  std::uint32_t stream = 0;
  if (sym_stream) {
    if (h.symbol >= local_index_.size() || local_index_[h.symbol] == kNoSymbol)
      return reject(WireError::kRecord, m.subject());
    stream = h.symbol;
  }
  if ((h.flags & kBatchFlagHeartbeat) == 0 &&
      !check_batch_records(d.batch, static_cast<std::uint32_t>(local_index_.size())))
    return reject(WireError::kRecord, m.subject());
  const StreamSequencer& seq = streams_[stream];
  if (held_ && (h.flags & kBatchFlagAfterLap) != 0) {
    held_->give_up();  // out was lapped: the gap before this batch is final, nothing to wait for
    drain_held();
  } else if (held_ && seq.joined() && h.first_seq > seq.expected()) {
    // JetStream: the missing batches may still come (out sends again what the server did not
    // acknowledge, and it lands in the stream after this one). Written in order once they do.
    const std::uint64_t bytes = m.data().size();
    if (!held_->hold(h.first_seq, bytes, now_ns(), std::move(m))) held_->give_up();
    drain_held();
    return;
  }
  write(d.batch, stream);
  drain_held();
}

void InBridge::write(const BatchView& b, std::uint32_t stream) {
  const WireBatchHeader& h = b.header;
  StreamSequencer& seq = streams_[stream];
  if ((h.flags & kBatchFlagHeartbeat) != 0) {
    seq.heartbeat(h.first_seq);
    if (seed_pending_[stream] && seq.expected() >= seed_at_[stream]) seed(stream);
    return;
  }
  const std::uint64_t skip = seq.accept(h.first_seq, h.count);
  const std::uint64_t now = now_ns();
  for (std::uint64_t i = skip; i < h.count; ++i) {
    // The snapshot's board holds every tick before its point: it replaces the local board there.
    if (seed_pending_[stream] && h.first_seq + i >= seed_at_[stream]) seed(stream);
    TickRecord t = b.record(static_cast<std::uint32_t>(i));
    const std::uint32_t local = local_index_[t.symbol];
    if (local == kNoSymbol) continue;  // a full stream only ever maps every symbol
    t.symbol = local;
    t.publish_ns = now;  // the upstream stamp is another host's monotonic clock
    pub_->publish(t);
  }
  if (seed_pending_[stream] && seq.expected() >= seed_at_[stream]) seed(stream);
  pub_->wake_sleepers();
  ++batches_;
  const std::uint64_t wall = unix_now_ns();
  lag_ns_ = wall > h.send_unix_ns ? wall - h.send_unix_ns : 0;
  upstream_cursor_ = h.upstream_cursor;
}

void InBridge::drain_held() {
  if (!held_ || streams_.empty()) return;
  const std::uint64_t now = now_ns();
  while (auto m = held_->next(streams_[0].expected(), now)) {
    const DecodeResult d = decode_batch(m->data(), remote_);
    if (d.ok && d.batch.header.epoch == epoch_ && pub_) write(d.batch, 0);
  }
}

void InBridge::give_up_held() {
  if (!held_) return;
  held_->give_up();
  drain_held();
}

}  // namespace tickshm::bridge
