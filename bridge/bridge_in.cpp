// `tickshm-bridge in`: takes the remote feed's snapshot, then writes every batch that passes the
// checks into a local data segment through Publisher (flock, epoch, heartbeat: a feed in all but name).
#include "bridge_in.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "inbox.hpp"
#include "reorder.hpp"
#include "sequencer.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/publisher.hpp"
#include "wire.hpp"

namespace tickshm::bridge {
namespace {

constexpr std::uint64_t kTickNs = 50 * kNsPerMs;            // heartbeat and status period
constexpr std::uint64_t kSnapshotRetryNs = 200 * kNsPerMs;  // at most this often per unknown epoch
constexpr std::int64_t kSnapshotTimeoutMs = 500;
constexpr std::uint32_t kNoSymbol = 0xFFFF'FFFFu;
constexpr std::size_t kRetiredEpochs = 8;
// JetStream: how long batches after a gap wait for it. Well above out's ack wait (after which it sends
// an unacknowledged batch again) plus a reconnect; a gap still open then is counted lost.
constexpr std::uint64_t kHoldNs = 5 * kNsPerSec;

std::vector<std::string> split_symbols(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  std::string s;
  while (std::getline(ss, s, ',')) out.push_back(s);
  return out;
}

class InBridge {
 public:
  InBridge(const Options& o, NatsLink link, BridgeStatusWriter status)
      : o_(o), link_(std::move(link)), status_(std::move(status)), inbox_(std::uint64_t(o.pending_mb) << 20) {
    remote_ = o.remote_feed;
    wanted_ = split_symbols(o.symbols);
    if (!o.jetstream.empty()) held_.emplace(std::uint64_t(o.pending_mb) << 20, kHoldNs);
  }

  std::string closed_reason() const { return link_.closed_reason(); }

  Status subscribe() {
    if (!o_.jetstream.empty()) {
      // One ordered consumer over tickshm.<feed>.* : the ticks and the pushed snapshots in stream order,
      // so a replay meets each epoch's snapshot before its batches.
      const auto start_ns = static_cast<std::int64_t>(o_.start_time_s * 1e9);
      auto sub =
          link_.subscribe_stream("tickshm." + remote_ + ".*", o_.jetstream, inbox_, o_.start_seq, start_ns);
      if (!sub) return std::move(sub).error();
      subs_.push_back(std::move(sub.value()));
      return ok_status();
    }
    std::vector<std::string> subjects;
    if (wanted_.empty()) {
      subjects.push_back(ticks_subject(remote_));
    } else {
      for (const auto& s : wanted_) subjects.push_back(symbol_subject(remote_, s));
    }
    subjects.push_back(epoch_subject(remote_));  // the snapshot pushed on each new epoch
    for (const auto& s : subjects) {
      auto sub = link_.subscribe_to(s, inbox_);
      if (!sub) return std::move(sub).error();
      subs_.push_back(std::move(sub.value()));
    }
    return ok_status();
  }

  int run(const std::atomic<bool>& stop) {
    const std::string snap_subject = epoch_subject(remote_);
    std::uint64_t last_tick = 0;
    while (!stop.load(std::memory_order_relaxed) && exit_code_ < 0) {
      NatsMsg m = inbox_.pop(20);
      if (m.valid()) {
        if (snap_subject == m.subject()) {
          on_snapshot_message(m);
        } else {
          on_batch(m);
        }
      }
      const std::uint64_t now = now_ns();
      if (now - last_tick >= kTickNs) {
        last_tick = now;
        if (pub_) pub_->heartbeat(now);
        drain_held();  // a gap waited for long enough is given up
        if (!pub_ && now - last_request_ns_ >= kSnapshotRetryNs * 5)
          request_snapshot(0);  // nothing heard yet
        update_status(now);
        if (const std::string why = link_.closed_reason(); !why.empty()) {
          spdlog::error("{}", why);
          exit_code_ = kExitFailure;
        }
      }
    }
    subs_.clear();  // no more deliveries into the inbox
    give_up_held();
    update_status(now_ns());
    spdlog::info(
        "stopped: wrote {} ticks in {} batches; {} gaps ({} ticks lost), {} duplicates, {} rejected, "
        "{} reconnects",
        totals().written, batches_, totals().gaps, totals().lost, totals().duplicates, rejected_total(),
        link_.events().reconnects.load());
    return exit_code_ < 0 ? kExitOk : exit_code_;
  }

 private:
  struct Totals {
    std::uint64_t written = 0, gaps = 0, lost = 0, duplicates = 0;
  };

  Totals totals() const {
    Totals t = closed_;
    for (const auto& s : streams_) {
      t.written += s.written();
      t.gaps += s.gaps();
      t.lost += s.lost();
      t.duplicates += s.duplicates();
    }
    return t;
  }
  std::uint64_t rejected_total() const {
    std::uint64_t n = 0;
    for (auto c : rejected_) n += c;
    return n;
  }

  // Counted and dropped, with one warning per kind per second at most.
  void reject(WireError e, const char* subject) {
    const auto k = static_cast<std::size_t>(e);
    ++rejected_[k];
    const std::uint64_t now = now_ns();
    if (now - last_warn_ns_[k] >= kNsPerSec) {
      last_warn_ns_[k] = now;
      spdlog::warn("dropped a message on {}: {} ({} such so far)", subject, wire_error_name(e), rejected_[k]);
    }
  }

  bool retired(std::uint64_t epoch) const {
    return std::find(retired_.begin(), retired_.end(), epoch) != retired_.end();
  }

  void on_snapshot_message(const NatsMsg& m) {
    SnapshotResult r = decode_snapshot(m.data(), remote_);
    if (!r.ok) return reject(r.error, m.subject());
    if (r.snapshot.header.epoch != epoch_ && !retired(r.snapshot.header.epoch)) apply(r.snapshot);
  }

  void on_batch(NatsMsg& m) {
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

  // A checked batch (or heartbeat) of the current epoch into the local segment, in stream order.
  void write(const BatchView& b, std::uint32_t stream) {
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

  // Held batches whose gap filled (or was waited for long enough), in order.
  void drain_held() {
    if (!held_ || streams_.empty()) return;
    const std::uint64_t now = now_ns();
    while (auto m = held_->next(streams_[0].expected(), now)) {
      const DecodeResult d = decode_batch(m->data(), remote_);
      if (d.ok && d.batch.header.epoch == epoch_ && pub_) write(d.batch, 0);
    }
  }
  void give_up_held() {
    if (!held_) return;
    held_->give_up();
    drain_held();
  }

  // The local board from the snapshot, once the stream reaches the snapshot's point: a symbol that
  // ticked only before this bridge joined shows its last quote at once. Not when the bridge wrote the
  // epoch from its first tick: its board is then whole already.
  void seed(std::uint32_t stream) {
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

  // Asks the out side for its snapshot; true when it is of `epoch` (0: any) and now applied.
  bool request_snapshot(std::uint64_t epoch) {
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

  // A new upstream epoch becomes a new local epoch: the local segment is closed and created again.
  void apply(const Snapshot& s) {
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

  void update_status(std::uint64_t now) {
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

  const Options& o_;
  NatsLink link_;
  BridgeStatusWriter status_;
  Inbox inbox_;
  std::vector<NatsSubscription> subs_;  // after inbox_: destroyed first
  std::string remote_;
  std::vector<std::string> wanted_;
  std::optional<Publisher> pub_;
  std::vector<std::uint32_t> local_index_;      // upstream symbol index -> local index
  std::vector<StreamSequencer> streams_;        // one (ticks) or one per upstream symbol
  std::optional<ReorderBuffer<NatsMsg>> held_;  // JetStream only: batches waiting for a gap to fill
  std::vector<WireSymbol> seed_board_;          // the epoch's snapshot board, applied at its point
  std::vector<std::uint64_t> seed_at_;          // per stream: the snapshot's point
  std::vector<bool> seed_pending_;
  std::vector<std::uint64_t> retired_;
  Totals closed_;
  std::array<std::uint64_t, kWireErrorKinds> rejected_{};
  std::array<std::uint64_t, kWireErrorKinds> last_warn_ns_{};
  std::uint64_t epoch_ = 0, epochs_ = 0, snapshots_ = 0, batches_ = 0, lag_ns_ = 0, upstream_cursor_ = 0;
  std::uint64_t last_request_ns_ = 0;
  int exit_code_ = -1;
};

}  // namespace

int run_in(const Options& o, const std::atomic<bool>& stop) {
  auto settings = nats_settings(o, "tickshm-bridge in " + o.common.segment);
  if (!settings) {
    spdlog::error("{}", settings.error().message);
    return kExitUsage;
  }
  auto status =
      BridgeStatusWriter::create(o.common.segment, BridgeDirection::kIn, o.remote_feed, o.segment_mode);
  if (!status) {
    spdlog::error("{}", status.error().message);
    return status.error().code == Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto link = NatsLink::connect(settings.value());
  if (!link) {
    spdlog::error("{}", link.error().message);
    return kExitFailure;
  }
  spdlog::info("bridge in: remote feed '{}' from {} -> local segment '{}'{}", o.remote_feed, o.nats,
               o.common.segment, o.symbols.empty() ? "" : " (symbols " + o.symbols + ")");
  if (const std::string why = link->closed_reason(); !why.empty()) {
    spdlog::error("{}", why);
    return kExitFailure;
  }
  if (!o.jetstream.empty()) {
    // Either side may come first: the stream is created by whichever does (the same definition).
    if (auto st = link->ensure_stream(o.jetstream, stream_subjects(o.remote_feed), o.jetstream_max_age_s);
        !st) {
      spdlog::error("{}", st.error().message);
      return kExitFailure;
    }
  }
  InBridge bridge(o, std::move(link.value()), std::move(status.value()));
  if (auto st = bridge.subscribe(); !st) {
    // The client may have closed the connection (authorization refused) since it was checked: say why.
    const std::string why = bridge.closed_reason();
    spdlog::error("{}", why.empty() ? st.error().message : why);
    return kExitFailure;
  }
  return bridge.run(stop);
}

}  // namespace tickshm::bridge
