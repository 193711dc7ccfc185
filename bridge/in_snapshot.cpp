// tickshm-bridge in: the remote feed's snapshots. A new upstream epoch opens a new local segment from
// the snapshot's directory, and the snapshot's board seeds the local quotes once the stream reaches it.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "in_bridge.hpp"

namespace tickshm::bridge {

bool InBridge::retired(std::uint64_t epoch) const {
  return std::find(retired_.begin(), retired_.end(), epoch) != retired_.end();
}

void InBridge::on_snapshot_message(const NatsMsg& m) {
  SnapshotResult r = decode_snapshot(m.data(), remote_);
  if (!r.ok) return reject(r.error, m.subject());
  if (r.snapshot.header.epoch != epoch_ && !retired(r.snapshot.header.epoch)) apply(r.snapshot);
}

bool InBridge::request_snapshot(std::uint64_t epoch) {
  const std::uint64_t now = now_ns();
  if (now - last_request_ns_ < kSnapshotRetryNs) return false;
  last_request_ns_ = now;
  NatsMsg reply = link_.request(snapshot_subject(remote_), kSnapshotTimeoutMs);
  if (!reply.valid()) return false;
  SnapshotResult r = decode_snapshot(reply.data(), remote_);
  if (!r.ok) {
    reject(r.error, "snapshot reply");
    return false;
  }
  if (epoch != 0 && r.snapshot.header.epoch != epoch) {
    if (r.snapshot.header.epoch != epoch_ && !retired(r.snapshot.header.epoch)) apply(r.snapshot);
    return false;
  }
  if (r.snapshot.header.epoch != epoch_) apply(r.snapshot);
  return true;
}

void InBridge::apply(const Snapshot& s) {
  give_up_held();  // the old epoch's held batches are written (or counted) before it closes
  const Totals t = totals();
  closed_ = t;
  if (epoch_ != 0) {
    retired_.push_back(epoch_);
    if (retired_.size() > kRetiredEpochs) retired_.erase(retired_.begin());
  }
  pub_.reset();
  PublisherOptions po;
  po.segment = o_.common.segment;
  po.mode = o_.segment_mode;
  po.ring_capacity = o_.ring_capacity != 0 ? o_.ring_capacity : s.header.ring_capacity;
  if (!is_power_of_two(po.ring_capacity) || po.ring_capacity < kMinRingCapacity ||
      po.ring_capacity > kMaxRingCapacity)
    po.ring_capacity = 1ULL << 16;
  local_index_.assign(s.symbols.size(), kNoSymbol);
  for (std::uint32_t i = 0; i < s.symbols.size(); ++i) {
    const std::string name(s.symbols[i].name, strnlen(s.symbols[i].name, sizeof s.symbols[i].name));
    const bool take = wanted_.empty() || std::find(wanted_.begin(), wanted_.end(), name) != wanted_.end();
    if (!take) continue;
    local_index_[i] = static_cast<std::uint32_t>(po.symbols.size());
    po.symbols.push_back(SymbolSpec{name, s.symbols[i].reference_price, s.symbols[i].tick_size});
  }
  if (po.symbols.empty()) {
    spdlog::error("remote feed '{}' has none of the symbols asked for ({})", remote_, o_.symbols);
    exit_code_ = kExitUsage;
    return;
  }
  auto p = Publisher::create(po);
  if (!p) {
    spdlog::error("{}", p.error().message);
    exit_code_ = kExitFailure;
    return;
  }
  pub_.emplace(std::move(p.value()));
  epoch_ = s.header.epoch;
  ++epochs_;
  ++snapshots_;
  streams_.assign(wanted_.empty() ? 1 : s.symbols.size(), StreamSequencer{});
  seed_board_ = s.symbols;
  seed_at_.assign(streams_.size(), 0);
  seed_pending_.assign(streams_.size(), true);
  for (std::uint32_t i = 0; i < streams_.size(); ++i) {
    seed_at_[i] = wanted_.empty() ? s.header.next_seq : s.symbols[i].next_symbol_seq;
    streams_[i].reset(seed_at_[i]);
  }
  spdlog::info("remote epoch {:016x} of '{}' ({} symbols, {} taken) -> local segment '{}' epoch {:016x}",
               epoch_, remote_, s.symbols.size(), po.symbols.size(), po.segment, pub_->epoch());
}

void InBridge::seed(std::uint32_t stream) {
  seed_pending_[stream] = false;
  if (streams_[stream].joined_at() == 0) return;
  const std::uint64_t now = now_ns();
  auto put = [&](std::uint32_t i) {
    if (i >= seed_board_.size() || local_index_[i] == kNoSymbol) return;
    const WireSymbol& w = seed_board_[i];
    Quote q;
    q.last = w.last;
    q.bid = w.bid;
    q.ask = w.ask;
    q.bid_size = w.bid_size;
    q.ask_size = w.ask_size;
    q.last_size = w.last_size;
    q.volume = w.volume;
    q.open = w.open;
    q.high = w.high;
    q.low = w.low;
    q.tick_count = w.tick_count;
    q.trade_count = w.trade_count;
    q.update_ns = now;  // the upstream stamps are another host's clock
    pub_->set_quote(local_index_[i], q);
  };
  if (wanted_.empty()) {
    for (std::uint32_t i = 0; i < seed_board_.size(); ++i) put(i);
  } else {
    put(stream);
  }
}

}  // namespace tickshm::bridge
