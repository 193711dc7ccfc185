// tickshm-feed's body: symbols, segment creation, signals, the publishing loop, logs and summary.
#include "feed_app.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <time.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "csv_replay.hpp"
#include "facts.hpp"
#include "feed_loop.hpp"
#include "itch_recorder.hpp"
#include "itch_replay.hpp"
#include "market_model.hpp"
#include "simulator.hpp"
#include "tickshm/clock.hpp"

namespace tickshm::feed {

namespace {

constexpr const char* kProgram = "tickshm-feed";
constexpr std::size_t kMaxSkipWarnings = 20;  // a file full of bad rows must not flood the log

std::atomic<bool> g_pause{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGUSR1 handler touches it");

// SIGUSR1 toggles pause: the feed keeps its heartbeat but publishes nothing until the next SIGUSR1.
extern "C" void on_sigusr1(int) {
  // relaxed: the loop polls the flag; no other data travels with it.
  g_pause.store(!g_pause.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

void install_pause_signal() {
  struct sigaction sa {};
  sa.sa_handler = on_sigusr1;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a sleeping loop wakes up and sees the change at once
  ::sigaction(SIGUSR1, &sa, nullptr);
}

struct RealClock {
  std::uint64_t now() const noexcept { return now_ns(); }
  void sleep_until(std::uint64_t t) const noexcept {
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(t / kNsPerSec);
    ts.tv_nsec = static_cast<long>(t % kNsPerSec);
    // EINTR (a signal) returns early on purpose: the loop re-checks the stop and pause flags.
    ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
  }
};

// The real sink: the Publisher plus the heartbeat and the once-a-second log line.
class PublisherSink {
 public:
  explicit PublisherSink(Publisher& pub) : pub_(pub) {}
  void publish(const TickRecord& t) noexcept { pub_.publish(t); }
  void wake_sleepers() noexcept { pub_.wake_sleepers(); }
  void maintain(std::uint64_t now, std::uint64_t published, bool paused) {
    pub_.heartbeat(now);
    if (now < next_stats_) return;
    if (pub_.damaged() && !damage_logged_) {
      damage_logged_ = true;
      spdlog::error(
          "a segment of '{}' was truncated by someone with write access to it: readers can no "
          "longer read or be woken; restart the feed",
          pub_.segment());
    }
    if (next_stats_ != 0) {
      const double secs = static_cast<double>(now - last_stats_ns_) / 1e9;
      const double rate = secs > 0 ? static_cast<double>(published - last_published_) / secs : 0;
      std::size_t attached = 0;
      std::uint64_t slowest = 0;
      for (const auto& r : pub_.readers()) {
        if (!r.alive) continue;
        ++attached;
        slowest = std::max(slowest, published > r.cursor ? published - r.cursor : 0);
      }
      spdlog::info("published {} ticks, {:.0f} ticks/s, {} readers attached, slowest reader lag {} ticks{}",
                   published, rate, attached, slowest, paused ? " (paused)" : "");
    }
    last_stats_ns_ = now;
    last_published_ = published;
    next_stats_ = now + kNsPerSec;
  }

 private:
  bool damage_logged_ = false;
  Publisher& pub_;
  std::uint64_t next_stats_ = 0;
  std::uint64_t last_stats_ns_ = 0;
  std::uint64_t last_published_ = 0;
};

// Records every published tick to CSV (--record) and/or ITCH (--record-itch) as well; a separate type
// so the plain path pays nothing.
template <class Inner>
class RecordingSink {
 public:
  RecordingSink(Inner& inner, CsvRecorder* rec, ItchRecorder* itch) : inner_(inner), rec_(rec), itch_(itch) {}
  void publish(const TickRecord& t) {
    inner_.publish(t);
    if (rec_ != nullptr) rec_->write(t);
    if (itch_ != nullptr) itch_->write(t);
  }
  void wake_sleepers() noexcept { inner_.wake_sleepers(); }
  void maintain(std::uint64_t now, std::uint64_t published, bool paused) {
    inner_.maintain(now, published, paused);
  }

 private:
  Inner& inner_;
  CsvRecorder* rec_;
  ItchRecorder* itch_;
};

int usage_error(const std::string& message) {
  std::cerr << kProgram << ": " << message << "\n";
  return kExitUsage;
}

// --itch: pass one (scan) into `scan`, then the pass-two source over the --from/--to window.
Result<ItchReplaySource> open_itch(const Options& o, std::optional<ItchScan>& scan) {
  std::vector<std::string> only;
  if (!o.symbols.empty()) {
    auto list = parse_symbol_list(o.symbols);
    if (!list) return std::move(list).error();
    for (const auto& p : *list) only.push_back(p.name);
  }
  auto scanned = scan_itch(o.itch, only);
  if (!scanned) return std::move(scanned).error();
  scan.emplace(std::move(*scanned));
  ItchWindow window;
  std::string why;
  if (!o.itch_from.empty() && !parse_time_of_day(o.itch_from, window.from_ns, why)) {
    return make_error(Errc::kInvalidArgument, "--from " + why);
  }
  if (!o.itch_to.empty() && !parse_time_of_day(o.itch_to, window.to_ns, why)) {
    return make_error(Errc::kInvalidArgument, "--to " + why);
  }
  if (window.to_ns < window.from_ns) {
    return make_error(Errc::kInvalidArgument, "--to " + o.itch_to + " is before --from " + o.itch_from);
  }
  spdlog::info("replaying ITCH {}: {} messages {} to {}, {} of {} stocks, speed {}", o.itch, scan->messages,
               format_time_of_day(scan->first_ts), format_time_of_day(scan->last_ts), scan->stocks.size(),
               scan->locates.size(), o.speed == 0 ? std::string("max") : fmt::format("x{:g}", o.speed));
  if (scan->zero_prefix) {
    spdlog::warn("{}: zero length prefixes: each such message's length comes from its type (ITCH 5.0 spec)",
                 o.itch);
  }
  return ItchReplaySource::open(o.itch, *scan, window);
}

template <class Source>
LoopResult run_with(Source& source, Publisher& pub, CsvRecorder* rec, ItchRecorder* itch, Pacer& pacer,
                    const LoopLimits& limits, const std::atomic<bool>& stop) {
  RealClock clock;
  PublisherSink sink(pub);
  if (rec != nullptr || itch != nullptr) {
    RecordingSink<PublisherSink> recording(sink, rec, itch);
    return run_loop(clock, source, recording, pacer, limits, stop, &g_pause);
  }
  return run_loop(clock, source, sink, pacer, limits, stop, &g_pause);
}

}  // namespace

Result<std::vector<SymbolParams>> universe_from(const Options& o) {
  if (!o.symbols.empty()) return parse_symbol_list(o.symbols);
  if (!o.symbols_file.empty()) return load_symbols_file(o.symbols_file);
  if (o.num_symbols > 0) return generated_universe(o.num_symbols);
  return default_universe();
}

std::vector<SymbolSpec> symbol_specs(const std::vector<SymbolParams>& params) {
  std::vector<SymbolSpec> out;
  out.reserve(params.size());
  for (const auto& p : params) {
    const auto tick = static_cast<double>(p.tick_size);
    const double units = std::round(p.price * static_cast<double>(kPriceScale) / tick) * tick;
    out.push_back({p.name, static_cast<std::int64_t>(units), p.tick_size});
  }
  return out;
}

// --facts FILE: the stylized-facts report of a recording; no segment, no loop.
int run_facts(const Options& o) {
  auto facts = compute_facts(o.facts);
  if (!facts) return usage_error(facts.error().message);
  const std::string text = o.facts_json ? facts_json(*facts) : facts_table(*facts);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return kExitOk;
}

MarketConfig market_config_from(const Options& o) {
  MarketConfig m = o.market;
  m.sim.seed = o.seed;
  m.sim.market_weight = o.market_weight;
  m.sim.trade_ratio = o.trade_ratio;
  m.sim.jumps_per_session = o.jumps_per_session;
  m.sim.jump_size = o.jump_size;
  m.sim.session_ticks = o.session_ticks;
  return m;
}

int run_feed(const Options& o) {
  if (!o.facts.empty()) return run_facts(o);
  // Signals first: a SIGTERM during creation must mean "clean shutdown", not default death.
  const std::atomic<bool>& stop = install_stop_signals();
  install_pause_signal();

  PublisherOptions po;
  po.segment = o.common.segment;
  po.ring_capacity = o.ring_capacity;
  po.mode = o.mode;
  po.verify = o.verify;

  std::optional<Simulator> sim;
  std::optional<MarketModel> market;
  std::optional<ReplaySource> replay;
  std::vector<std::string> names;
  std::optional<ItchScan> itch_scan;
  std::optional<ItchReplaySource> itch;
  if (!o.itch.empty()) {
    auto opened = open_itch(o, itch_scan);  // pass one checks the whole file before any segment exists
    if (!opened) return usage_error(opened.error().message);
    for (const auto& s : itch_scan->stocks) {
      po.symbols.push_back({s.name, s.reference_price, s.tick_size});
      names.push_back(s.name);
    }
    itch.emplace(std::move(*opened));
  } else if (!o.replay.empty()) {
    // Pass one validates the whole file before any segment exists: a bad file creates nothing.
    std::size_t warned = 0;
    const auto policy = o.on_bad_row == "skip" ? BadRowPolicy::kSkip : BadRowPolicy::kFail;
    auto scan = scan_replay(o.replay, policy, [&](const std::string& msg) {
      if (warned++ < kMaxSkipWarnings) spdlog::warn("{} (row skipped)", msg);
    });
    if (!scan) return usage_error(scan.error().message);
    if (scan->bad_rows > 0) spdlog::warn("{}: skipped {} bad rows in all", o.replay, scan->bad_rows);
    for (const auto& s : scan->symbols) {
      po.symbols.push_back({s.name, s.reference_price, s.tick_size});
      names.push_back(s.name);
    }
    auto src = ReplaySource::open(o.replay, *scan);
    if (!src) return usage_error(src.error().message);
    replay.emplace(std::move(*src));
    spdlog::info("replaying {}: {} rows, {} symbols, speed {}", o.replay, scan->rows, scan->symbols.size(),
                 o.speed == 0 ? std::string("max") : fmt::format("{:g}", o.speed));
  } else {
    auto universe = universe_from(o);
    if (!universe) return usage_error(universe.error().message);
    po.symbols = symbol_specs(*universe);
    for (const auto& p : *universe) names.push_back(p.name);
    SimConfig cfg;
    cfg.seed = o.seed;
    cfg.market_weight = o.market_weight;
    cfg.trade_ratio = o.trade_ratio;
    cfg.jumps_per_session = o.jumps_per_session;
    cfg.jump_size = o.jump_size;
    cfg.session_ticks = o.session_ticks;
    if (o.model == "gbm") {
      sim.emplace(std::move(*universe), cfg);
    } else {
      market.emplace(std::move(*universe), market_config_from(o));
    }
  }

  auto created = Publisher::create(po);
  if (!created) {
    const Error& e = created.error();
    std::cerr << kProgram << ": " << e.message << "\n";
    return e.code == Errc::kAlreadyRunning || e.code == Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  Publisher& pub = *created;
  pub.keep_segments(o.keep);

  std::optional<CsvRecorder> recorder;
  if (!o.record.empty()) {
    const std::string comment = replay ? "recorded by tickshm-feed from " + o.replay
                                       : "recorded by tickshm-feed --model " + o.model + " --seed " +
                                             std::to_string(o.seed) + " (" + std::to_string(names.size()) +
                                             " symbols); columns in docs/FEED.md";
    auto rec = CsvRecorder::open(o.record, names, comment);
    if (!rec) return usage_error(rec.error().message);
    recorder.emplace(std::move(*rec));
  }

  std::optional<ItchRecorder> itch_recorder;
  if (!o.record_itch.empty()) {
    auto rec = ItchRecorder::open(o.record_itch, names);
    if (!rec) return usage_error(rec.error().message);
    itch_recorder.emplace(std::move(*rec));
  }

  Pacer pacer = (replay || itch) ? (o.speed == 0 ? Pacer::unlimited() : Pacer::timestamps(o.speed))
                                 : (o.rate == 0 ? Pacer::unlimited() : Pacer::rate(o.rate));
  LoopLimits limits;
  limits.count = o.count;
  limits.duration_ns = static_cast<std::uint64_t>(std::llround(o.duration_s * 1e9));

  spdlog::info("feed '{}' live: {} symbols, ring {} ticks, epoch {:#x}, rate {}{}{}", pub.segment(),
               pub.symbol_count(), o.ring_capacity, pub.epoch(),
               (replay || itch) ? (o.speed == 0 ? std::string("max") : fmt::format("x{:g}", o.speed))
                                : (o.rate == 0 ? std::string("max") : fmt::format("{:g}", o.rate)),
               (replay || itch) ? "" : ", model " + o.model + ", seed " + std::to_string(o.seed),
               o.verify ? ", verify on" : "");

  CsvRecorder* rec = recorder ? &*recorder : nullptr;
  ItchRecorder* irec = itch_recorder ? &*itch_recorder : nullptr;
  const LoopResult res = itch     ? run_with(*itch, pub, rec, irec, pacer, limits, stop)
                         : replay ? run_with(*replay, pub, rec, irec, pacer, limits, stop)
                         : market ? run_with(*market, pub, rec, irec, pacer, limits, stop)
                                  : run_with(*sim, pub, rec, irec, pacer, limits, stop);

  const std::string segment = pub.segment();
  pub.close();  // state closed, sleepers woken, segments unlinked unless --keep
  int rc = kExitOk;
  if (recorder) {
    if (auto st = recorder->close(); !st) {
      std::cerr << kProgram << ": " << st.error().message << "\n";
      rc = kExitFailure;
    }
  }
  if (itch_recorder) {
    if (auto st = itch_recorder->close(); !st) {
      std::cerr << kProgram << ": " << st.error().message << "\n";
      rc = kExitFailure;
    }
  }
  if (itch) {
    for (const auto& line : itch->report(*itch_scan)) spdlog::info("{}", line);
    if (!itch->error().empty()) {
      std::cerr << kProgram << ": " << itch->error() << "\n";
      rc = kExitFailure;
    }
  }
  const double secs = static_cast<double>(res.end_ns - res.start_ns) / 1e9;
  const double rate = secs > 0 ? static_cast<double>(res.published) / secs : 0;
  std::printf("%s: published %llu ticks in %.3f s, rate %.0f ticks/s (stopped by %s; segment %s%s)\n",
              kProgram, static_cast<unsigned long long>(res.published), secs, rate,
              stop_reason_name(res.reason), segment.c_str(), o.keep ? ", kept" : ", unlinked");
  std::fflush(stdout);
  return rc;
}

}  // namespace tickshm::feed
