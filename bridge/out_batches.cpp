// tickshm-bridge out: ticks into wire batches (a lap starts a new batch, flagged), sent on the ticks
// subject and, with --per-symbol, split per symbol; heartbeats mark where the stream is when idle.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "out_bridge.hpp"
#include "tickshm/clock.hpp"
#include "wire.hpp"

namespace tickshm::bridge {

void OutBridge::new_epoch(std::uint64_t first) {
  if (count_ != 0) flush();
  epoch_ = sub_.epoch();
  ++epochs_;
  const DataView* d = sub_.data();
  symbol_subjects_.clear();
  sym_bufs_.assign(d->symbol_count(), {});
  sym_next_.assign(d->symbol_count(), 0);
  if (o_.per_symbol) {
    for (std::uint32_t i = 0; i < d->symbol_count(); ++i)
      symbol_subjects_.push_back(symbol_subject(feed_, d->symbol_name(i)));
  }
  // The stream starts where this reader joined the epoch, not at the first tick it could read: if the
  // feed lapped it before that, the receivers count the difference as lost.
  next_seq_ = std::min(first, sub_.joined_at());
  spdlog::info("carrying epoch {:016x} of '{}' ({} symbols) from tick {} on {}", epoch_, feed_,
               d->symbol_count(), next_seq_, ticks_subject_);
  send_snapshot(nullptr);
  idle_heartbeat();  // marks where the stream begins for receivers already listening
}

void OutBridge::flush() {
  const std::uint64_t cursor = sub_.data() != nullptr ? sub_.data()->write_cursor() : 0;
  finish_batch(buf_, unix_now_ns(), cursor);
  if (first_seq_ != next_seq_) {
    ++lapped_events_;
    const std::uint16_t flags = kBatchFlagAfterLap;  // begin_batch wrote 0
    std::memcpy(buf_.data() + offsetof(WireBatchHeader, flags), &flags, sizeof flags);
  }
  if (js_) {
    // The batch's identity for the server's de-duplication: a resend of it is dropped there.
    std::snprintf(msg_id_, sizeof msg_id_, "%016llx-%llu", static_cast<unsigned long long>(epoch_),
                  static_cast<unsigned long long>(first_seq_));
    if (!js_->publish(ticks_subject_, buf_, msg_id_)) ++publish_errors_;
  } else if (!link_.publish(ticks_subject_, buf_)) {
    ++publish_errors_;
  }
  if (o_.per_symbol) publish_per_symbol(cursor);
  ++batches_;
  ticks_ += count_;
  next_seq_ = first_seq_ + count_;
  upstream_cursor_ = cursor;
  count_ = 0;
  sent_since_idle_ = true;
}

void OutBridge::publish_per_symbol(std::uint64_t cursor) {
  touched_.clear();
  const std::byte* rec = buf_.data() + sizeof(WireBatchHeader);
  for (std::uint32_t i = 0; i < count_; ++i) {
    TickRecord t;
    std::memcpy(&t, rec + std::size_t{i} * sizeof t, sizeof t);
    if (t.symbol >= sym_bufs_.size()) continue;
    auto& b = sym_bufs_[t.symbol];
    if (b.empty()) {
      begin_batch(b, feed_, epoch_, sym_next_[t.symbol], kBatchFlagSymbolStream, t.symbol);
      touched_.push_back(t.symbol);
    }
    append_record(b, t);
  }
  const std::uint64_t now = unix_now_ns();
  for (const std::uint32_t s : touched_) {
    auto& b = sym_bufs_[s];
    finish_batch(b, now, cursor);
    if (!link_.publish(symbol_subjects_[s], b)) ++publish_errors_;
    sym_next_[s] += (b.size() - sizeof(WireBatchHeader)) / sizeof(TickRecord);
    b.clear();
  }
}

void OutBridge::idle_heartbeat() {
  if (epoch_ == 0) return;
  std::vector<std::byte>& hb = hb_buf_;
  begin_batch(hb, feed_, epoch_, next_seq_, kBatchFlagHeartbeat, 0);
  finish_batch(hb, unix_now_ns(), sub_.data() != nullptr ? sub_.data()->write_cursor() : 0);
  if (!link_.publish(ticks_subject_, hb)) ++publish_errors_;
  if (o_.per_symbol) {
    for (std::uint32_t s = 0; s < symbol_subjects_.size(); ++s) {
      begin_batch(hb, feed_, epoch_, sym_next_[s], kBatchFlagHeartbeat | kBatchFlagSymbolStream, s);
      finish_batch(hb, unix_now_ns(), 0);
      if (!link_.publish(symbol_subjects_[s], hb)) ++publish_errors_;
    }
  }
}

}  // namespace tickshm::bridge
