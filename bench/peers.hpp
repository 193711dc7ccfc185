// The peer transports of tickshm-bench, iceoryx and ZeroMQ: their runs, the bench's own iceoryx daemon,
// and the loops their writers and readers share (the same ticks, pacing, stamps and loss accounting
// as the bus's rows).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

#include "run_common.hpp"
#include "scenarios.hpp"

namespace tickshm::bench {

// Each returns a skipped outcome that says why when the library was not found at build time or
// (iceoryx) a RouDi of the bench's own cannot run here.
RunOutcome run_iceoryx(const Config& c, SharedRegion& region, Transport t, Mode m, std::size_t readers);
RunOutcome run_zmq(const Config& c, SharedRegion& region, Transport t, Mode m, std::size_t readers);

// The bench's RouDi is started by the first iceoryx run and lives until this is called (the bench
// calls it on every way out; a bench that dies takes it down with PR_SET_PDEATHSIG).
void stop_iceoryx_daemon() noexcept;

// What a reader of a queue that may drop got. Queues deliver in order, so a jump from the expected
// tick s to s + k is k ticks lost, and whatever never came after the last one is lost too: received +
// lost = published, exactly. A tick out of order or whose payload is not tick s's is a mismatch.
class SequenceCheck {
 public:
  explicit SequenceCheck(std::uint32_t symbols) noexcept : symbols_(symbols) {}
  void on_tick(const TickRecord& t) noexcept {
    const std::uint64_t s = t.event_ns;
    const TickRecord expected = make_tick(s, t.publish_ns, symbols_);
    if (s < next_ || std::memcmp(&t, &expected, sizeof t) != 0) {
      ++mismatches_;
      return;
    }
    lost_ += s - next_;
    next_ = s + 1;
    ++received_;
  }
  bool complete(std::uint64_t published) const noexcept { return next_ >= published; }
  void finish(ReaderReport& rep, std::uint64_t published) const noexcept {
    rep.received = received_;
    rep.lost = lost_ + (published > next_ ? published - next_ : 0);
    rep.mismatches = mismatches_;
  }

 private:
  std::uint32_t symbols_;
  std::uint64_t next_ = 0, received_ = 0, lost_ = 0, mismatches_ = 0;
};

// The writer's side of a peer run, once its readers are connected: paced latency ticks (one stamp
// each) or flat out for c.throughput_s (one stamp per batch), through send(tick) -> false on failure.
// Then `published` and writer_done, and the transport stays open until every reader has drained it.
template <class Send>
int peer_write(const Config& c, Mode m, std::uint32_t readers, SharedBlock& b, Send&& send) {
  RunControl& ctl = b.control;
  std::uint64_t s = 0;
  const std::uint64_t start = now_ns();
  b.writer.start_ns = start;
  bool failed = false;
  if (m == Mode::kLatency) {
    const std::uint64_t n = c.latency_count();
    const std::uint64_t deadline = pace_deadline(start, n, c.rate);
    for (; s < n; ++s) {
      const std::uint64_t stamp = spin_until(paced_time(start, s, c.rate));
      if (!send(make_tick(s, stamp, c.symbols))) {
        failed = true;
        break;
      }
      if ((s & 63) == 0 && (ctl.abort.load(std::memory_order_relaxed) || stamp > deadline)) {
        ++s;
        break;
      }
    }
  } else {
    const auto until = start + static_cast<std::uint64_t>(c.throughput_s * 1e9);
    while (!failed) {
      const std::uint64_t stamp = now_ns();
      if (stamp >= until || ctl.abort.load(std::memory_order_relaxed)) break;
      for (std::uint64_t k = 0; k < kBatch; ++k, ++s) {
        if (!send(make_tick(s, stamp, c.symbols))) {
          failed = true;
          break;
        }
      }
    }
  }
  b.writer.end_ns = now_ns();
  b.writer.published = s;
  ctl.published.store(s);
  ctl.writer_done.store(true);
  if (failed) return 1;
  const std::uint64_t until = now_ns() + kSetupTimeoutNs;
  while (ctl.readers_done.load() < readers && !ctl.abort.load() && now_ns() < until) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  b.writer.done = 1;
  return 0;
}

// A reader's side: poll(tick, wait) takes one tick (wait: may block a few milliseconds for one). Once
// the writer is done the reader stops when it has the last tick, or when nothing came for quiet_ns
// (a dropping queue may never deliver the last one); the rest is counted lost.
template <class Poll>
int peer_read(const Config& c, Mode m, std::size_t index, SharedBlock& b, std::uint64_t quiet_ns,
              Poll&& poll) {
  RunControl& ctl = b.control;
  ReaderReport& rep = b.readers[index];
  SequenceCheck seq(c.symbols);
  LatencyRecorder lat(c, b);
  TickRecord t{};
  const bool latency = m == Mode::kLatency;
  bool got = false;
  std::uint64_t quiet_since = 0, published = 0;
  bool done = false;
  auto on_tick = [&] {
    if (latency) {
      const std::uint64_t now = now_ns();
      lat.record(now, t);
      if (rep.first_ns == 0) rep.first_ns = now;
    }
    seq.on_tick(t);
    got = true;
    quiet_since = 0;
  };
  for (;;) {
    if (poll(t, false)) {
      on_tick();
      continue;
    }
    // Caught up: every tick so far had arrived by now (the clock is read here, not per tick).
    if (got) {
      rep.last_ns = now_ns();
      got = false;
    }
    if (ctl.abort.load(std::memory_order_relaxed)) break;
    if (!done && ctl.writer_done.load(std::memory_order_acquire)) {
      done = true;
      published = ctl.published.load();
    }
    if (done) {
      if (seq.complete(published)) break;
      const std::uint64_t now = now_ns();
      if (quiet_since == 0) {
        quiet_since = now;
      } else if (now - quiet_since >= quiet_ns) {
        break;
      }
    }
    if (poll(t, true)) on_tick();
  }
  if (got) rep.last_ns = now_ns();
  seq.finish(rep, published);
  lat.store(rep);
  rep.done = 1;
  ctl.readers_done.fetch_add(1);
  return rep.error[0] == '\0' ? 0 : 1;
}

// The outcome of a run that could not happen here, and why.
RunOutcome skipped_run(Transport t, Mode m, std::size_t readers, const std::string& why);
// The outcome's identity before a run.
RunOutcome peer_run_base(Transport t, Mode m, std::size_t readers);

}  // namespace tickshm::bench
