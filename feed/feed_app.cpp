// tickshm-feed's body: the source, segment creation, signals, the publishing loop, recorders, summary.
#include "feed_app.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "csv_recorder.hpp"
#include "facts.hpp"
#include "feed_loop.hpp"
#include "feed_sources.hpp"
#include "itch_recorder.hpp"
#include "pause_signal.hpp"
#include "publisher_sink.hpp"

namespace tickshm::feed {

namespace {

constexpr const char* kProgram = "tickshm-feed";

int usage_error(const std::string& message) {
  std::cerr << kProgram << ": " << message << "\n";
  return kExitUsage;
}

template <class Source>
LoopResult run_with(Source& source, Publisher& pub, CsvRecorder* rec, ItchRecorder* itch, Pacer& pacer,
                    const LoopLimits& limits, const std::atomic<bool>& stop, const std::atomic<bool>& pause) {
  RealClock clock;
  PublisherSink sink(pub);
  if (rec != nullptr || itch != nullptr) {
    RecordingSink<PublisherSink> recording(sink, rec, itch);
    return run_loop(clock, source, recording, pacer, limits, stop, &pause);
  }
  return run_loop(clock, source, sink, pacer, limits, stop, &pause);
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

// The text after "rate" in the "live" log line: ticks per second, or the replay's speed.
std::string pace_text(const Options& o, bool replaying) {
  if (replaying) return o.speed == 0 ? std::string("max") : fmt::format("x{:g}", o.speed);
  return o.rate == 0 ? std::string("max") : fmt::format("{:g}", o.rate);
}

}  // namespace

int run_feed(const Options& o) {
  if (!o.facts.empty()) return run_facts(o);
  // Signals first: a SIGTERM during creation must mean "clean shutdown", not default death.
  const std::atomic<bool>& stop = install_stop_signals();
  const std::atomic<bool>& pause = install_pause_signal();

  FeedSources src;
  if (auto st = open_sources(o, src); !st) return usage_error(st.error().message);

  PublisherOptions po;
  po.segment = o.common.segment;
  po.ring_capacity = o.ring_capacity;
  po.mode = o.mode;
  po.verify = o.verify;
  po.symbols = src.symbols;
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
    const std::string comment =
        src.replay
            ? "recorded by tickshm-feed from " + o.replay
            : fmt::format(
                  "recorded by tickshm-feed --model {} --seed {} ({} symbols); columns in docs/FEED.md",
                  o.model, o.seed, src.names.size());
    auto rec = CsvRecorder::open(o.record, src.names, comment);
    if (!rec) return usage_error(rec.error().message);
    recorder.emplace(std::move(*rec));
  }

  std::optional<ItchRecorder> itch_recorder;
  if (!o.record_itch.empty()) {
    auto rec = ItchRecorder::open(o.record_itch, src.names);
    if (!rec) return usage_error(rec.error().message);
    itch_recorder.emplace(std::move(*rec));
  }

  const bool replaying = src.replaying();
  Pacer pacer = replaying ? (o.speed == 0 ? Pacer::unlimited() : Pacer::timestamps(o.speed))
                          : (o.rate == 0 ? Pacer::unlimited() : Pacer::rate(o.rate));
  LoopLimits limits;
  limits.count = o.count;
  limits.duration_ns = static_cast<std::uint64_t>(std::llround(o.duration_s * 1e9));

  spdlog::info("feed '{}' live: {} symbols, ring {} ticks, epoch {:#x}, rate {}{}{}", pub.segment(),
               pub.symbol_count(), o.ring_capacity, pub.epoch(), pace_text(o, replaying),
               replaying ? "" : fmt::format(", model {}, seed {}", o.model, o.seed),
               o.verify ? ", verify on" : "");

  CsvRecorder* rec = recorder ? &*recorder : nullptr;
  ItchRecorder* irec = itch_recorder ? &*itch_recorder : nullptr;
  const LoopResult res = src.itch     ? run_with(*src.itch, pub, rec, irec, pacer, limits, stop, pause)
                         : src.replay ? run_with(*src.replay, pub, rec, irec, pacer, limits, stop, pause)
                         : src.market ? run_with(*src.market, pub, rec, irec, pacer, limits, stop, pause)
                                      : run_with(*src.sim, pub, rec, irec, pacer, limits, stop, pause);

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
  if (src.itch) {
    for (const auto& line : src.itch->report(*src.itch_scan)) spdlog::info("{}", line);
    if (!src.itch->error().empty()) {
      std::cerr << kProgram << ": " << src.itch->error() << "\n";
      rc = kExitFailure;
    }
  }
  const double secs = static_cast<double>(res.end_ns - res.start_ns) / 1e9;
  const double rate = secs > 0 ? static_cast<double>(res.published) / secs : 0;
  fmt::print("{}: published {} ticks in {:.3f} s, rate {:.0f} ticks/s (stopped by {}; segment {}{})\n",
             kProgram, res.published, secs, rate, stop_reason_name(res.reason), segment,
             o.keep ? ", kept" : ", unlinked");
  std::fflush(stdout);
  return rc;
}

}  // namespace tickshm::feed
