// The processes of a run over the tickshm bus: see bus_processes.hpp.
#include "bus_processes.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <thread>

#include "run_common.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/registry.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::bench {

namespace {

std::vector<SymbolSpec> bench_symbols(std::uint32_t n) {
  std::vector<SymbolSpec> out;
  for (std::uint32_t i = 0; i < n; ++i)
    out.push_back(SymbolSpec{std::to_string(i).insert(0, 1, 'S'), 1'000'000, 100});
  return out;
}

// Keeps the heartbeat fresh while the writer waits for readers (a stale feed makes readers give up).
bool wait_readers(Publisher& pub, const std::atomic<std::uint32_t>& counter, std::uint32_t n,
                  const std::atomic<bool>& abort) {
  const std::uint64_t until = now_ns() + kSetupTimeoutNs;
  while (counter.load(std::memory_order_acquire) < n) {
    const std::uint64_t now = now_ns();
    if (abort.load(std::memory_order_relaxed) || now >= until) return false;
    pub.heartbeat(now);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

}  // namespace

int shm_writer(const Config& c, const std::string& seg, WriterLoop loop, std::uint32_t readers,
               std::uint32_t readers_finishing, double seconds, SharedBlock& b) {
  RunControl& ctl = b.control;
  PublisherOptions po;
  po.segment = seg;
  po.symbols = bench_symbols(c.symbols);
  po.ring_capacity = c.ring_capacity;
  po.wake = c.wake;
  auto created = Publisher::create(po);
  if (!created) {
    set_error(b.writer.error, created.error().message);
    ctl.writer_done.store(true);
    return 1;
  }
  Publisher& pub = created.value();
  ctl.writer_ready.store(1);
  if (!wait_readers(pub, ctl.readers_ready, readers, ctl.abort)) {
    set_error(b.writer.error, "readers did not attach within 10 s");
    ctl.writer_done.store(true);
    return 1;
  }
  // Readers go from "attached" to waiting for data; let the blocking ones fall asleep first.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));

  if (c.prefault) {
    touch_pages(reinterpret_cast<const std::byte*>(&pub.header()) + pub.header().ring_offset,
                pub.header().ring_capacity * sizeof(TickRecord));
  }
  const std::uint32_t symbols = c.symbols;
  std::uint64_t s = 0;
  const std::uint64_t faults0 = minor_faults();
  const std::uint64_t start = now_ns();
  std::uint64_t next_heartbeat = start + kHeartbeatEveryNs;
  b.writer.start_ns = start;
  // Refreshes the heartbeat when it is due; false once the run is aborted (looked at only then).
  auto beat = [&](std::uint64_t stamp) {
    if (stamp < next_heartbeat) return true;
    pub.heartbeat(stamp);
    next_heartbeat = stamp + kHeartbeatEveryNs;
    return !ctl.abort.load(std::memory_order_relaxed);
  };
  switch (loop) {
    case WriterLoop::kPaced: {
      const std::uint64_t n = c.latency_count();
      const std::uint64_t deadline = pace_deadline(start, n, c.rate);
      for (; s < n; ++s) {
        const std::uint64_t stamp = spin_until(paced_time(start, s, c.rate));
        pub.publish(make_tick(s, stamp, symbols));
        pub.wake_sleepers();
        if (!beat(stamp) || stamp > deadline) {
          ++s;
          break;
        }
      }
      break;
    }
    case WriterLoop::kPacedWakeCost: {
      // What waking N sleepers costs the writer: ticks far enough apart for the readers to fall asleep
      // between two; the readers asleep counted from the sleepers word (outside the timed part), then
      // the time in publish + wake_sleepers summed.
      auto view = ControlView::open(seg, false);
      const std::uint64_t n = c.latency_count();
      const std::uint64_t deadline = pace_deadline(start, n, c.rate);
      for (; s < n; ++s) {
        const std::uint64_t stamp = spin_until(paced_time(start, s, c.rate));
        if (view)
          b.writer.asleep += static_cast<std::uint64_t>(std::popcount(load_relaxed(view->header().sleepers)));
        const std::uint64_t t0 = now_ns();
        pub.publish(make_tick(s, stamp, symbols));
        pub.wake_sleepers();
        b.writer.busy_ns += now_ns() - t0;
        if (!beat(stamp) || stamp > deadline) {
          ++s;
          break;
        }
      }
      break;
    }
    case WriterLoop::kPacedBursts: {
      // c.rate ticks/s in bursts of kBatch, each burst stamped when its schedule came due: the
      // offered load of a lossless-throughput trial. A writer slower than the schedule runs flat out.
      const std::uint64_t until = start + static_cast<std::uint64_t>(seconds * 1e9);
      for (;;) {
        const std::uint64_t stamp = spin_until(paced_time(start, s, c.rate));
        if (stamp >= until) break;
        for (std::uint64_t k = 0; k < kBatch; ++k, ++s) pub.publish(make_tick(s, stamp, symbols));
        pub.wake_sleepers();
        if (!beat(stamp)) break;
      }
      break;
    }
    case WriterLoop::kFlatOut:
    case WriterLoop::kFlatOutWakeEveryTick: {
      const bool every_tick = loop == WriterLoop::kFlatOutWakeEveryTick;
      const std::uint64_t until = start + static_cast<std::uint64_t>(seconds * 1e9);
      for (;;) {
        const std::uint64_t stamp = now_ns();
        if (stamp >= until) break;
        if (every_tick) {
          for (std::uint64_t k = 0; k < kBatch; ++k, ++s) pub.publish_and_wake(make_tick(s, stamp, symbols));
        } else {
          for (std::uint64_t k = 0; k < kBatch; ++k, ++s) pub.publish(make_tick(s, stamp, symbols));
          pub.wake_sleepers();  // once per batch, as the API allows for a flat-out loop
        }
        if (!beat(stamp)) break;
      }
      break;
    }
    case WriterLoop::kIdle: {
      const std::uint64_t until = start + static_cast<std::uint64_t>(seconds * 1e9);
      for (std::uint64_t now = start; now < until && !ctl.abort.load(); now = now_ns()) {
        pub.heartbeat(now);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      break;
    }
  }
  b.writer.end_ns = now_ns();
  b.writer.minor_faults = minor_faults() - faults0;
  b.writer.published = pub.published();
  ctl.published.store(pub.published());
  ctl.writer_done.store(true);
  pub.wake_sleepers();  // a reader asleep since the last tick sees writer_done now, not at its timeout
  // Closing unlinks the segment: wait until the readers have drained it (their mappings would
  // survive the unlink, but a closed feed may end their reading early).
  const std::uint64_t until = now_ns() + kSetupTimeoutNs;
  while (ctl.readers_done.load() < readers_finishing && !ctl.abort.load() && now_ns() < until) {
    pub.heartbeat(now_ns());
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  b.writer.done = 1;
  return 0;
}

int shm_reader(const Config& c, const std::string& seg, WaitStrategy w, ReaderRole role, double idle_s,
               std::size_t index, SharedBlock& b) {
  const bool prefault = c.prefault;
  RunControl& ctl = b.control;
  ReaderReport& rep = b.readers[index];
  SubscriberOptions so;
  so.segment = seg;
  so.name = "bench-" + std::to_string(index);
  so.role = "bench";
  so.wait = w;
  so.from_start = true;
  if (c.spin_ns != 0) so.spin_ns = c.spin_ns;
  auto created = Subscriber::create(so);
  if (!created) {
    set_error(rep.error, created.error().message);
    return 1;
  }
  Subscriber& sub = created.value();
  // writer_done doubles as the stop flag: next() returns instead of waiting once the writer is done.
  sub.set_stop_flag(&ctl.writer_done);
  if (!wait_for_count(ctl.writer_ready, 1, ctl.abort, kSetupTimeoutNs)) {
    set_error(rep.error, "the writer did not create the segment");
    return 1;
  }
  const std::uint64_t attach_until = now_ns() + kSetupTimeoutNs;
  std::string last_error;
  while (!sub.attached()) {
    auto st = sub.try_attach();
    if (!st) last_error = st.error().message;
    if (sub.attached()) break;
    if (now_ns() >= attach_until || ctl.abort.load()) {
      set_error(rep.error, "cannot attach: " + last_error);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (const DataView* dv = sub.data(); prefault && dv != nullptr) {
    touch_pages(dv->ring(), (dv->ring_mask() + 1) * sizeof(TickRecord));
  }
  ctl.readers_ready.fetch_add(1);
  if (role == ReaderRole::kDieAfterAttach) {
    raise(SIGKILL);  // a reader that crashed: its registry slot stays behind
  }
  if (role == ReaderRole::kIdle) {
    const std::uint64_t cpu0 = process_cpu_ns();
    const std::uint64_t wall0 = now_ns();
    TickRecord t{};
    sub.set_stop_flag(nullptr);
    while (now_ns() < wall0 + static_cast<std::uint64_t>(idle_s * 1e9) && !ctl.abort.load()) {
      if (sub.next(t, wall0 + static_cast<std::uint64_t>(idle_s * 1e9)) == Subscriber::Next::kTick)
        ++rep.received;
    }
    rep.cpu_ns = process_cpu_ns() - cpu0;
    rep.wall_ns = now_ns() - wall0;
    rep.done = 1;
    ctl.readers_done.fetch_add(1);
    return 0;
  }

  const bool latency = role == ReaderRole::kLatency;
  LatencyRecorder lat(c, b);
  std::uint64_t n = 0;
  TickRecord t{};
  auto on_tick = [&] {
    if (t.event_ns != sub.cursor() - 1) ++rep.mismatches;
    if (latency) {
      const std::uint64_t now = now_ns();
      lat.record(now, t);
      if (n == 0) rep.first_ns = now;
    }
    ++n;
  };
  const std::uint64_t faults0 = minor_faults();
  // try_next() while ticks are there; next() (the wait strategy) only once caught up, and the
  // clock is read only then: it marks the time by which every tick so far had arrived.
  for (;;) {
    if (sub.try_next(t)) {
      on_tick();
      continue;
    }
    rep.last_ns = now_ns();
    if (ctl.writer_done.load(std::memory_order_acquire) || ctl.abort.load(std::memory_order_relaxed)) break;
    const auto r = sub.next(t);
    if (r == Subscriber::Next::kTick) {
      on_tick();
    } else if (r == Subscriber::Next::kStopped) {
      break;
    }
  }
  // The writer is done and `published` final: take what is left.
  const std::uint64_t published = ctl.published.load();
  const std::uint64_t drain_until = now_ns() + kSetupTimeoutNs;
  bool drained_any = false;
  while (sub.cursor() < published && !ctl.abort.load(std::memory_order_relaxed)) {
    if (sub.try_next(t)) {
      on_tick();
      drained_any = true;
    } else if (now_ns() >= drain_until) {
      set_error(rep.error,
                "stuck at tick " + std::to_string(sub.cursor()) + " of " + std::to_string(published));
      break;
    } else {
      cpu_relax();
    }
  }
  if (drained_any) rep.last_ns = now_ns();
  rep.minor_faults = minor_faults() - faults0;
  rep.received = sub.received();
  rep.lost = sub.lost();
  if (n != rep.received) {
    set_error(rep.error,
              "counted " + std::to_string(n) + " ticks, subscriber says " + std::to_string(rep.received));
  }
  lat.store(rep);
  rep.done = 1;
  ctl.readers_done.fetch_add(1);
  return rep.error[0] == '\0' ? 0 : 1;
}

}  // namespace tickshm::bench
