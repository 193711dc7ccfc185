// Helpers shared by the run implementations: the tick every transport carries, and turning the
// shared reports of one run into a RunOutcome.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "harness.hpp"
#include "scenarios.hpp"
#include "tickshm/layout.hpp"

namespace tickshm::bench {

// Flat-out writers stamp one clock reading per batch: a clock read per tick (~35 ns) would cap the
// rate near 25 M/s on its own.
inline constexpr std::uint64_t kBatch = 64;
inline constexpr std::uint64_t kHeartbeatEveryNs = 50 * kNsPerMs;
inline constexpr std::uint64_t kSetupTimeoutNs = 10 * kNsPerSec;

// Tick number s: event_ns carries s so every reader can check the payload it got is tick s's.
inline TickRecord make_tick(std::uint64_t s, std::uint64_t stamp, std::uint32_t symbols) noexcept {
  TickRecord t{};
  t.publish_ns = stamp;
  t.event_ns = s;
  t.symbol = static_cast<std::uint32_t>(s % symbols);
  t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
  t.bid = 1'000'000u + static_cast<std::uint32_t>(s & 0xFF) * 100u;
  t.ask = t.bid + 100u;
  t.bid_size = 100;
  t.ask_size = 200;
  return t;
}

// Time of latency tick i at `rate` ticks/s from start; integer math so 10^8 ticks stay exact.
inline std::uint64_t paced_time(std::uint64_t start, std::uint64_t i, std::uint64_t rate) noexcept {
  const unsigned __int128 t = static_cast<unsigned __int128>(i) * kNsPerSec / rate;
  return start + static_cast<std::uint64_t>(t);
}

// A paced writer this far behind its schedule stops: the transport cannot carry the rate to this many
// readers (a pipe writer at 64 readers makes 6.4 M write calls a second of schedule), and its row says
// how many of the scheduled ticks it carried instead of running for minutes.
inline std::uint64_t pace_deadline(std::uint64_t start, std::uint64_t count, std::uint64_t rate) noexcept {
  return paced_time(start, 2 * count, rate) + 2 * kNsPerSec;
}

// A latency run's two figures per tick. From the writer's stamp: when the writer got to the tick. From
// the tick's scheduled send time, corrected for coordinated omission: a writer that fell behind its pace,
// or waited on a transport that blocks it (a pipe, a NODROP publisher), stamps each tick late, so the
// wait of the ticks queued behind never shows in the first figure; the second counts it. Every paced
// writer schedules tick s at paced_time(start, s, rate) with start = its WriterReport::start_ns.
class LatencyRecorder {
 public:
  LatencyRecorder(const Config& c, const SharedBlock& b) noexcept
      : rate_(c.rate), start_(&b.writer.start_ns) {}
  // The tick number is the tick's event_ns (make_tick); `now` the reader's clock once it has the tick.
  void record(std::uint64_t now, const TickRecord& t) noexcept {
    stamped_.record(now - t.publish_ns);
    // start_ns was stored before the first tick was sent, so it is visible once a tick has arrived.
    const std::uint64_t due = paced_time(*start_, t.event_ns, rate_);
    corrected_.record(now > due ? now - due : 0);
  }
  void store(ReaderReport& rep) const noexcept {
    rep.hist = stamped_;
    rep.hist_corrected = corrected_;
  }

 private:
  std::uint64_t rate_;
  const std::uint64_t* start_;
  LatencyHistogram stamped_, corrected_;
};

// Waits until counter reaches n; false on abort or timeout. Sleeps 100 µs between looks: set-up only.
bool wait_for_count(const std::atomic<std::uint32_t>& counter, std::uint32_t n,
                    const std::atomic<bool>& abort, std::uint64_t timeout_ns);

// The middle value (the mean of the two middle ones for an even count); 0 for none.
inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The transports' runs (tickshm_runs.cpp, fd_runs.cpp): run_transport picks one.
RunOutcome run_tickshm(const Config& c, SharedRegion& region, WaitStrategy w, Mode m, std::size_t readers);
RunOutcome run_fd(const Config& c, SharedRegion& region, Transport t, Mode m, std::size_t readers);

// Builds the outcome of a finished run from the shared reports (the parent, after every child exited).
void collect_outcome(RunOutcome& out, const SharedBlock& b, bool all_exited, const std::string& who_failed);

}  // namespace tickshm::bench
