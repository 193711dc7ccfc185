// Printing the run's summary (see report.hpp).
#include "report.hpp"

#include <fmt/format.h>

#include <iterator>

#include "tickshm/format.hpp"
#include "tickshm/json_out.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/money.hpp"

namespace tickshm::algo {

void add_engine(RunReport& r, const Engine& e) {
  r.counters = e.counters();
  r.halted = e.halted();
  r.realized = e.realized();
  r.unrealized = e.unrealized();
  r.total_pnl = e.total_pnl();
  r.commissions = e.commissions();
  r.gross_exposure = e.gross_exposure();
  r.net_exposure = e.net_exposure();
  r.max_drawdown = e.risk().max_drawdown();
  r.positions.clear();
  for (const auto& b : e.books()) {
    r.positions.push_back(PositionReport{b.name, b.book.position(), b.book.avg_cost(), b.book.last_mark(),
                                         b.book.realized(), b.book.unrealized(), b.orders, b.fills});
  }
}

namespace {

std::string us(std::uint64_t ns) {
  return fmt::format("{:.1f}", static_cast<double>(ns) / 1e3);
}

std::string latency_line(const char* what, const LatencySummary& s) {
  return fmt::format("{}: p50 {} us, p99 {} us, p99.9 {} us, max {} us ({} ticks)\n", what, us(s.p50_ns),
                     us(s.p99_ns), us(s.p999_ns), us(s.max_ns), s.count);
}

Json latency_json(const LatencySummary& s) {
  return {{"count", s.count},
          {"p50_ns", s.p50_ns},
          {"p99_ns", s.p99_ns},
          {"p999_ns", s.p999_ns},
          {"max_ns", s.max_ns}};
}

}  // namespace

std::string summary_text(const RunReport& r) {
  const EngineCounters& c = r.counters;
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out, "tickshm-algo {} ({} {}) on feed {}: {} epoch(s), {:.1f} s\n", r.name, r.strategy,
                 r.params, r.feed, r.epochs.size(), r.elapsed_s);
  fmt::format_to(out, "ticks: received {}, lost {}", r.received, r.lost);
  if (r.verify) fmt::format_to(out, ", checksum mismatches {}", r.verify_errors);
  if (c.bad_ticks > 0) {
    fmt::format_to(out, ", refused as nonsense {} (", c.bad_ticks);
    const char* sep = "";
    for (std::size_t k = 1; k < kBadTickKinds; ++k) {
      if (c.bad_by[k] == 0) continue;
      fmt::format_to(out, "{}{} {}", sep, bad_tick_name(static_cast<BadTick>(k)), c.bad_by[k]);
      sep = ", ";
    }
    s += ")";
  }
  fmt::format_to(out, "\norders {}, fills {}, rejects {}", c.orders, c.fills, c.rejects);
  if (c.rejects > 0) {
    const char* sep = " (";
    for (std::size_t k = 1; k < kRejectKinds; ++k) {
      if (c.rejects_by[k] == 0) continue;
      fmt::format_to(out, "{}{} {}", sep, reject_name(static_cast<Reject>(k)), c.rejects_by[k]);
      sep = ", ";
    }
    s += ")";
  }
  fmt::format_to(out, "\nP&L: realized {}, unrealized {}, total {} (commissions {}, max drawdown {})\n",
                 format_amount(r.realized), format_amount(r.unrealized), format_amount(r.total_pnl),
                 format_amount(r.commissions), format_amount(r.max_drawdown));
  if (r.halted) fmt::format_to(out, "HALTED: {}\n", r.halt_reason);
  s += latency_line("publish->read", r.read);
  s += latency_line("publish->decision", r.decide);
  return s;
}

std::string report_json(const RunReport& r) {
  const EngineCounters& c = r.counters;
  Json bad_by = Json::object();
  for (std::size_t k = 1; k < kBadTickKinds; ++k)
    bad_by[std::string(bad_tick_name(static_cast<BadTick>(k)))] = c.bad_by[k];
  Json epochs = Json::array();
  for (const auto& e : r.epochs) {
    epochs.push_back({{"epoch", format_hex64(e.epoch)},
                      {"joined_at", e.joined_at},
                      {"received", e.received},
                      {"lost", e.lost}});
  }
  Json rejects_by = Json::object();
  for (std::size_t k = 1; k < kRejectKinds; ++k)
    rejects_by[reject_name(static_cast<Reject>(k))] = c.rejects_by[k];
  Json positions = Json::array();
  for (const auto& p : r.positions) {
    positions.push_back({{"symbol", p.symbol},
                         {"position", p.position},
                         {"avg_cost", p.avg_cost},
                         {"mark", p.mark},
                         {"realized", p.realized},
                         {"unrealized", p.unrealized},
                         {"orders", p.orders},
                         {"fills", p.fills}});
  }
  const Json j = {
      {"schema_version", kReportSchemaVersion},
      {"name", r.name},
      {"strategy", r.strategy},
      {"params", r.params},
      {"feed", r.feed},
      {"wait", r.wait},
      {"elapsed_s", r.elapsed_s},
      {"price_scale", kPriceScale},
      {"ticks",
       {{"received", r.received},
        {"lost", r.lost},
        {"verify", r.verify},
        {"verify_errors", r.verify_errors},
        {"bad", c.bad_ticks},
        {"bad_by", std::move(bad_by)}}},
      {"epochs", std::move(epochs)},
      {"orders",
       {{"signals", c.signals},
        {"sent", c.orders},
        {"fills", c.fills},
        {"rejects", c.rejects},
        {"rejects_by", std::move(rejects_by)}}},
      {"risk", {{"halted", r.halted}, {"halt_reason", r.halt_reason}, {"max_drawdown", r.max_drawdown}}},
      {"pnl",
       {{"realized", r.realized},
        {"unrealized", r.unrealized},
        {"total", r.total_pnl},
        {"commissions", r.commissions},
        {"gross_exposure", r.gross_exposure},
        {"net_exposure", r.net_exposure}}},
      {"latency",
       {{"publish_to_read", latency_json(r.read)}, {"publish_to_decision", latency_json(r.decide)}}},
      {"positions", std::move(positions)}};
  return dump_json(j, true) + "\n";
}

}  // namespace tickshm::algo
