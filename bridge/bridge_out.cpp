// `tickshm-bridge out`: reads the feed like any reader (lapped, never slowing it), batches ticks into
// wire messages, answers snapshot requests and republishes the snapshot on every new epoch.
// Here: connecting, the stream's set-up and the loop; the parts of OutBridge are beside it (out_bridge.hpp).
#include "bridge_out.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "out_bridge.hpp"
#include "tickshm/clock.hpp"
#include "wire.hpp"

namespace tickshm::bridge {
namespace {

constexpr std::uint64_t kIdleNs = 100 * kNsPerMs;  // heartbeat period: status, NATS heartbeat batch
// JetStream: a batch without an ack after this long is sent again. Short enough that a receiver
// holding later batches for the gap (bridge in) gets it well within its hold time.
constexpr std::int64_t kAckWaitMs = 1000;
constexpr std::int64_t kDrainMs = 2000;  // at exit, the wait for the last acks

}  // namespace

OutBridge::OutBridge(const Options& o, NatsLink link, Subscriber sub, BridgeStatusWriter status)
    : o_(o), link_(std::move(link)), sub_(std::move(sub)), status_(std::move(status)) {
  feed_ = o.common.segment;
  ticks_subject_ = ticks_subject(feed_);
  buf_.reserve(sizeof(WireBatchHeader) + std::size_t{o.batch} * sizeof(TickRecord));
  linger_ns_ = std::uint64_t{o.linger_us} * 1000;
}

Status OutBridge::use_jetstream() {
  const std::uint64_t batch_bytes = sizeof(WireBatchHeader) + std::uint64_t{o_.batch} * sizeof(TickRecord);
  const std::uint64_t keep =
      std::max<std::uint64_t>(64, (std::uint64_t(o_.reconnect_buffer_kb) << 10) / batch_bytes);
  auto js = JsPublisher::create(link_, keep, kAckWaitMs);
  if (!js) return std::move(js).error();
  js_.emplace(std::move(js.value()));
  spdlog::info("JetStream: batches acknowledged by the server, at most {} kept unacknowledged", keep);
  return ok_status();
}

Status OutBridge::subscribe_requests() {
  auto s = link_.subscribe(snapshot_subject(feed_), 1024, 1 << 20);
  if (!s) return std::move(s).error();
  requests_.emplace(std::move(s.value()));
  return ok_status();
}

int OutBridge::run(const std::atomic<bool>& stop) {
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
    spdlog::info("JetStream: {} batches acknowledged, {} sent again, {} unacknowledged at exit", js_->acked(),
                 js_->resent(), left);
  }
  link_.flush(1000);
  update_status(now_ns());
  spdlog::info("stopped: sent {} ticks in {} batches, lapped {} times ({} ticks), {} publish errors", ticks_,
               batches_, lapped_events_, sub_.total_lost(), publish_errors_);
  return kExitOk;
}

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
