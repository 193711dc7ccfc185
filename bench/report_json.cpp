// The --json document of a tickshm-bench run: every figure, machine-readable.
#include <algorithm>

#include "report.hpp"
#include "tickshm/json_out.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::bench {

namespace {

Json latency_json(const LatencySummary& s) {
  return {{"p50_ns", s.p50_ns},
          {"p99_ns", s.p99_ns},
          {"p999_ns", s.p999_ns},
          {"max_ns", s.max_ns},
          {"count", s.count}};
}

}  // namespace

std::string to_json(const Report& r, const std::vector<Ratio>& ratios) {
  Json j;
  j["schema_version"] = kBenchSchemaVersion;
  j["tool"] = "tickshm-bench";
  j["machine"] = {{"date", r.machine.date},
                  {"cpu_model", r.machine.cpu_model},
                  {"online_cpus", r.machine.online_cpus},
                  {"kernel", r.machine.kernel}};
  Json reader_cpus = Json::array();
  for (std::size_t i = 0;
       i < std::max<std::size_t>(1, r.config.cpus.cpus.size() - (r.config.cpus.cpus.empty() ? 0 : 1)); ++i) {
    reader_cpus.push_back(r.config.cpus.reader(i));
  }
  j["config"] = {{"rate", r.config.rate},
                 {"latency_count", r.config.latency_count()},
                 {"throughput_seconds", r.config.throughput_s},
                 {"ring_capacity", r.config.ring_capacity},
                 {"symbols", r.config.symbols},
                 {"writer_cpu", r.config.cpus.writer()},
                 {"realtime", realtime()},
                 {"prefault", r.config.prefault},
                 {"adaptive_spin_ns", r.config.spin_ns},
                 {"wake_rate", r.config.wake_rate},
                 {"reader_cpus", std::move(reader_cpus)}};
  j["floor"] = nullptr;
  if (r.floor) {
    j["floor"] = {{"ok", r.floor->ok},
                  {"error", r.floor->error},
                  {"one_way", latency_json(r.floor->one_way)},
                  {"bare_ring", latency_json(r.floor->bare_ring)},
                  {"bare_ring_lost", r.floor->bare_ring_lost},
                  {"cpu_away_percent", r.floor->cpu_away_percent},
                  {"cpu_gaps", r.floor->cpu_gaps},
                  {"cpu_longest_gap_ns", r.floor->cpu_longest_gap_ns}};
  }
  j["floor_bracket"] = nullptr;
  if (r.floor_bracket) {
    const FloorBracket& f = *r.floor_bracket;
    j["floor_bracket"] = {{"before_p50_ns", f.before_p50_ns},
                          {"after_p50_ns", f.after_p50_ns},
                          {"floor_p50_ns", f.floor_p50_ns()},
                          {"attempts", f.attempts},
                          {"agreed", f.agreed}};
  }
  Json& runs = j["runs"] = Json::array();
  for (const auto& o : r.runs) {
    Json percentiles = Json::array();
    for (const auto& [q, ns] : o.percentiles) percentiles.push_back(Json::array({q, ns}));
    Json per_reader = Json::array();
    for (const auto& f : o.per_reader) {
      per_reader.push_back({{"received", f.received},
                            {"lost", f.lost},
                            {"mismatches", f.mismatches},
                            {"rate_per_s", f.rate_per_s},
                            {"minor_faults", f.minor_faults},
                            {"latency", latency_json(f.latency)},
                            {"latency_corrected", latency_json(f.latency_corrected)}});
    }
    runs.push_back({{"name", o.name},
                    {"transport", transport_name(o.transport)},
                    {"wait", o.transport == Transport::kTickshm ? wait_name(o.wait)
                             : spins(o.transport, o.wait)       ? "spin"
                                                                : "block"},
                    {"mode", mode_name(o.mode)},
                    {"readers", o.readers},
                    {"ok", o.ok},
                    {"skipped", o.skipped},
                    {"error", o.error},
                    {"published", o.published},
                    {"writer_seconds", o.writer_seconds},
                    {"writer_rate_per_s", o.writer_rate_per_s},
                    {"slowest_rate_per_s", o.slowest_rate_per_s},
                    {"lost_total", o.lost_total},
                    {"writer_minor_faults", o.writer_minor_faults},
                    {"latency", latency_json(o.latency)},
                    {"latency_corrected", latency_json(o.latency_corrected)},
                    {"percentiles", std::move(percentiles)},
                    {"per_reader", std::move(per_reader)}});
  }
  j["lossless"] = nullptr;
  if (r.lossless) {
    const LosslessOutcome& l = *r.lossless;
    Json trials = Json::array();
    for (const auto& t : l.trials) {
      const bool one = t.run.per_reader.size() == 1;
      trials.push_back({{"offered_per_s", t.offered_per_s},
                        {"ok", t.run.ok},
                        {"error", t.run.error},
                        {"published", t.run.published},
                        {"writer_rate_per_s", t.run.writer_rate_per_s},
                        {"delivered_per_s", t.run.slowest_rate_per_s},
                        {"received", one ? t.run.per_reader[0].received : 0},
                        {"lost", t.run.lost_total}});
    }
    j["lossless"] = {{"ok", l.ok},
                     {"error", l.error},
                     {"flat_out_lossless", l.flat_out_lossless},
                     {"rate_per_s", l.rate_per_s},
                     {"trials", std::move(trials)}};
  }
  j["idle"] = nullptr;
  if (r.idle) {
    j["idle"] = {{"ok", r.idle->ok},
                 {"error", r.idle->error},
                 {"seconds", r.idle->seconds},
                 {"block_cpu_percent", r.idle->block_cpu_percent},
                 {"adaptive_cpu_percent", r.idle->adaptive_cpu_percent}};
  }
  // The fields every writer-cost entry has, flat out or with N readers asleep.
  auto cost_json = [](const auto& wc) {
    return Json{{"ok", wc.ok},
                {"error", wc.error},
                {"published", wc.published},
                {"ns_per_tick", wc.ns_per_tick},
                {"round_ns_per_tick", wc.round_ns},
                {"reader_received", wc.reader_received},
                {"reader_lost", wc.reader_lost}};
  };
  Json& cost = j["writer_cost"] = Json::array();
  for (const auto& wc : r.writer_cost) {
    Json e{{"readers", cost_readers_name(wc.readers)}};
    e.update(cost_json(wc));
    cost.push_back(std::move(e));
  }
  Json& cost_scaling = j["writer_cost_scaling"] = Json::array();
  for (const auto& wc : r.writer_cost_scaling) {
    Json e{{"readers", wc.count},
           {"wake", wake_mode_name(wc.wake)},
           {"asleep_per_tick", wc.asleep_per_tick},
           {"reader_p50_ns", wc.reader_p50_ns},
           {"reader_p99_ns", wc.reader_p99_ns}};
    e.update(cost_json(wc));
    cost_scaling.push_back(std::move(e));
  }
  Json& symbol_scaling = j["symbol_scaling"] = Json::array();
  for (const auto& sc : r.symbol_scaling) {
    symbol_scaling.push_back({{"symbols", sc.symbols},
                              {"ok", sc.ok},
                              {"error", sc.error},
                              {"feed_rate_per_s", sc.feed.rate_per_s},
                              {"feed_run_rates_per_s", sc.feed.run_rates},
                              {"dash_seconds", sc.dash_seconds},
                              {"dash_cpu_percent", sc.dash_cpu_percent},
                              {"stat_cpu_ms", sc.stat_cpu_ms},
                              {"stat_wall_ms", sc.stat_wall_ms}});
  }
  j["feed"] = nullptr;
  if (r.feed) {
    j["feed"] = {{"ok", r.feed->ok},
                 {"error", r.feed->error},
                 {"binary", r.feed->binary},
                 {"count", r.feed->count},
                 {"rate_per_s", r.feed->rate_per_s},
                 {"summary", r.feed->summary},
                 {"run_rates_per_s", r.feed->run_rates}};
  }
  Json& out = j["ratios"] = Json::array();
  for (const auto& x : ratios) {
    out.push_back({{"id", x.id},
                   {"what", x.what},
                   {"available", x.available},
                   {"value", x.available ? Json(x.value) : Json(nullptr)},
                   {"unit", x.unit},
                   {"target", std::string(x.at_most ? "<= " : ">= ") + std::to_string(x.bound)},
                   {"met", x.available && x.met}});
  }
  return dump_json(j, true) + "\n";
}

}  // namespace tickshm::bench
