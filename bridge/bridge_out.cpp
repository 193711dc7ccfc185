// `tickshm-bridge out`: reads the feed like any reader (lapped, never slowing it), batches ticks into
// wire messages, answers snapshot requests and republishes the snapshot on every new epoch.
#include "bridge_out.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "js_publisher.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/subscriber.hpp"
#include "wire.hpp"

namespace tickshm::bridge {
namespace {

constexpr std::uint64_t kIdleNs = 100 * kNsPerMs;  // heartbeat period: status, NATS heartbeat batch
// JetStream: a batch without an ack after this long is sent again. Short enough that a receiver
// holding later batches for the gap (bridge in) gets it well within its hold time.
constexpr std::int64_t kAckWaitMs = 1000;
constexpr std::int64_t kDrainMs = 2000;  // at exit, the wait for the last acks

class OutBridge {
 public:
  OutBridge(const Options& o, NatsLink link, Subscriber sub, BridgeStatusWriter status)
      : o_(o), link_(std::move(link)), sub_(std::move(sub)), status_(std::move(status)) {
    feed_ = o.common.segment;
    ticks_subject_ = ticks_subject(feed_);
    buf_.reserve(sizeof(WireBatchHeader) + std::size_t{o.batch} * sizeof(TickRecord));
    linger_ns_ = std::uint64_t{o.linger_us} * 1000;
  }

  // With --jetstream: batches go through JetStream with acks; as many are kept unacknowledged as the
  // reconnect buffer would hold, beyond which the bridge stops reading the feed and is lapped.
  Status use_jetstream() {
    const std::uint64_t batch_bytes = sizeof(WireBatchHeader) + std::uint64_t{o_.batch} * sizeof(TickRecord);
    const std::uint64_t keep =
        std::max<std::uint64_t>(64, (std::uint64_t(o_.reconnect_buffer_kb) << 10) / batch_bytes);
    auto js = JsPublisher::create(link_, keep, kAckWaitMs);
    if (!js) return std::move(js).error();
    js_.emplace(std::move(js.value()));
    spdlog::info("JetStream: batches acknowledged by the server, at most {} kept unacknowledged", keep);
    return ok_status();
  }

  std::string closed_reason() const { return link_.closed_reason(); }

  Status subscribe_requests() {
    auto s = link_.subscribe(snapshot_subject(feed_), 1024, 1 << 20);
    if (!s) return std::move(s).error();
    requests_.emplace(std::move(s.value()));
    return ok_status();
  }

  int run(const std::atomic<bool>& stop) {
    sub_.set_stop_flag(&stop);
    std::uint64_t last_send_ns = now_ns();
    std::uint64_t batch_deadline = 0;
    TickRecord t{};
    while (!stop.load(std::memory_order_relaxed)) {
      if (js_ && js_->full()) {
        // NATS has not stored what was sent: read no further (the feed is never slowed; it laps this
        // reader, and the loss is counted as for any lapped reader).
        if (!stalled_) {
          stalled_ = true;
          ++stalls_;
          if (const std::uint64_t now = now_ns(); now - last_stall_warn_ns_ >= kNsPerSec) {
            last_stall_warn_ns_ = now;
            spdlog::warn(
                "JetStream: {} batches unacknowledged, not reading the feed until the server stores them "
                "({} such pauses so far)",
                js_->unacked(), stalls_);
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      } else if (const Subscriber::Next r = sub_.next(t, count_ != 0 ? batch_deadline : now_ns() + kIdleNs);
                 r == Subscriber::Next::kStopped) {
        break;
      } else if (r == Subscriber::Next::kTick) {
        stalled_ = false;
        if (sub_.epoch() != epoch_) new_epoch(t.seq);
        bool flushed = false;
        if (count_ != 0 && (t.seq != first_seq_ + count_ || t.publish_ns - first_publish_ns_ >= linger_ns_)) {
          flush();  // lapped (the next batch starts after the gap) or lingered long enough
          flushed = true;
        }
        if (count_ == 0) {
          begin_batch(buf_, feed_, epoch_, t.seq, 0, 0);
          first_seq_ = t.seq;
          first_publish_ns_ = t.publish_ns;
          batch_deadline = now_ns() + linger_ns_;
        }
        append_record(buf_, t);
        ++count_;
        if (count_ >= o_.batch) {
          flush();
          flushed = true;
        }
        if (!flushed) continue;
      } else if (count_ != 0) {
        flush();  // the linger time is up
      }
      // Once per batch sent or per idle wake-up: resends, heartbeat, snapshot requests, status.
      const std::uint64_t now = now_ns();
      if (js_) js_->pump(now);
      if (sent_since_idle_) {
        last_send_ns = now;
        sent_since_idle_ = false;
      } else if (now - last_send_ns >= kIdleNs) {
        idle_heartbeat();
        last_send_ns = now;
      }
      answer_requests();
      if (now - last_status_ns_ >= kIdleNs) {
        update_status(now);
        if (const std::string why = link_.closed_reason(); !why.empty()) {
          spdlog::error("{}", why);
          return kExitFailure;
        }
      }
    }
    if (count_ != 0) flush();
    if (js_) {
      const std::uint64_t left = js_->drain(kDrainMs);
      spdlog::info("JetStream: {} batches acknowledged, {} sent again, {} unacknowledged at exit",
                   js_->acked(), js_->resent(), left);
    }
    link_.flush(1000);
    update_status(now_ns());
    spdlog::info("stopped: sent {} ticks in {} batches, lapped {} times ({} ticks), {} publish errors",
                 ticks_, batches_, lapped_events_, sub_.total_lost(), publish_errors_);
    return kExitOk;
  }

 private:
  void new_epoch(std::uint64_t first) {
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

  void flush() {
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

  // The batch just sent, split by symbol: one message per symbol present, in tick order.
  void publish_per_symbol(std::uint64_t cursor) {
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

  // Nothing sent for a while: tell the receivers where the stream is, so a lost tail is a counted gap.
  void idle_heartbeat() {
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

  void answer_requests() {
    if (!requests_) return;
    for (int i = 0; i < 16; ++i) {
      NatsMsg m = requests_->next(0);
      if (!m.valid()) return;
      if (m.reply() != nullptr) send_snapshot(m.reply());
    }
  }

  // The directory and quote board of the epoch being carried, to `reply` or pushed to all.
  void send_snapshot(const char* reply) {
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

  void update_status(std::uint64_t now) {
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

}  // namespace

int run_out(const Options& o, const std::atomic<bool>& stop) {
  auto settings = nats_settings(o, "tickshm-bridge out " + o.common.segment);
  if (!settings) {
    spdlog::error("{}", settings.error().message);
    return kExitUsage;
  }
  auto status =
      BridgeStatusWriter::create(o.common.segment, BridgeDirection::kOut, o.common.segment, o.segment_mode);
  if (!status) {
    spdlog::error("{}", status.error().message);
    return status.error().code == Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto link = NatsLink::connect(settings.value());
  if (!link) {
    spdlog::error("{}", link.error().message);
    return kExitFailure;
  }
  if (!o.jetstream.empty()) {
    const std::string& f = o.common.segment;
    if (auto st = link->ensure_stream(o.jetstream, stream_subjects(f), o.jetstream_max_age_s); !st) {
      spdlog::error("{}", st.error().message);
      return kExitFailure;
    }
    spdlog::info("JetStream stream '{}' keeps {} s of tickshm.{}.ticks, .sym.> and .epoch", o.jetstream,
                 o.jetstream_max_age_s, f);
  }
  SubscriberOptions so;
  so.segment = o.common.segment;
  so.name = o.name;
  so.role = "bridge";
  so.from_start = o.from_start;
  auto w = parse_wait(o.wait);
  if (w) so.wait = w.value();
  auto sub = Subscriber::create(so);
  if (!sub) {
    spdlog::error("{}", sub.error().message);
    return kExitUsage;
  }
  sub->set_event_handler([](const SubscriberEvent& e) { spdlog::info("{}", e.message); });
  spdlog::info("bridge out: feed '{}' -> {} (batch {} ticks, linger {} us{})", o.common.segment, o.nats,
               o.batch, o.linger_us, o.per_symbol ? ", per-symbol subjects too" : "");
  if (const std::string why = link->closed_reason(); !why.empty()) {
    spdlog::error("{}", why);
    return kExitFailure;
  }
  OutBridge bridge(o, std::move(link.value()), std::move(sub.value()), std::move(status.value()));
  if (!o.jetstream.empty()) {
    if (auto st = bridge.use_jetstream(); !st) {
      spdlog::error("{}", st.error().message);
      return kExitFailure;
    }
  }
  if (auto st = bridge.subscribe_requests(); !st) {
    // The client may have closed the connection (authorization refused) since it was checked: say why.
    const std::string why = bridge.closed_reason();
    spdlog::error("{}", why.empty() ? st.error().message : why);
    return kExitFailure;
  }
  return bridge.run(stop);
}

}  // namespace tickshm::bridge
