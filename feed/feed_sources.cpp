// Opening tickshm-feed's source: the ITCH and CSV replays (each scanned whole first) or a simulated
// universe for the GBM simulator or the market model.
#include "feed_sources.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tickshm::feed {

namespace {

constexpr std::size_t kMaxSkipWarnings = 20;  // a file full of bad rows must not flood the log

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
    return make_error(Errc::kInvalidArgument,
                      fmt::format("--to {} is before --from {}", o.itch_to, o.itch_from));
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

Status open_itch_source(const Options& o, FeedSources& out) {
  auto opened = open_itch(o, out.itch_scan);  // pass one checks the whole file before any segment exists
  if (!opened) return std::move(opened).error();
  for (const auto& s : out.itch_scan->stocks) {
    out.symbols.push_back({s.name, s.reference_price, s.tick_size});
    out.names.push_back(s.name);
  }
  out.itch.emplace(std::move(*opened));
  return ok_status();
}

Status open_csv_source(const Options& o, FeedSources& out) {
  // Pass one validates the whole file before any segment exists: a bad file creates nothing.
  std::size_t warned = 0;
  const auto policy = o.on_bad_row == "skip" ? BadRowPolicy::kSkip : BadRowPolicy::kFail;
  auto scan = scan_replay(o.replay, policy, [&](const std::string& msg) {
    if (warned++ < kMaxSkipWarnings) spdlog::warn("{} (row skipped)", msg);
  });
  if (!scan) return std::move(scan).error();
  if (scan->bad_rows > 0) spdlog::warn("{}: skipped {} bad rows in all", o.replay, scan->bad_rows);
  for (const auto& s : scan->symbols) {
    out.symbols.push_back({s.name, s.reference_price, s.tick_size});
    out.names.push_back(s.name);
  }
  auto src = ReplaySource::open(o.replay, *scan);
  if (!src) return std::move(src).error();
  out.replay.emplace(std::move(*src));
  spdlog::info("replaying {}: {} rows, {} symbols, speed {}", o.replay, scan->rows, scan->symbols.size(),
               o.speed == 0 ? std::string("max") : fmt::format("{:g}", o.speed));
  return ok_status();
}

// The flags both models share, over `base` (the GBM simulator's defaults, or the market model's own).
SimConfig with_sim_flags(const Options& o, SimConfig base) {
  base.seed = o.seed;
  base.market_weight = o.market_weight;
  base.trade_ratio = o.trade_ratio;
  base.jumps_per_session = o.jumps_per_session;
  base.jump_size = o.jump_size;
  base.session_ticks = o.session_ticks;
  return base;
}

Status open_simulated_source(const Options& o, FeedSources& out) {
  auto universe = universe_from(o);
  if (!universe) return std::move(universe).error();
  out.symbols = symbol_specs(*universe);
  for (const auto& p : *universe) out.names.push_back(p.name);
  if (o.model == "gbm") {
    out.sim.emplace(std::move(*universe), with_sim_flags(o, SimConfig{}));
  } else {
    MarketConfig m = o.market;
    m.sim = with_sim_flags(o, m.sim);
    out.market.emplace(std::move(*universe), m);
  }
  return ok_status();
}

}  // namespace

Status open_sources(const Options& o, FeedSources& out) {
  if (!o.itch.empty()) return open_itch_source(o, out);
  if (!o.replay.empty()) return open_csv_source(o, out);
  return open_simulated_source(o, out);
}

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

}  // namespace tickshm::feed
