// The dashboard's first line: never a cut number, fields dropped whole when the terminal is narrow.
#include "frame.hpp"

#include <fmt/format.h>

namespace tickshm::dash {
namespace {

Role state_role(FeedState s) {
  switch (s) {
    case FeedState::kLive:
      return Role::kGood;
    case FeedState::kStale:
    case FeedState::kWaiting:
      return Role::kWarn;
    case FeedState::kDead:
    case FeedState::kClosed:
      return Role::kBad;
  }
  return Role::kNormal;
}

std::string hex_epoch(std::uint64_t e) {
  return format_hex64(e);
}

}  // namespace

Line header_line(const Snapshot& s, const ViewState& v, std::size_t width) {
  const FeedInfo& f = s.feed;
  Line l;
  l.spans.push_back({"tickshm-dash ", Role::kTitle, true});
  l.spans.push_back({"feed " + f.name + " ", Role::kNormal, false});
  l.spans.push_back({std::string("[") + feed_state_name(f.state) + "]", state_role(f.state), true});
  // Right after the state, so a narrow terminal never drops it.
  if (v.paused) l.spans.push_back({" PAUSED", Role::kWarn, true});
  if (f.state == FeedState::kWaiting) {
    l.spans.push_back(
        {" " + (f.detail.empty() ? std::string("waiting for the feed") : f.detail), Role::kDim, false});
    return l;  // a long reason may be cut: it is words, not a number
  }
  // In the order they are dropped last to first: the rate and the count matter most.
  const std::string fields[] = {"  " + format_rate(f.ticks_per_sec) + " ticks/s",
                                "  published " + format_count(f.published),
                                "  up " + format_duration(f.uptime_ns), fmt::format("  pid {}", f.writer_pid),
                                "  epoch " + hex_epoch(f.epoch)};
  std::size_t used = 0;
  for (const auto& sp : l.spans) used += display_width(sp.text);
  std::vector<bool> keep(std::size(fields), false);
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    const std::size_t w = display_width(fields[i]);
    if (used + w > width) break;  // a field that does not fit ends the line: no later one jumps ahead
    used += w;
    keep[i] = true;
  }
  // Shown in reading order: epoch, pid, published, rate, uptime.
  for (const std::size_t i : {4U, 3U, 1U, 0U, 2U}) {
    if (keep[i]) l.spans.push_back({fields[i], Role::kNormal, false});
  }
  // Each bridge of this feed after them, whole or not at all.
  for (const BridgeRow& b : s.bridges) {
    const bool in = b.direction == "in";
    std::string t =
        fmt::format("  bridge {}{} {} ticks lost {} ({} gaps)", in ? "in<-" : "out->", b.remote_feed,
                    format_count(b.ticks), format_count(b.lost), format_count(b.gaps));
    if (in) t += fmt::format(" bad {} lag {}", format_count(b.rejected), format_ns(b.lag_ns));
    t += fmt::format(" reconn {}", format_count(b.reconnects));
    if (!b.connected) t += " OFFLINE";
    const std::size_t w = display_width(t);
    if (used + w > width) break;
    used += w;
    const Role role =
        !b.alive || !b.connected ? Role::kBad : (b.lost != 0 || b.rejected != 0 ? Role::kWarn : Role::kDim);
    l.spans.push_back({std::move(t), role, false});
  }
  return l;
}

}  // namespace tickshm::dash
