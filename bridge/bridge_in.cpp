// `tickshm-bridge in`: takes the remote feed's snapshot, then writes every batch that passes the
// checks into a local data segment through Publisher (flock, epoch, heartbeat: a feed in all but name).
// Here: connecting, subscribing and the loop; the parts of InBridge are beside it (in_bridge.hpp).
#include "bridge_in.hpp"

#include <spdlog/spdlog.h>

#include <sstream>
#include <string>
#include <vector>

#include "in_bridge.hpp"

namespace tickshm::bridge {
namespace {

std::vector<std::string> split_symbols(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  std::string s;
  while (std::getline(ss, s, ',')) out.push_back(s);
  return out;
}

}  // namespace

InBridge::InBridge(const Options& o, NatsLink link, BridgeStatusWriter status)
    : o_(o), link_(std::move(link)), status_(std::move(status)), inbox_(std::uint64_t(o.pending_mb) << 20) {
  remote_ = o.remote_feed;
  wanted_ = split_symbols(o.symbols);
  if (!o.jetstream.empty()) held_.emplace(std::uint64_t(o.pending_mb) << 20, kHoldNs);
}

Status InBridge::subscribe() {
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

int InBridge::run(const std::atomic<bool>& stop) {
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
      if (!pub_ && now - last_request_ns_ >= kSnapshotRetryNs * 5) request_snapshot(0);  // nothing heard yet
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
