// The runs over the tickshm bus itself: latency and throughput per wait strategy, the lossless
// throughput search, the idle blocked reader's CPU use, and the writer's cost per tick with readers
// spinning, sleeping or dead.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "bus_processes.hpp"
#include "run_common.hpp"
#include "scenarios.hpp"
#include "tickshm/registry.hpp"

namespace tickshm::bench {

namespace {

// One writer running `loop` for `secs` and `readers` readers waiting with w; m names the run.
RunOutcome run_bus(const Config& c, SharedRegion& region, WaitStrategy w, Mode m, WriterLoop loop,
                   std::size_t readers, double secs, const std::string& tag) {
  RunOutcome out;
  out.name = run_name(Transport::kTickshm, w);
  out.transport = Transport::kTickshm;
  out.wait = w;
  out.mode = m;
  out.readers = readers;
  region.reset();
  SharedBlock& b = region.block();
  const std::string seg = unique_segment(c.prefix, tag);
  {
    Workers procs;
    const auto role = m == Mode::kLatency ? ReaderRole::kLatency : ReaderRole::kThroughput;
    for (std::size_t i = 0; i < readers; ++i) {
      procs.spawn(c.cpus.reader(i), [&, i] { return shm_reader(c, seg, w, role, 0, i, b); });
    }
    const auto n = static_cast<std::uint32_t>(readers);
    procs.spawn(c.cpus.writer(), [&] { return shm_writer(c, seg, loop, n, n, secs, b); });
    const bool exited = procs.wait_all(c.timeout_ns(secs, readers), &b.control.abort);
    collect_outcome(out, b, exited, exited ? "" : "timed out or interrupted");
  }
  remove_segment(seg);
  return out;
}

}  // namespace

RunOutcome run_tickshm(const Config& c, SharedRegion& region, WaitStrategy w, Mode m, std::size_t readers) {
  const bool latency = m == Mode::kLatency;
  const double secs =
      latency ? static_cast<double>(c.latency_count()) / static_cast<double>(c.rate) : c.throughput_s;
  return run_bus(c, region, w, m, latency ? WriterLoop::kPaced : WriterLoop::kFlatOut, readers, secs,
                 std::string(wait_name(w)).substr(0, 1) + mode_name(m)[0]);
}

LosslessOutcome search_lossless(const RunOutcome& flat_out, std::uint32_t trials,
                                const std::function<RunOutcome(double offered_per_s)>& trial) {
  LosslessOutcome out;
  out.ok = true;
  if (flat_out.lost_total == 0) {
    out.flat_out_lossless = true;
    out.rate_per_s = flat_out.slowest_rate_per_s;
    return out;
  }
  // Between a rate known to lose nothing (lo; 0 to begin with) and one known to lose (hi).
  double lo = 0;
  double hi = flat_out.writer_rate_per_s;
  for (std::uint32_t i = 0; i < trials && !interrupted(); ++i) {
    LosslessTrial t;
    t.offered_per_s = (lo + hi) / 2;
    t.run = trial(t.offered_per_s);
    if (!t.run.ok) {
      out.ok = false;
      out.error = t.run.error;
      out.trials.push_back(std::move(t));
      break;
    }
    if (t.run.lost_total == 0) {
      lo = t.offered_per_s;
      out.rate_per_s = std::max(out.rate_per_s, t.run.slowest_rate_per_s);
    } else {
      hi = t.offered_per_s;
    }
    out.trials.push_back(std::move(t));
  }
  return out;
}

LosslessOutcome run_lossless(const Config& c, SharedRegion& region, const RunOutcome& flat_out) {
  std::uint32_t n = 0;
  return search_lossless(flat_out, c.lossless_trials, [&](double offered) {
    Config trial = c;
    trial.rate = std::max<std::uint64_t>(kBatch, static_cast<std::uint64_t>(offered));
    return run_bus(trial, region, WaitStrategy::kSpin, Mode::kThroughput, WriterLoop::kPacedBursts, 1,
                   c.throughput_s, "loss" + std::to_string(n++));
  });
}

IdleOutcome run_idle(const Config& c, SharedRegion& region) {
  IdleOutcome out;
  region.reset();
  SharedBlock& b = region.block();
  const std::string seg = unique_segment(c.prefix, "idle");
  {
    Workers procs;
    procs.spawn(c.cpus.reader(0),
                [&] { return shm_reader(c, seg, WaitStrategy::kBlock, ReaderRole::kIdle, c.idle_s, 0, b); });
    procs.spawn(c.cpus.reader(1), [&] {
      return shm_reader(c, seg, WaitStrategy::kAdaptive, ReaderRole::kIdle, c.idle_s, 1, b);
    });
    procs.spawn(c.cpus.writer(), [&] { return shm_writer(c, seg, WriterLoop::kIdle, 2, 2, c.idle_s, b); });
    const bool exited = procs.wait_all(c.timeout_ns(c.idle_s), &b.control.abort);
    out.ok = exited && b.writer.done != 0 && b.readers[0].done != 0 && b.readers[1].done != 0;
    out.error = !exited                 ? "timed out or interrupted"
                : b.writer.error[0]     ? b.writer.error
                : b.readers[0].error[0] ? b.readers[0].error
                                        : b.readers[1].error;
    if (!out.ok && out.error.empty()) out.error = "a process failed";
  }
  remove_segment(seg);
  auto pct = [](const ReaderReport& r) {
    return r.wall_ns == 0 ? 0.0 : 100.0 * static_cast<double>(r.cpu_ns) / static_cast<double>(r.wall_ns);
  };
  out.seconds = static_cast<double>(b.readers[0].wall_ns) / 1e9;
  out.block_cpu_percent = pct(b.readers[0]);
  out.adaptive_cpu_percent = pct(b.readers[1]);
  return out;
}

WriterCostOutcome run_writer_cost(const Config& c, SharedRegion& region, CostReaders kind,
                                  std::size_t count) {
  WriterCostOutcome out;
  out.readers = kind;
  const bool many = kind == CostReaders::kSpinning || kind == CostReaders::kSleeping;
  count = kind == CostReaders::kNone           ? 0
          : kind == CostReaders::kSleepingMany ? kManySleepers
          : many                               ? std::clamp<std::size_t>(count, 1, kMaxReaders)
                                               : 1;
  out.count = count;
  region.reset();
  SharedBlock& b = region.block();
  const std::string seg =
      unique_segment(c.prefix, std::string("cost-") + cost_readers_name(kind) + std::to_string(count));
  {
    Workers procs;
    std::uint32_t readers = 0;
    std::uint32_t finishing = 0;
    pid_t dead = -1;
    switch (kind) {
      case CostReaders::kNone:
        break;
      case CostReaders::kSpinning:
      case CostReaders::kSleeping: {
        const WaitStrategy w = kind == CostReaders::kSpinning ? WaitStrategy::kSpin : WaitStrategy::kBlock;
        for (std::size_t i = 0; i < count; ++i) {
          procs.spawn(c.cpus.reader(i),
                      [&, w, i] { return shm_reader(c, seg, w, ReaderRole::kThroughput, 0, i, b); });
        }
        readers = finishing = static_cast<std::uint32_t>(count);
        break;
      }
      case CostReaders::kSleepingMany:
        for (std::size_t i = 0; i < count; ++i) {
          procs.spawn(c.cpus.reader(i), [&, i] {
            return shm_reader(c, seg, WaitStrategy::kBlock, ReaderRole::kThroughput, 0, i, b);
          });
        }
        readers = finishing = static_cast<std::uint32_t>(count);
        break;
      case CostReaders::kDead:
        dead = procs.spawn(c.cpus.reader(0), [&] {
          return shm_reader(c, seg, WaitStrategy::kBlock, ReaderRole::kDieAfterAttach, 0, 0, b);
        });
        readers = 1;
        break;
    }
    procs.spawn(c.cpus.writer(), [&] {
      return shm_writer(c, seg, WriterLoop::kFlatOutWakeEveryTick, readers, finishing, c.writer_cost_s, b);
    });
    const bool exited = procs.wait_all(c.timeout_ns(c.writer_cost_s, count), &b.control.abort);
    out.ok = exited && b.writer.done != 0;
    for (std::uint32_t i = 0; i < finishing; ++i) out.ok &= b.readers[i].done != 0;
    if (dead > 0 && procs.exit_code(dead) != 128 + SIGKILL) out.ok = false;
    out.error = !exited             ? "timed out or interrupted"
                : b.writer.error[0] ? b.writer.error
                                    : b.readers[0].error;
    if (!out.ok && out.error.empty()) out.error = "a process failed";
  }
  remove_segment(seg);
  out.published = b.writer.published;
  if (out.published > 0) {
    out.ns_per_tick =
        static_cast<double>(b.writer.end_ns - b.writer.start_ns) / static_cast<double>(out.published);
  }
  for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i) {
    out.reader_received += b.readers[i].received;
    out.reader_lost += b.readers[i].lost;
  }
  return out;
}

WriterCostOutcome run_wake_cost(const Config& c, SharedRegion& region, std::size_t count, WakeMode mode) {
  Config trial = c;
  trial.rate = c.wake_rate;
  trial.count = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(static_cast<double>(c.wake_rate) * c.writer_cost_s));
  trial.wake = mode;
  count = std::clamp<std::size_t>(count, 1, kMaxReaders);
  const RunOutcome run =
      run_bus(trial, region, WaitStrategy::kBlock, Mode::kLatency, WriterLoop::kPacedWakeCost, count,
              static_cast<double>(trial.count) / static_cast<double>(trial.rate),
              std::string("wake-") + wake_mode_name(mode) + std::to_string(count));
  const WriterReport& w = region.block().writer;  // the run's block, until the next run resets it
  WriterCostOutcome out;
  out.readers = CostReaders::kSleeping;
  out.count = count;
  out.wake = mode;
  out.ok = run.ok;
  out.error = run.error;
  out.published = run.published;
  if (run.published > 0) {
    out.ns_per_tick = static_cast<double>(w.busy_ns) / static_cast<double>(run.published);
    out.asleep_per_tick = static_cast<double>(w.asleep) / static_cast<double>(run.published);
  }
  out.reader_p50_ns = run.latency.p50_ns;
  out.reader_p99_ns = run.latency.p99_ns;
  for (const auto& f : run.per_reader) {
    out.reader_received += f.received;
    out.reader_lost += f.lost;
  }
  return out;
}

}  // namespace tickshm::bench
