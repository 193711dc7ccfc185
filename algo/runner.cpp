// tickshm-algo's run loop and its bookkeeping: epochs, the kill switch's message, bad-tick logs,
// the status segment, and the end-of-run summary and reports.
#include "runner.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>

#include <fmt/format.h>

#include "pnl_svg.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"

namespace tickshm::algo {
namespace {

std::vector<SymbolInfo> directory_of(const DataView& data) {
  std::vector<SymbolInfo> dir;
  for (const SymbolEntry& e : data.symbols()) {
    SymbolInfo s;
    s.name.assign(e.name, strnlen(e.name, sizeof e.name));
    s.tick_size = e.tick_size;
    dir.push_back(std::move(s));
  }
  return dir;
}

}  // namespace

Runner::Runner(const Options& o, const ResolvedOptions& r, Subscriber sub, AlgoStatusWriter status)
    : opts_(o),
      res_(r),
      sub_(std::move(sub)),
      status_(std::move(status)),
      engine_(r.engine, r.strategy->make()) {
  positions_.reserve(status_.position_capacity());
  fills_.reserve(kAlgoFillCapacity);
  pnl_out_.reserve(kAlgoPnlCapacity);
}

int Runner::run(const std::atomic<bool>& stop) {
  const std::uint64_t start = now_ns();
  const std::uint64_t end = res_.duration_ns ? start + res_.duration_ns : UINT64_MAX;
  const std::uint64_t interval = std::uint64_t{opts_.status_interval_ms} * kNsPerMs;
  std::uint64_t next_status = start;
  TickRecord t{};
  while (!stop.load(std::memory_order_relaxed)) {
    const auto r = sub_.next(t, std::min(next_status, end));
    if (r == Subscriber::Next::kStopped) break;
    std::uint64_t now = now_ns();
    // Attached to a new epoch (first feed, or a restart): rebuild per-epoch state before its ticks.
    if (sub_.epochs_seen() != epochs_seen_) on_new_epoch();
    // Ticks that failed --verify are never handed out (nor traded); they count towards the burst.
    if (const std::uint64_t ve = sub_.verify_errors(); ve != verify_seen_) {
      engine_.on_unverified(ve - verify_seen_, now);
      verify_seen_ = ve;
      if (engine_.take_halt_event()) on_halt();
    }
    if (r == Subscriber::Next::kTick) {
      const std::uint64_t read_ns = now;
      engine_.on_tick(t, t.seq, read_ns);  // next() leaves the tick's sequence number in seq
      now = now_ns();
      // publish_ns comes from another process: clamp instead of wrapping if it is ahead of us.
      sub_.record_latency(read_ns > t.publish_ns ? read_ns - t.publish_ns : 0);
      decide_.record(now > t.publish_ns ? now - t.publish_ns : 0);
      if (engine_.take_halt_event()) on_halt();
    }
    if (pnl_.due(now)) pnl_.take(now, engine_);
    if (now >= next_status) {
      log_bad_ticks(now);
      publish_status(now);
      next_status = now + interval;
    }
    if (now >= end) break;
  }
  elapsed_s_ = static_cast<double>(now_ns() - start) / 1e9;
  pnl_.take(now_ns(), engine_);  // the curve ends on the final figures, those of the report
  next_bad_log_ = 0;
  log_bad_ticks(now_ns());
  publish_status(now_ns());
  sub_.flush_stats();
  return finish();
}

void Runner::on_new_epoch() {
  // Close the previous epoch's account: the subscriber's totals minus what earlier epochs took.
  if (!epochs_.empty()) {
    EpochReport& prev = epochs_.back();
    prev.received = sub_.total_received() - sub_.received() - closed_received_;
    prev.lost = sub_.total_lost() - sub_.lost() - closed_lost_;
    closed_received_ += prev.received;
    closed_lost_ += prev.lost;
  }
  epochs_seen_ = sub_.epochs_seen();
  epoch_ = sub_.epoch();
  epochs_.push_back(EpochReport{epoch_, sub_.joined_at(), 0, 0});
  const DataView* data = sub_.data();
  const auto missing = engine_.attach(data ? directory_of(*data) : std::vector<SymbolInfo>{});
  spdlog::info("trading epoch {:016x}: {} symbols in the feed, {} traded, reading from tick {}", epoch_,
               data ? data->symbol_count() : 0, engine_.books().size(), sub_.joined_at());
  for (const auto& m : missing)
    spdlog::warn("symbol {} (--symbols) is not in feed {}", m, opts_.common.segment);
  if (engine_.books().size() > status_.position_capacity())
    spdlog::warn("{} symbols traded but the status segment holds {}: the rest are not shown there",
                 engine_.books().size(), status_.position_capacity());
}

void Runner::on_halt() {
  const auto& risk = engine_.risk();
  if (risk.halt_cause() == HaltCause::kBadTicks) {
    halt_reason_ = fmt::format(
        "{} bad ticks within one second reached --max-bad-ticks-per-sec ({} refused as nonsense, {} failed "
        "--verify so far): new orders halted",
        risk.limits().max_bad_ticks_per_sec, engine_.counters().bad_ticks, sub_.verify_errors());
  } else {
    halt_reason_ = fmt::format("drawdown {} reached --max-drawdown {} (peak P&L {}): new orders halted",
                               format_amount(risk.drawdown()), format_amount(risk.limits().max_drawdown),
                               format_amount(risk.peak()));
  }
  spdlog::error("KILL SWITCH: {}", halt_reason_);
}

void Runner::log_bad_ticks(std::uint64_t now) {
  const std::uint64_t bad = engine_.counters().bad_ticks, unverified = sub_.verify_errors();
  if ((bad == bad_logged_ && unverified == unverified_logged_) || now < next_bad_log_) return;
  const BadTickRecord& b = engine_.last_bad_tick();
  std::string last;
  if (bad != bad_logged_) {
    const DataView* data = sub_.data();
    const std::string sym = data ? data->symbol_name(b.symbol) : std::string();
    last = fmt::format(
        "; newest: tick {} of {}, {} (bid {}, ask {}, trade {}{})", b.seq, sym.empty() ? "?" : sym,
        bad_tick_name(b.kind), format_amount(b.bid), format_amount(b.ask), format_amount(b.price),
        b.kind == BadTick::kJump ? ", last accepted " + format_amount(b.reference) : std::string());
  }
  spdlog::warn(
      "refused {} tick(s) as nonsense and {} that failed --verify since the last report (in all {} "
      "and {}){}",
      bad - bad_logged_, unverified - unverified_logged_, bad, unverified, last);
  bad_logged_ = bad;
  unverified_logged_ = unverified;
  next_bad_log_ = now + kNsPerSec;
}

void Runner::publish_status(std::uint64_t now) {
  AlgoTotals totals{};
  engine_.fill_status(totals, positions_);
  totals.ticks = sub_.total_received();
  totals.lost = sub_.total_lost();
  totals.verify_errors = sub_.verify_errors();
  totals.feed_epoch = epoch_;
  totals.updated_ns = now;
  const LatencySummary rd = summarize(sub_.histogram()), dc = summarize(decide_);
  totals.read_p50_ns = rd.p50_ns;
  totals.read_p99_ns = rd.p99_ns;
  totals.read_p999_ns = rd.p999_ns;
  totals.read_max_ns = rd.max_ns;
  totals.decide_p50_ns = dc.p50_ns;
  totals.decide_p99_ns = dc.p99_ns;
  totals.decide_p999_ns = dc.p999_ns;
  totals.decide_max_ns = dc.max_ns;
  const std::size_t shown = std::min<std::size_t>(positions_.size(), status_.position_capacity());
  totals.positions_used = shown;
  engine_.recent_fills(fills_);
  AlgoRiskRecord risk{};
  engine_.fill_risk(risk, now);
  risk.pnl_samples = pnl_.taken();
  risk.pnl_interval_ns = PnlHistory::kSampleNs;
  pnl_.recent(pnl_out_);
  status_.update(totals, std::span<const PositionRecord>(positions_.data(), shown), fills_, risk, pnl_out_);
}

int Runner::finish() {
  if (!epochs_.empty()) {
    epochs_.back().received = sub_.received();
    epochs_.back().lost = sub_.lost();
  }
  RunReport r;
  r.name = res_.name;
  r.strategy = std::string(res_.strategy->name());
  r.params = res_.strategy->params();
  r.feed = opts_.common.segment;
  r.wait = wait_name(opts_.wait);
  r.elapsed_s = elapsed_s_;
  r.verify = opts_.verify;
  r.received = sub_.total_received();
  r.lost = sub_.total_lost();
  r.verify_errors = sub_.verify_errors();
  r.epochs = epochs_;
  add_engine(r, engine_);
  r.halt_reason = halt_reason_;
  r.read = summarize(sub_.histogram());
  r.decide = summarize(decide_);

  std::fputs(summary_text(r).c_str(), stdout);
  std::fflush(stdout);
  int code = kExitOk;
  if (!opts_.report.empty()) {
    std::ofstream f(opts_.report, std::ios::trunc);
    f << report_json(r);
    f.close();
    if (!f) {
      spdlog::error("cannot write --report {}", opts_.report);
      code = kExitFailure;
    }
  }
  if (!opts_.report_svg.empty()) {
    std::ofstream f(opts_.report_svg, std::ios::trunc);
    f << pnl_svg(pnl_.history(),
                 SvgChartInfo{r.name + ": " + r.strategy + " (" + r.params + ") on feed " + r.feed});
    f.close();
    if (!f) {
      spdlog::error("cannot write --report-svg {}", opts_.report_svg);
      code = kExitFailure;
    }
  }
  if (r.verify_errors > 0) {
    spdlog::error("{} tick(s) failed their checksum", r.verify_errors);
    code = kExitFailure;
  }
  return code;
}

}  // namespace tickshm::algo
